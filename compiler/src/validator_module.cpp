// Module-level validation: type indices, limits, constant expressions,
// segments, the start function and exports. Function bodies are validated
// separately by validateFunction (validator_function.cpp).
#include <algorithm>
#include <utility>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wasmaot/compiler/compile_error.h"
#include "wasmaot/compiler/validator.h"

namespace wasmaot::compiler {
namespace {

using abi::ConstExpr;
using abi::ValType;

constexpr uint64_t kMaxMemoryPages = 65536;

class ModuleValidator {
 public:
  explicit ModuleValidator(const DecodedModule& module) : module_(module), info_(module.info) {}

  void run() {
    const EntityOffsets& where = module_.offsets;
    for (size_t i = 0; i < info_.function_types.size(); ++i) {
      at(where.functions, i);
      if (info_.function_types[i] >= info_.types.size()) fail("unknown type " + std::to_string(info_.function_types[i]));
    }
    for (size_t i = 0; i < info_.tables.size(); ++i) {
      at(where.tables, i);
      checkMinMax(info_.tables[i].limits);
    }
    for (size_t i = 0; i < info_.memories.size(); ++i) {
      at(where.memories, i);
      checkMemoryLimits(info_.memories[i].limits);
      if (info_.memories[i].shared && !info_.memories[i].limits.max) fail("shared memory must have maximum");
    }
    for (size_t i = 0; i < info_.tags.size(); ++i) {
      at(where.tags, i);
      if (info_.tags[i] >= info_.types.size()) fail("unknown type " + std::to_string(info_.tags[i]));
      if (!info_.types[info_.tags[i]].results.empty()) fail("non-empty tag result type");
    }
    for (size_t i = info_.num_imported_globals; i < info_.globals.size(); ++i) {
      at(where.globals, i);
      const abi::Global& global = info_.globals[i];
      requireType(constExprType(global.init), global.type.type);
    }
    for (size_t i = 0; i < info_.elements.size(); ++i) {
      at(where.elements, i);
      checkElementSegment(info_.elements[i]);
    }
    for (size_t i = 0; i < info_.data.size(); ++i) {
      at(where.data, i);
      checkDataSegment(info_.data[i]);
    }
    if (info_.start_function) {
      offset_ = where.start;
      checkStartFunction(*info_.start_function);
    }
    checkExports();
  }

 private:
  // Errors are reported at the start of the entity being checked.
  void at(const std::vector<size_t>& offsets, size_t index) { offset_ = index < offsets.size() ? offsets[index] : 0; }
  [[noreturn]] void fail(const std::string& message) const { throw CompileError(offset_, message); }

  void requireType(ValType actual, ValType expected) const {
    if (actual != expected) {
      fail(std::string("type mismatch: expected ") + abi::valTypeName(expected) + ", got " + abi::valTypeName(actual));
    }
  }

  void checkMinMax(const abi::Limits& limits) const {
    if (limits.max && limits.min > *limits.max) fail("size minimum must not be greater than maximum");
  }

  void checkMemoryLimits(const abi::Limits& limits) const {
    if (limits.min > kMaxMemoryPages || (limits.max && *limits.max > kMaxMemoryPages)) {
      fail("memory size must be at most 65536 pages (4GiB)");
    }
    checkMinMax(limits);
  }

  // The type of a constant expression. As in WebAssembly 2.0, global.get
  // may only read imported, immutable globals.
  ValType constExprType(const ConstExpr& expr) const {
    if (expr.kind != ConstExpr::Kind::Extended) {
      std::optional<ValType> t = constOperandType(expr);
      if (!t) fail("type mismatch");  // an add, sub or mul alone
      return *t;
    }
    // Extended constant expressions: run the stack typing.
    std::vector<ValType> stack;
    for (const ConstExpr& op : expr.ops) {
      if (std::optional<ValType> t = constOperandType(op)) {
        stack.push_back(*t);
        continue;
      }
      const ValType operand = op.kind <= ConstExpr::Kind::I32Mul ? ValType::I32 : ValType::I64;
      if (stack.size() < 2 || stack.back() != operand || stack[stack.size() - 2] != operand) fail("type mismatch");
      stack.pop_back();  // the result replaces the two operands
    }
    if (stack.size() != 1) fail("type mismatch");
    return stack.back();
  }

