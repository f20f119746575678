// Binary decoder: turns a .wasm file into a DecodedModule. It checks that the
// module is well formed (sections, their order and sizes, LEB128 and UTF-8
// rules, constant-expression syntax) and records where each function body
// lies; the bodies themselves are decoded by the validator.
//
// Error messages use the wording of the spec's reference interpreter, which
// the spec tests compare against.
#include "wasmaot/compiler/decoder.h"

#include <algorithm>

#include "binary_reader.h"
#include "wasmaot/compiler/compile_error.h"
#include "wasmaot/compiler/opcodes.h"

namespace wasmaot::compiler {
namespace {

using abi::ConstExpr;
using abi::ValType;

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElement = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
  kTag = 13,  // exception handling (Wasm 3.0)
};

// Position of each non-custom section in the required order: Tag sits
// between Memory and Global, DataCount between Element and Code.
int sectionRank(uint8_t id) {
  static constexpr int kRanks[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return kRanks[id];
}

bool isValueTypeByte(uint8_t b) {
  return b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x7B || b == 0x70 || b == 0x6F;
}

class Decoder {
 public:
  explicit Decoder(std::span<const uint8_t> bytes) : bytes_(bytes), r_(bytes) {}

  DecodedModule run() {
    readHeader();
    int last_rank = 0;
    bool saw_code_section = false;
    uint32_t declared_functions = 0;
    while (!r_.atEnd()) {
      const size_t id_offset = r_.offset();
      const uint8_t id = r_.u8();
      if (id > kTag) BinaryReader::failAt(id_offset, "malformed section id");
      const uint32_t size = r_.length();
      const size_t start = r_.offset();
      const size_t end = start + size;
      if (id != kCustom) {
        const int rank = sectionRank(id);
        if (rank <= last_rank) BinaryReader::failAt(id_offset, "unexpected content after last section");
        last_rank = rank;
      }
      switch (id) {
        case kCustom: readCustomSection(end); break;
        case kType: readTypeSection(); break;
        case kImport: readImportSection(); break;
        case kFunction:
          declared_functions = readFunctionSection();
          break;
        case kTable: readTableSection(); break;
        case kMemory: readMemorySection(); break;
        case kTag: readTagSection(); break;
        case kGlobal: readGlobalSection(); break;
        case kExport: readExportSection(); break;
        case kStart:
          module_.offsets.start = r_.offset();
          module_.info.start_function = r_.u32();
          break;
        case kElement: readElementSection(); break;
        case kCode:
          saw_code_section = true;
          readCodeSection(declared_functions);
          break;
        case kData: readDataSection(); break;
        case kDataCount: module_.data_count = r_.u32(); break;
      }
      if (r_.offset() != end) BinaryReader::failAt(start, "section size mismatch");
    }
    if (!saw_code_section && declared_functions != 0) {
      BinaryReader::failAt(r_.offset(), "function and code section have inconsistent lengths");
    }
    if (module_.data_count && *module_.data_count != module_.info.data.size()) {
      BinaryReader::failAt(r_.offset(), "data count and data section have inconsistent lengths");
    }
    finishDeclaredFunctionRefs();
    return std::move(module_);
  }

 private:
  void readHeader() {
    if (bytes_.size() < 4) BinaryReader::failAt(bytes_.size(), "unexpected end");
    static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
    if (!std::equal(kMagic, kMagic + 4, bytes_.begin())) BinaryReader::failAt(0, "magic header not detected");
    if (bytes_.size() < 8) BinaryReader::failAt(bytes_.size(), "unexpected end");
    static constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
    if (!std::equal(kVersion, kVersion + 4, bytes_.begin() + 4)) {
      BinaryReader::failAt(4, "unknown binary version");
    }
    r_.seek(8);
  }

  // ------------------------------------------------------------ types

  // Type constructors are encoded as one-byte signed LEB128 numbers, so a
  // continuation bit is an over-long encoding.
  uint8_t readTypeByte() {
    const size_t offset = r_.offset();
    const uint8_t b = r_.u8();
    if (b & 0x80) BinaryReader::failAt(offset, "integer representation too long");
    return b;
  }

  ValType readValueType() {
    const size_t offset = r_.offset();
    const uint8_t b = readTypeByte();
    if (isValueTypeByte(b)) return static_cast<ValType>(b);
    BinaryReader::failAt(offset, "malformed value type");
  }

  ValType readReferenceType() {
    const size_t offset = r_.offset();
    const uint8_t b = readTypeByte();
    if (b == 0x70 || b == 0x6F) return static_cast<ValType>(b);
    BinaryReader::failAt(offset, "malformed reference type");
  }

  // The flags are a one-byte unsigned LEB128 number: bit 0 says a maximum
  // follows; memories (max_flags 3) may also set bit 1, shared (threads).
  abi::Limits readLimits(uint8_t max_flags = 1, bool* shared = nullptr) {
    const size_t offset = r_.offset();
    const uint8_t flags = r_.u8();
    if (max_flags == 3 && (flags & 0x7F) <= 7 && (flags & 4)) {
      BinaryReader::failAt(offset, "integer too large (flag 4 is memory64's 64-bit index, which wasmaot does "
                                   "not support yet)");
    }
    if ((flags & 0x7F) > max_flags) BinaryReader::failAt(offset, "integer too large");
    if (flags & 0x80) BinaryReader::failAt(offset + 1, "integer representation too long");
    abi::Limits limits;
    limits.min = r_.u32();
    if (flags & 1) limits.max = r_.u32();
    if (shared) *shared = (flags & 2) != 0;
    return limits;
  }

  abi::MemoryType readMemoryType() {
    abi::MemoryType memory;
    memory.limits = readLimits(3, &memory.shared);
    return memory;
  }

  abi::TableType readTableType() {
    abi::TableType table;
    table.element = readReferenceType();
    table.limits = readLimits();
    return table;
  }

  abi::GlobalType readGlobalType() {
    abi::GlobalType global;
    global.type = readValueType();
    const size_t offset = r_.offset();
    const uint8_t mutability = r_.u8();
    if (mutability > 1) BinaryReader::failAt(offset, "malformed mutability");
    global.is_mutable = mutability == 1;
    return global;
  }

  // A constant expression: constant instructions, then `end`. One is a
  // plain ConstExpr; several (extended constant expressions: i32/i64 add,
  // sub, mul) an Extended one, whose stack typing the module validator
  // checks. Wrong shapes are reported with the validator's wording
  // ("constant expression required", "type mismatch"), as the spec tests expect.
  ConstExpr readConstExpr() {
    std::vector<ConstExpr> ops;
    for (;;) {
      const size_t offset = r_.offset();
      const uint8_t op = r_.u8();
      if (op == 0x0B) {
        if (ops.empty()) BinaryReader::failAt(offset, "type mismatch");
        if (ops.size() == 1 && !isConstArithmetic(ops[0].kind)) return ops[0];
        ConstExpr extended;
        extended.kind = ConstExpr::Kind::Extended;
        extended.ops = std::move(ops);
        return extended;
      }
      ops.push_back(readConstInstruction(op, offset));
    }
  }

  static bool isConstArithmetic(ConstExpr::Kind kind) {
    return kind >= ConstExpr::Kind::I32Add && kind <= ConstExpr::Kind::I64Mul;
  }

  // One instruction of a constant expression (its opcode byte already read).
  ConstExpr readConstInstruction(uint8_t op, size_t offset) {
    ConstExpr expr;
    switch (op) {
      case 0x6A: expr.kind = ConstExpr::Kind::I32Add; break;
      case 0x6B: expr.kind = ConstExpr::Kind::I32Sub; break;
      case 0x6C: expr.kind = ConstExpr::Kind::I32Mul; break;
      case 0x7C: expr.kind = ConstExpr::Kind::I64Add; break;
      case 0x7D: expr.kind = ConstExpr::Kind::I64Sub; break;
      case 0x7E: expr.kind = ConstExpr::Kind::I64Mul; break;
      case 0x41:
        expr.kind = ConstExpr::Kind::I32Const;
        expr.bits = static_cast<uint32_t>(r_.s32());
        break;
      case 0x42:
        expr.kind = ConstExpr::Kind::I64Const;
        expr.bits = static_cast<uint64_t>(r_.s64());
        break;
      case 0x43:
        expr.kind = ConstExpr::Kind::F32Const;
        expr.bits = r_.fixedU32();
        break;
      case 0x44:
        expr.kind = ConstExpr::Kind::F64Const;
        expr.bits = r_.fixedU64();
        break;
      case 0xD0:
        expr.kind = ConstExpr::Kind::RefNull;
        expr.ref_type = readReferenceType();
        break;
      case 0xD2:
        expr.kind = ConstExpr::Kind::RefFunc;
        expr.index = r_.u32();
        break;
      case 0x23:
        expr.kind = ConstExpr::Kind::GlobalGet;
        expr.index = r_.u32();
        break;
      case 0xFC: {
        const uint32_t sub = r_.u32();
        if (sub <= 0xFF && isKnownOpcode(0xFC00 | sub)) {
          BinaryReader::failAt(offset, "constant expression required");
        }
        BinaryReader::failAt(offset, "illegal opcode");
      }
      case 0xFD: {
        const uint32_t sub = r_.u32();
        if (sub == 0x0C) {  // v128.const: 16 bytes, little-endian
          expr.kind = ConstExpr::Kind::V128Const;
          expr.bits = r_.fixedU64();
          expr.high = r_.fixedU64();
          break;
        }
        if (sub <= 0xFFF && isKnownOpcode(0xFD000 | sub)) {
          BinaryReader::failAt(offset, "constant expression required");
        }
        BinaryReader::failAt(offset, "illegal opcode");
      }
      default:
        if (isKnownOpcode(op)) BinaryReader::failAt(offset, "constant expression required");
        BinaryReader::failAt(offset, "illegal opcode");
    }
    return expr;
  }

  // ------------------------------------------------------------ sections

  void readCustomSection(size_t end) {
    const std::string name = r_.name();
    if (r_.offset() > end) BinaryReader::failAt(end, kUnexpectedEnd);
    const size_t content = r_.offset();
    r_.bytes(end - content);
    if (name == "name") readNameSection(content, end);
  }

  // The name section is advisory: if it is malformed it is ignored.
  void readNameSection(size_t start, size_t end) {
    BinaryReader reader(bytes_.subspan(0, end), start);
    std::string module_name;
    std::vector<std::pair<uint32_t, std::string>> function_names;
    try {
      while (!reader.atEnd()) {
        const uint8_t id = reader.u8();
        const uint32_t size = reader.length();
        const size_t subsection_end = reader.offset() + size;
        if (subsection_end > end) return;
        if (id == 0) {
          module_name = reader.name();
        } else if (id == 1) {
          const uint32_t count = reader.length();
          function_names.reserve(count);
          for (uint32_t i = 0; i < count; ++i) {
            const uint32_t index = reader.u32();
            function_names.emplace_back(index, reader.name());
          }
        }
        if (reader.offset() > subsection_end) return;
        reader.seek(subsection_end);
      }
    } catch (const CompileError&) {
      return;
    }
    std::stable_sort(function_names.begin(), function_names.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    function_names.erase(std::unique(function_names.begin(), function_names.end(),
                                     [](const auto& a, const auto& b) { return a.first == b.first; }),
                         function_names.end());
    module_.info.module_name = std::move(module_name);
    module_.info.function_names = std::move(function_names);
  }

  void readTypeSection() {
    const uint32_t count = r_.length();
    auto& types = module_.info.types;
    types.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      const size_t offset = r_.offset();
      if (readTypeByte() != 0x60) BinaryReader::failAt(offset, "malformed function type");
      abi::FuncType type;
      const uint32_t num_params = r_.length();
      type.params.reserve(num_params);
      for (uint32_t k = 0; k < num_params; ++k) type.params.push_back(readValueType());
      const uint32_t num_results = r_.length();
      type.results.reserve(num_results);
      for (uint32_t k = 0; k < num_results; ++k) type.results.push_back(readValueType());
      types.push_back(std::move(type));
    }
  }

  void readImportSection() {
    auto& info = module_.info;
    const uint32_t count = r_.length();
    info.imports.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      abi::Import import;
      import.module = r_.name();
      import.name = r_.name();
      const size_t kind_offset = r_.offset();
      const uint8_t kind = r_.u8();
      EntityOffsets& offsets = module_.offsets;
      switch (kind) {
        case 0:
          import.kind = abi::ExternKind::Function;
          import.index = info.num_imported_functions++;
          offsets.functions.push_back(r_.offset());
          info.function_types.push_back(r_.u32());
          break;
        case 1:
          import.kind = abi::ExternKind::Table;
          import.index = info.num_imported_tables++;
          offsets.tables.push_back(r_.offset());
          info.tables.push_back(readTableType());
          break;
        case 2:
          import.kind = abi::ExternKind::Memory;
          import.index = info.num_imported_memories++;
          offsets.memories.push_back(r_.offset());
          info.memories.push_back(readMemoryType());
          break;
        case 3:
          import.kind = abi::ExternKind::Global;
          import.index = info.num_imported_globals++;
          offsets.globals.push_back(r_.offset());
          info.globals.push_back({readGlobalType(), {}});
          break;
        case 4:
          import.kind = abi::ExternKind::Tag;
          import.index = info.num_imported_tags++;
          offsets.tags.push_back(r_.offset());
          info.tags.push_back(readTagType());
          break;
        default:
          BinaryReader::failAt(kind_offset, "malformed import kind");
      }
      info.imports.push_back(std::move(import));
    }
  }

  uint32_t readFunctionSection() {
    const uint32_t count = r_.length();
    module_.info.function_types.reserve(module_.info.function_types.size() + count);
    for (uint32_t i = 0; i < count; ++i) {
      module_.offsets.functions.push_back(r_.offset());
      module_.info.function_types.push_back(r_.u32());
    }
    return count;
  }

  void readTableSection() {
    const uint32_t count = r_.length();
    for (uint32_t i = 0; i < count; ++i) {
      module_.offsets.tables.push_back(r_.offset());
      module_.info.tables.push_back(readTableType());
    }
  }

  void readMemorySection() {
    const uint32_t count = r_.length();
    for (uint32_t i = 0; i < count; ++i) {
      module_.offsets.memories.push_back(r_.offset());
      module_.info.memories.push_back(readMemoryType());
    }
  }

  // A tag type: an attribute byte (0, "exception") and the index of its
  // function type (checked by the validator).
  uint32_t readTagType() {
    const size_t attribute_offset = r_.offset();
    if (r_.u8() != 0) BinaryReader::failAt(attribute_offset, "malformed tag attribute");
    return r_.u32();
  }

  void readTagSection() {
    const uint32_t count = r_.length();
    for (uint32_t i = 0; i < count; ++i) {
      module_.offsets.tags.push_back(r_.offset());
      module_.info.tags.push_back(readTagType());
    }
  }

  void readGlobalSection() {
    const uint32_t count = r_.length();
    module_.info.globals.reserve(module_.info.globals.size() + count);
    for (uint32_t i = 0; i < count; ++i) {
      abi::Global global;
      module_.offsets.globals.push_back(r_.offset());
      global.type = readGlobalType();
      global.init = readConstExpr();
      noteFunctionRef(global.init);
      module_.info.globals.push_back(global);
    }
  }

  void readExportSection() {
    const uint32_t count = r_.length();
    module_.info.exports.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      abi::Export e;
      module_.offsets.exports.push_back(r_.offset());
      e.name = r_.name();
      const size_t kind_offset = r_.offset();
      const uint8_t kind = r_.u8();
      if (kind > 4) BinaryReader::failAt(kind_offset, "malformed export kind");
      e.kind = static_cast<abi::ExternKind>(kind);
      e.index = r_.u32();
      if (e.kind == abi::ExternKind::Function) declared_refs_.push_back(e.index);
      module_.info.exports.push_back(std::move(e));
    }
  }

