// Unit tests of the ModuleInfo helpers and codec: round trip of a module
// that uses every field, and hostile input (truncation, bit flips, bad enum
// values, out-of-range indices, huge counts) that must be rejected without
// crashing.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "wasmaot/abi/module_info.h"

using namespace wasmaot::abi;

namespace {

ConstExpr i32Const(uint32_t value) {
  ConstExpr e;
  e.kind = ConstExpr::Kind::I32Const;
  e.bits = value;
  return e;
}

ConstExpr refFunc(uint32_t index) {
  ConstExpr e;
  e.kind = ConstExpr::Kind::RefFunc;
  e.index = index;
  return e;
}

ModuleInfo sampleModule() {
  ModuleInfo info;
  info.types = {{{}, {}}, {{ValType::I32, ValType::I64}, {ValType::F64}}, {{ValType::ExternRef}, {ValType::FuncRef, ValType::F32}}};
  info.imports = {{"env", "f", ExternKind::Function, 0},
                  {"env", "t", ExternKind::Table, 0},
                  {"env", "m", ExternKind::Memory, 0},
                  {"env", "g", ExternKind::Global, 0},
                  {"env", "e", ExternKind::Tag, 0}};
  info.function_types = {1, 0, 2};
  info.tags = {0, 0};  // type 0: [] -> []
  info.num_imported_tags = 1;
  info.num_imported_functions = 1;
  info.num_imported_tables = 1;
  info.num_imported_memories = 1;
  info.num_imported_globals = 1;
  info.tables = {{ValType::FuncRef, {1, 10}}, {ValType::ExternRef, {0, std::nullopt}}};
  info.memories = {{{1, 65536}}};
  info.globals = {{{ValType::I32, false}, {}}, {{ValType::I64, true}, {}}};
  info.globals[1].init.kind = ConstExpr::Kind::I64Const;
  info.globals[1].init.bits = 0xFFFFFFFFFFFFFFFFull;
  info.exports = {{"main", ExternKind::Function, 1},
                  {"mem", ExternKind::Memory, 0},
                  {"", ExternKind::Global, 1},
                  {"e2", ExternKind::Tag, 1}};
  info.start_function = 1;

  ElementSegment active;
  active.offset = i32Const(3);
  active.items = {refFunc(0), refFunc(2)};
  ElementSegment passive;
  passive.mode = SegmentMode::Passive;
  passive.element_type = ValType::ExternRef;
  ConstExpr null_extern;
  null_extern.kind = ConstExpr::Kind::RefNull;
  null_extern.ref_type = ValType::ExternRef;
  passive.items = {null_extern};
  ElementSegment declarative;
  declarative.mode = SegmentMode::Declarative;
  declarative.items = {refFunc(1)};
  info.elements = {active, passive, declarative};

  DataSegment data;
  ConstExpr from_global;
  from_global.kind = ConstExpr::Kind::GlobalGet;
  from_global.index = 0;
  data.offset = from_global;
  data.bytes = {0, 1, 2, 0xFF};
  DataSegment passive_data;
  passive_data.mode = SegmentMode::Passive;
  passive_data.bytes.assign(300, 0xAB);
  info.data = {data, passive_data};

  info.module_name = "sample";
  info.function_names = {{0, "imported"}, {2, "third \xC3\xA9"}};
  return info;
}

void checkEqual(const ModuleInfo& a, const ModuleInfo& b) {
  CHECK(a.types == b.types);
  REQUIRE(a.imports.size() == b.imports.size());
  for (size_t i = 0; i < a.imports.size(); ++i) {
    CHECK(a.imports[i].module == b.imports[i].module);
    CHECK(a.imports[i].name == b.imports[i].name);
    CHECK(a.imports[i].kind == b.imports[i].kind);
    CHECK(a.imports[i].index == b.imports[i].index);
  }
  CHECK(a.function_types == b.function_types);
  CHECK(a.tables == b.tables);
  CHECK(a.memories == b.memories);
  REQUIRE(a.globals.size() == b.globals.size());
  for (size_t i = 0; i < a.globals.size(); ++i) {
    CHECK(a.globals[i].type == b.globals[i].type);
    CHECK(a.globals[i].init == b.globals[i].init);
  }
  CHECK(a.num_imported_functions == b.num_imported_functions);
  CHECK(a.num_imported_tables == b.num_imported_tables);
  CHECK(a.num_imported_memories == b.num_imported_memories);
  CHECK(a.num_imported_globals == b.num_imported_globals);
  CHECK(a.tags == b.tags);
  CHECK(a.num_imported_tags == b.num_imported_tags);
  REQUIRE(a.exports.size() == b.exports.size());
  for (size_t i = 0; i < a.exports.size(); ++i) {
    CHECK(a.exports[i].name == b.exports[i].name);
    CHECK(a.exports[i].kind == b.exports[i].kind);
    CHECK(a.exports[i].index == b.exports[i].index);
  }
  CHECK(a.start_function == b.start_function);
  REQUIRE(a.elements.size() == b.elements.size());
  for (size_t i = 0; i < a.elements.size(); ++i) {
    CHECK(a.elements[i].mode == b.elements[i].mode);
    CHECK(a.elements[i].table_index == b.elements[i].table_index);
    CHECK(a.elements[i].offset == b.elements[i].offset);
    CHECK(a.elements[i].element_type == b.elements[i].element_type);
    CHECK(a.elements[i].items == b.elements[i].items);
  }
  REQUIRE(a.data.size() == b.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) {
    CHECK(a.data[i].mode == b.data[i].mode);
    CHECK(a.data[i].memory_index == b.data[i].memory_index);
    CHECK(a.data[i].offset == b.data[i].offset);
    CHECK(a.data[i].bytes == b.data[i].bytes);
  }
  CHECK(a.module_name == b.module_name);
  CHECK(a.function_names == b.function_names);
}

std::optional<ModuleInfo> decode(const std::vector<uint8_t>& bytes, std::string* error = nullptr) {
  std::string ignored;
  return decodeModuleInfo(bytes, error ? error : &ignored);
}

}  // namespace