  // The type a constant instruction pushes; nullopt for add, sub and mul.
  std::optional<ValType> constOperandType(const ConstExpr& expr) const {
    switch (expr.kind) {
      case ConstExpr::Kind::I32Const: return ValType::I32;
      case ConstExpr::Kind::I64Const: return ValType::I64;
      case ConstExpr::Kind::F32Const: return ValType::F32;
      case ConstExpr::Kind::F64Const: return ValType::F64;
      case ConstExpr::Kind::V128Const: return ValType::V128;
      case ConstExpr::Kind::RefNull: return expr.ref_type;
      case ConstExpr::Kind::RefFunc:
        if (expr.index >= info_.function_types.size()) fail("unknown function " + std::to_string(expr.index));
        return ValType::FuncRef;
      case ConstExpr::Kind::GlobalGet: {
        if (expr.index >= info_.num_imported_globals) fail("unknown global " + std::to_string(expr.index));
        const abi::Global& global = info_.globals[expr.index];
        if (global.type.is_mutable) fail("constant expression required");
        return global.type.type;
      }
      case ConstExpr::Kind::I32Add: case ConstExpr::Kind::I32Sub: case ConstExpr::Kind::I32Mul:
      case ConstExpr::Kind::I64Add: case ConstExpr::Kind::I64Sub: case ConstExpr::Kind::I64Mul:
        return std::nullopt;
      case ConstExpr::Kind::Extended: break;
    }
    fail("constant expression required");
  }

  void checkElementSegment(const abi::ElementSegment& segment) const {
    for (const ConstExpr& item : segment.items) requireType(constExprType(item), segment.element_type);
    if (segment.mode != abi::SegmentMode::Active) return;
    if (segment.table_index >= info_.tables.size()) fail("unknown table " + std::to_string(segment.table_index));
    requireType(segment.element_type, info_.tables[segment.table_index].element);
    requireType(constExprType(segment.offset), ValType::I32);
  }

  void checkDataSegment(const abi::DataSegment& segment) const {
    if (segment.mode != abi::SegmentMode::Active) return;
    if (segment.memory_index >= info_.memories.size()) {
      fail("unknown memory " + std::to_string(segment.memory_index));
    }
    requireType(constExprType(segment.offset), ValType::I32);
  }

  void checkStartFunction(uint32_t index) const {
    if (index >= info_.function_types.size()) fail("unknown function " + std::to_string(index));
    const abi::FuncType& type = info_.functionType(index);
    if (!type.params.empty() || !type.results.empty()) fail("start function must have type [] -> []");
  }

  void checkExports() {
    std::vector<std::pair<std::string_view, size_t>> names;  // name, export index
    names.reserve(info_.exports.size());
    for (size_t i = 0; i < info_.exports.size(); ++i) {
      const abi::Export& e = info_.exports[i];
      at(module_.offsets.exports, i);
      const std::string index = std::to_string(e.index);
      switch (e.kind) {
        case abi::ExternKind::Function:
          if (e.index >= info_.function_types.size()) fail("unknown function " + index);
          break;
        case abi::ExternKind::Table:
          if (e.index >= info_.tables.size()) fail("unknown table " + index);
          break;
        case abi::ExternKind::Memory:
          if (e.index >= info_.memories.size()) fail("unknown memory " + index);
          break;
        case abi::ExternKind::Global:
          if (e.index >= info_.globals.size()) fail("unknown global " + index);
          break;
        case abi::ExternKind::Tag:
          if (e.index >= info_.tags.size()) fail("unknown tag " + index);
          break;
      }
      names.emplace_back(e.name, i);
    }
    // Sorted by name, then by position: a duplicate is reported at its
    // second occurrence.
    std::sort(names.begin(), names.end());
    for (size_t k = 1; k < names.size(); ++k) {
      if (names[k].first == names[k - 1].first) {
        at(module_.offsets.exports, names[k].second);
        fail("duplicate export name");
      }
    }
  }

  const DecodedModule& module_;
  const abi::ModuleInfo& info_;
  size_t offset_ = 0;  // where the entity being checked starts in the file
};

}  // namespace

void validateModule(const DecodedModule& module) { ModuleValidator(module).run(); }

}  // namespace wasmaot::compiler