  // The eight encodings of an element segment: bit 0 = passive or
  // declarative, bit 1 = explicit table index (active) or declarative
  // (otherwise), bit 2 = items are expressions rather than function indices.
  void readElementSection() {
    const uint32_t count = r_.length();
    module_.info.elements.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      const size_t flags_offset = r_.offset();
      module_.offsets.elements.push_back(flags_offset);
      const uint32_t flags = r_.u32();
      if (flags > 7) BinaryReader::failAt(flags_offset, "malformed elements segment kind");
      abi::ElementSegment segment;
      const bool not_active = (flags & 1) != 0;
      const bool explicit_table_or_declarative = (flags & 2) != 0;
      const bool expressions = (flags & 4) != 0;
      if (!not_active) {
        segment.mode = abi::SegmentMode::Active;
        if (explicit_table_or_declarative) segment.table_index = r_.u32();
        segment.offset = readConstExpr();
      } else {
        segment.mode = explicit_table_or_declarative ? abi::SegmentMode::Declarative : abi::SegmentMode::Passive;
      }
      // Encodings 0 and 4 have an implicit funcref type; the others name it.
      const bool has_type_byte = not_active || explicit_table_or_declarative;
      if (has_type_byte) {
        if (expressions) {
          segment.element_type = readReferenceType();
        } else {
          const size_t kind_offset = r_.offset();
          if (r_.u8() != 0x00) BinaryReader::failAt(kind_offset, "malformed element kind");
          segment.element_type = ValType::FuncRef;
        }
      }
      const uint32_t num_items = r_.length();
      segment.items.reserve(num_items);
      for (uint32_t k = 0; k < num_items; ++k) {
        ConstExpr item;
        if (expressions) {
          item = readConstExpr();
        } else {
          item.kind = ConstExpr::Kind::RefFunc;
          item.index = r_.u32();
        }
        noteFunctionRef(item);
        segment.items.push_back(item);
      }
      module_.info.elements.push_back(std::move(segment));
    }
  }

  void readCodeSection(uint32_t declared_functions) {
    const size_t count_offset = r_.offset();
    const uint32_t count = r_.length();
    if (count != declared_functions) {
      BinaryReader::failAt(count_offset, "function and code section have inconsistent lengths");
    }
    module_.bodies.reserve(count);
    const uint32_t first = module_.info.num_imported_functions;
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t size = r_.length();
      FunctionBodyBytes body;
      body.function_index = first + i;
      body.offset = r_.offset();
      body.size = size;
      r_.bytes(size);
      module_.bodies.push_back(body);
    }
  }

  void readDataSection() {
    const uint32_t count = r_.length();
    module_.info.data.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      const size_t flags_offset = r_.offset();
      module_.offsets.data.push_back(flags_offset);
      const uint32_t flags = r_.u32();
      abi::DataSegment segment;
      switch (flags) {
        case 0:
          segment.offset = readConstExpr();
          break;
        case 1:
          segment.mode = abi::SegmentMode::Passive;
          break;
        case 2:
          segment.memory_index = r_.u32();
          segment.offset = readConstExpr();
          break;
        default:
          BinaryReader::failAt(flags_offset, "malformed data segment kind");
      }
      const uint32_t size = r_.length();
      auto content = r_.bytes(size);
      segment.bytes.assign(content.begin(), content.end());
      module_.info.data.push_back(std::move(segment));
    }
  }

  // ------------------------------------------------------------ C.refs

  void noteFunctionRef(const ConstExpr& expr) {
    if (expr.kind == ConstExpr::Kind::RefFunc) declared_refs_.push_back(expr.index);
    for (const ConstExpr& op : expr.ops) noteFunctionRef(op);
  }

  void finishDeclaredFunctionRefs() {
    std::sort(declared_refs_.begin(), declared_refs_.end());
    declared_refs_.erase(std::unique(declared_refs_.begin(), declared_refs_.end()), declared_refs_.end());
    module_.declared_function_refs = std::move(declared_refs_);
  }

  std::span<const uint8_t> bytes_;
  BinaryReader r_;
  DecodedModule module_;
  std::vector<uint32_t> declared_refs_;
};

}  // namespace

DecodedModule decodeModule(std::span<const uint8_t> bytes) { return Decoder(bytes).run(); }

}  // namespace wasmaot::compiler