TEST_CASE("names of value types and extern kinds") {
  CHECK(std::string(valTypeName(ValType::I32)) == "i32");
  CHECK(std::string(valTypeName(ValType::ExternRef)) == "externref");
  CHECK(std::string(externKindName(ExternKind::Memory)) == "memory");
  const ModuleInfo info = sampleModule();
  CHECK(info.functionName(2) == "third \xC3\xA9");
  CHECK(info.functionName(1).empty());
  CHECK(info.functionName(99).empty());
}

TEST_CASE("round trip") {
  const ModuleInfo info = sampleModule();
  const std::vector<uint8_t> bytes = encodeModuleInfo(info);
  std::string error;
  const std::optional<ModuleInfo> decoded = decode(bytes, &error);
  REQUIRE_MESSAGE(decoded.has_value(), error);
  checkEqual(info, *decoded);
  CHECK(encodeModuleInfo(*decoded) == bytes);

  const std::optional<ModuleInfo> empty = decode(encodeModuleInfo(ModuleInfo{}));
  REQUIRE(empty.has_value());
  CHECK(empty->types.empty());
  CHECK_FALSE(empty->start_function.has_value());
}

TEST_CASE("every truncation is rejected with a message") {
  const std::vector<uint8_t> bytes = encodeModuleInfo(sampleModule());
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    CAPTURE(cut);
    std::string error;
    const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    CHECK_FALSE(decode(prefix, &error).has_value());
    CHECK_FALSE(error.empty());
  }
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  CHECK_FALSE(decode(longer).has_value());
}

TEST_CASE("garbled input never crashes") {
  const std::vector<uint8_t> bytes = encodeModuleInfo(sampleModule());
  std::mt19937 random(1234);
  for (int round = 0; round < 5000; ++round) {
    std::vector<uint8_t> garbled = bytes;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < flips; ++i) garbled[4 + random() % (garbled.size() - 4)] = static_cast<uint8_t>(random());
    const std::optional<ModuleInfo> decoded = decode(garbled);
    if (decoded) {
      // Whatever is accepted is internally consistent.
      for (uint32_t type_index : decoded->function_types) CHECK(type_index < decoded->types.size());
      for (const Export& e : decoded->exports) {
        if (e.kind == ExternKind::Function) CHECK(e.index < decoded->function_types.size());
      }
    }
  }
}

TEST_CASE("hostile values are rejected") {
  // Magic.
  CHECK_FALSE(decode({'W', 'M', 'I', 2}).has_value());
  CHECK_FALSE(decode({}).has_value());
  // A huge type count with nothing behind it.
  CHECK_FALSE(decode({'W', 'M', 'I', 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}).has_value());
  // An over-long LEB128.
  CHECK_FALSE(decode({'W', 'M', 'I', 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}).has_value());

  ModuleInfo info;
  info.types = {{{ValType::I32}, {}}};
  std::vector<uint8_t> bytes = encodeModuleInfo(info);
  // bytes: magic, type count 1, param count 1, the param type, ...
  REQUIRE(bytes[6] == static_cast<uint8_t>(ValType::I32));
  bytes[6] = 0x42;
  std::string error;
  CHECK_FALSE(decode(bytes, &error).has_value());
  CHECK(error.find("value type") != std::string::npos);

  ModuleInfo bad_index;
  bad_index.types = {{}};
  bad_index.function_types = {1};  // no type 1
  CHECK_FALSE(decode(encodeModuleInfo(bad_index)).has_value());

  ModuleInfo bad_export;
  bad_export.exports = {{"x", ExternKind::Table, 0}};  // no table
  CHECK_FALSE(decode(encodeModuleInfo(bad_export)).has_value());

  ModuleInfo bad_names;
  bad_names.types = {{}};
  bad_names.function_types = {0, 0};
  bad_names.function_names = {{1, "b"}, {0, "a"}};  // not sorted
  CHECK_FALSE(decode(encodeModuleInfo(bad_names)).has_value());

  ModuleInfo bad_imports;
  bad_imports.imports = {{"m", "f", ExternKind::Function, 0}};  // but no imported function counted
  CHECK_FALSE(decode(encodeModuleInfo(bad_imports)).has_value());
}
