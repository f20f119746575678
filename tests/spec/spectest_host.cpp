// The `spectest` module of the reference interpreter, as host objects.
#include "spectest_host.h"

#include <cstdio>
#include <cstring>

namespace wasmaot::spec {
namespace {

using abi::ExternKind;
using abi::FuncType;
using abi::ValType;
using runtime::Extern;
using runtime::Value;

uint32_t f32Bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

uint64_t f64Bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

void printSlot(ValType type, uint64_t bits) {
  switch (type) {
    case ValType::I32: std::printf(" %d", static_cast<int32_t>(bits)); break;
    case ValType::I64: std::printf(" %lld", static_cast<long long>(bits)); break;
    case ValType::F32: {
      float f;
      uint32_t b = static_cast<uint32_t>(bits);
      std::memcpy(&f, &b, 4);
      std::printf(" %g", f);
      break;
    }
    case ValType::F64: {
      double d;
      std::memcpy(&d, &bits, 8);
      std::printf(" %g", d);
      break;
    }
    default: std::printf(" ?"); break;
  }
}

void definePrint(runtime::Imports& imports, const std::string& name, std::vector<ValType> params, bool echo) {
  FuncType type{params, {}};
  auto callback = [name, params, echo](runtime::Instance*, std::span<uint64_t> slots) -> std::optional<runtime::Trap> {
    if (echo) {
      std::printf("spectest.%s:", name.c_str());
      for (size_t i = 0; i < params.size() && i < slots.size(); ++i) printSlot(params[i], slots[i]);
      std::printf("\n");
    }
    return std::nullopt;
  };
  Extern ext;
  ext.kind = ExternKind::Function;
  ext.function = runtime::makeHostFunction(type, callback);
  imports.define("spectest", name, ext);
}

void defineGlobal(runtime::Imports& imports, const std::string& name, ValType type, uint64_t bits) {
  Extern ext;
  ext.kind = ExternKind::Global;
  ext.global = runtime::Global::create(abi::GlobalType{type, false}, Value{type, bits});
  imports.define("spectest", name, ext);
}

}  // namespace

bool defineSpectestModule(runtime::Imports& imports, bool echo, std::string* error) {
  definePrint(imports, "print", {}, echo);
  definePrint(imports, "print_i32", {ValType::I32}, echo);
  definePrint(imports, "print_i64", {ValType::I64}, echo);
  definePrint(imports, "print_f32", {ValType::F32}, echo);
  definePrint(imports, "print_f64", {ValType::F64}, echo);
  definePrint(imports, "print_i32_f32", {ValType::I32, ValType::F32}, echo);
  definePrint(imports, "print_f64_f64", {ValType::F64, ValType::F64}, echo);

  defineGlobal(imports, "global_i32", ValType::I32, 666);
  defineGlobal(imports, "global_i64", ValType::I64, 666);
  defineGlobal(imports, "global_f32", ValType::F32, f32Bits(666.6f));
  defineGlobal(imports, "global_f64", ValType::F64, f64Bits(666.6));

  Extern table;
  table.kind = ExternKind::Table;
  table.table = runtime::Table::create(abi::TableType{ValType::FuncRef, abi::Limits{10, 20}}, nullptr);
  imports.define("spectest", "table", table);

  Extern memory;
  memory.kind = ExternKind::Memory;
  memory.memory = runtime::Memory::create(abi::MemoryType{abi::Limits{1, 2}}, error);
  if (!memory.memory) return false;
  imports.define("spectest", "memory", memory);
  // The threads proposal's tests import a shared one too.
  Extern shared_memory;
  shared_memory.kind = ExternKind::Memory;
  shared_memory.memory = runtime::Memory::create(abi::MemoryType{abi::Limits{1, 2}, true}, error);
  if (!shared_memory.memory) return false;
  imports.define("spectest", "shared_memory", shared_memory);
  return true;
}

}  // namespace wasmaot::spec
