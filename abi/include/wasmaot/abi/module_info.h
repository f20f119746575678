// The static description of a module that the runtime needs to instantiate
// it: types, imports, exports, tables, memories, globals, segments, start
// function and names. The compiler fills it from the decoded .wasm and
// serialises it into the .so (see descriptor.h); the runtime decodes it back.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace wasmaot::abi {

// Value types, numbered as in the binary format.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
};

inline bool isReference(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }

// The slot convention of entry trampolines and host adapters
// (vm_context.h): values in consecutive 64-bit slots, a v128 in two (low
// half first). The number of slots `types` take:
inline size_t slotCount(const std::vector<ValType>& types) {
  size_t count = 0;
  for (ValType t : types) count += t == ValType::V128 ? 2 : 1;
  return count;
}
const char* valTypeName(ValType t);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

// Tag: exception handling's exception tags (Wasm 3.0).
enum class ExternKind : uint8_t { Function = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char* externKindName(ExternKind k);

// Sizes are in pages (memories) or elements (tables).
struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType element = ValType::FuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
};

struct MemoryType {
  Limits limits;
  bool shared = false;  // threads: shared between instances/threads; needs a maximum
  bool operator==(const MemoryType&) const = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool is_mutable = false;
  bool operator==(const GlobalType&) const = default;
};

// A constant expression: one of these instructions, or (extended constant
// expressions, Wasm 3.0) Kind::Extended, a stack program `ops` of those
// instructions and i32/i64 add, sub and mul, leaving one value.
struct ConstExpr {
  enum class Kind : uint8_t {
    I32Const, I64Const, F32Const, F64Const, RefNull, RefFunc, GlobalGet, V128Const,
    I32Add, I32Sub, I32Mul, I64Add, I64Sub, I64Mul,  // only inside Extended's ops
    Extended,
  };
  Kind kind = Kind::I32Const;
  uint64_t bits = 0;      // the constant's bit pattern (i32/f32 in the low 32 bits; v128's low half)
  uint64_t high = 0;      // v128's high half
  uint32_t index = 0;     // function index (RefFunc) or global index (GlobalGet)
  ValType ref_type = ValType::FuncRef;  // for RefNull
  std::vector<ConstExpr> ops;           // Extended: the instructions, in order
  bool operator==(const ConstExpr&) const = default;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Function;
  uint32_t index = 0;  // index in its own index space (function, table, memory, global or tag)
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Function;
  uint32_t index = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;  // unused for imported globals
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElementSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t table_index = 0;
  ConstExpr offset;  // for Active
  ValType element_type = ValType::FuncRef;
  std::vector<ConstExpr> items;  // each RefFunc, RefNull or GlobalGet
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  // Active or Passive
  uint32_t memory_index = 0;
  ConstExpr offset;  // for Active
  std::vector<uint8_t> bytes;
};

// Index spaces list imported entities first, as in the spec.
struct ModuleInfo {
  std::vector<FuncType> types;
  std::vector<Import> imports;  // in import-section order
  std::vector<uint32_t> function_types;  // type index of every function, imported first
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<Global> globals;
  // Exception tags: the type index of each (params only, no results).
  std::vector<uint32_t> tags;
  uint32_t num_imported_functions = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;
  std::vector<Export> exports;
  std::optional<uint32_t> start_function;
  std::vector<ElementSegment> elements;
  std::vector<DataSegment> data;
  std::string module_name;  // from the name section, may be empty
  std::vector<std::pair<uint32_t, std::string>> function_names;  // from the name section, sorted by index

  const FuncType& functionType(uint32_t function_index) const {
    return types[function_types[function_index]];
  }
  uint32_t numDefinedFunctions() const {
    return static_cast<uint32_t>(function_types.size()) - num_imported_functions;
  }
  // Name from the name section, or empty.
  std::string_view functionName(uint32_t function_index) const;
};

// Serialisation used to embed a ModuleInfo into a compiled .so.
// decode() never trusts its input: it returns std::nullopt (and sets *error)
// on any truncation or inconsistency instead of reading out of bounds.
std::vector<uint8_t> encodeModuleInfo(const ModuleInfo& info);
std::optional<ModuleInfo> decodeModuleInfo(std::span<const uint8_t> bytes, std::string* error);

}  // namespace wasmaot::abi
