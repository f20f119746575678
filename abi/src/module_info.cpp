// ModuleInfo helpers and its serialisation into the compiled .so.
//
// Encoding: the 4 bytes "WMI\x03" (format version 3: v128 constants,
// shared memories, extended constant expressions), then every field of
// ModuleInfo in declaration order. Integers are LEB128 (u32 or u64); strings
// and byte vectors are a u32 length followed by the bytes; optionals are a
// 0/1 byte followed by the value; vectors are a u32 count followed by the
// items. The decoder treats its input as hostile: every read is bounds
// checked, counts are capped by the bytes left, enum values and indices are
// checked, and any problem yields std::nullopt with a message.
#include "wasmaot/abi/module_info.h"

#include <algorithm>
#include <string_view>

namespace wasmaot::abi {

const char* valTypeName(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "<unknown type>";
}

const char* externKindName(ExternKind k) {
  switch (k) {
    case ExternKind::Function: return "function";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "<unknown kind>";
}

std::string_view ModuleInfo::functionName(uint32_t function_index) const {
  auto it = std::lower_bound(function_names.begin(), function_names.end(), function_index,
                             [](const auto& entry, uint32_t index) { return entry.first < index; });
  if (it != function_names.end() && it->first == function_index) return it->second;
  return {};
}

namespace {

constexpr uint8_t kFormatMagic[4] = {'W', 'M', 'I', 4};

// ---------------------------------------------------------------- writing

class Writer {
 public:
  void byte(uint8_t b) { out_.push_back(b); }
  void u64(uint64_t value) {
    do {
      uint8_t b = value & 0x7F;
      value >>= 7;
      if (value != 0) b |= 0x80;
      out_.push_back(b);
    } while (value != 0);
  }
  void u32(uint32_t value) { u64(value); }
  void string(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void bytes(const std::vector<uint8_t>& b) {
    u32(static_cast<uint32_t>(b.size()));
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void valType(ValType t) { byte(static_cast<uint8_t>(t)); }
  void limits(const Limits& l) {
    u64(l.min);
    byte(l.max ? 1 : 0);
    if (l.max) u64(*l.max);
  }
  void constExpr(const ConstExpr& e) {
    byte(static_cast<uint8_t>(e.kind));
    u64(e.bits);
    u64(e.high);
    u32(e.index);
    valType(e.ref_type);
    u32(static_cast<uint32_t>(e.ops.size()));
    for (const ConstExpr& op : e.ops) constExpr(op);
  }
  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

// ---------------------------------------------------------------- reading

// Every method returns false once anything went wrong; the first error
// message is kept.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool atEnd() const { return pos_ == bytes_.size(); }

  bool fail(const std::string& message) {
    if (error_.empty()) error_ = message + " at byte " + std::to_string(pos_);
    return false;
  }

  bool byte(uint8_t& out) {
    if (!ok()) return false;
    if (pos_ >= bytes_.size()) return fail("truncated module info");
    out = bytes_[pos_++];
    return true;
  }
  bool u64(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      if (!byte(b)) return false;
      if (shift == 63 && (b & 0x7E) != 0) return fail("integer too large");
      out |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return fail("integer representation too long");
  }
  bool u32(uint32_t& out) {
    uint64_t wide = 0;
    if (!u64(wide)) return false;
    if (wide > UINT32_MAX) return fail("integer too large");
    out = static_cast<uint32_t>(wide);
    return true;
  }
  // A count of items that each take at least one byte.
  bool count(uint32_t& out) {
    if (!u32(out)) return false;
    if (out > bytes_.size() - pos_) return fail("count larger than the remaining bytes");
    return true;
  }
  bool flag(bool& out) {
    uint8_t b = 0;
    if (!byte(b)) return false;
    if (b > 1) return fail("bad boolean");
    out = b == 1;
    return true;
  }
  bool string(std::string& out) {
    uint32_t n = 0;
    if (!u32(n)) return false;
    if (n > bytes_.size() - pos_) return fail("truncated string");
    out.assign(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  bool bytes(std::vector<uint8_t>& out) {
    uint32_t n = 0;
    if (!u32(n)) return false;
    if (n > bytes_.size() - pos_) return fail("truncated byte vector");
    out.assign(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_),
               bytes_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return true;
  }
  bool valType(ValType& out) {
    uint8_t b = 0;
    if (!byte(b)) return false;
    switch (b) {
      case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
        out = static_cast<ValType>(b);
        return true;
      default:
        return fail("bad value type");
    }
  }
  bool refType(ValType& out) {
    if (!valType(out)) return false;
    return isReference(out) || fail("bad reference type");
  }
  bool limits(Limits& out) {
    bool has_max = false;
    if (!u64(out.min) || !flag(has_max)) return false;
    out.max.reset();
    if (has_max) {
      uint64_t max = 0;
      if (!u64(max)) return false;
      out.max = max;
    }
    return true;
  }
  bool externKind(ExternKind& out) {
    uint8_t b = 0;
    if (!byte(b)) return false;
    if (b > static_cast<uint8_t>(ExternKind::Tag)) return fail("bad extern kind");
    out = static_cast<ExternKind>(b);
    return true;
  }
  bool segmentMode(SegmentMode& out) {
    uint8_t b = 0;
    if (!byte(b)) return false;
    if (b > static_cast<uint8_t>(SegmentMode::Declarative)) return fail("bad segment mode");
    out = static_cast<SegmentMode>(b);
    return true;
  }
  bool constExpr(ConstExpr& out, bool nested = false) {
    uint8_t kind = 0;
    if (!byte(kind)) return false;
    if (kind > static_cast<uint8_t>(ConstExpr::Kind::Extended)) return fail("bad constant expression");
    out.kind = static_cast<ConstExpr::Kind>(kind);
    uint32_t op_count = 0;
    if (!(u64(out.bits) && u64(out.high) && u32(out.index) && refType(out.ref_type) && u32(op_count))) return false;
    // Only an Extended expression has ops, and they are plain instructions.
    if ((op_count != 0) != (out.kind == ConstExpr::Kind::Extended) || (nested && op_count != 0)) {
      return fail("bad constant expression");
    }
    out.ops.resize(op_count);
    for (ConstExpr& op : out.ops) {
      if (!constExpr(op, true)) return false;
    }
    return true;
  }

  // Reads a vector with `item(reader, element)` for each element.
  template <typename T, typename ReadItem>
  bool vector(std::vector<T>& out, ReadItem read_item) {
    uint32_t n = 0;
    if (!count(n)) return false;
    out.clear();
    out.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      out.emplace_back();
      if (!read_item(*this, out.back())) return false;
    }
    return true;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  std::string error_;
};

// Index and count consistency of a decoded ModuleInfo, so that the runtime
// can index its vectors without further checks.
std::string checkConsistency(const ModuleInfo& info) {
  const size_t num_functions = info.function_types.size();
  const size_t num_tables = info.tables.size();
  const size_t num_memories = info.memories.size();
  const size_t num_globals = info.globals.size();
  const size_t num_tags = info.tags.size();
  for (uint32_t type_index : info.function_types) {
    if (type_index >= info.types.size()) return "function type index out of range";
  }
  for (uint32_t type_index : info.tags) {
    if (type_index >= info.types.size() || !info.types[type_index].results.empty()) return "tag type out of range";
  }
  if (info.num_imported_functions > num_functions || info.num_imported_tables > num_tables ||
      info.num_imported_memories > num_memories || info.num_imported_globals > num_globals ||
      info.num_imported_tags > num_tags) {
    return "more imports than entities";
  }
  size_t imports_of_kind[5] = {0, 0, 0, 0, 0};
  for (const Import& import : info.imports) {
    const size_t limit[5] = {info.num_imported_functions, info.num_imported_tables, info.num_imported_memories,
                             info.num_imported_globals, info.num_imported_tags};
    const auto kind = static_cast<size_t>(import.kind);
    if (import.index != imports_of_kind[kind] || import.index >= limit[kind]) {
      return "import index out of order or range";
    }
    ++imports_of_kind[kind];
  }
  if (imports_of_kind[0] != info.num_imported_functions || imports_of_kind[1] != info.num_imported_tables ||
      imports_of_kind[2] != info.num_imported_memories || imports_of_kind[3] != info.num_imported_globals ||
      imports_of_kind[4] != info.num_imported_tags) {
    return "import counts do not match the imports";
  }
  auto index_in_range = [&](ExternKind kind, uint32_t index) {
    switch (kind) {
      case ExternKind::Function: return index < num_functions;
      case ExternKind::Table: return index < num_tables;
      case ExternKind::Memory: return index < num_memories;
      case ExternKind::Global: return index < num_globals;
      case ExternKind::Tag: return index < num_tags;
    }
    return false;
  };
  auto op_ok = [&](const ConstExpr& e) {
    if (e.kind == ConstExpr::Kind::RefFunc) return e.index < num_functions;
    if (e.kind == ConstExpr::Kind::GlobalGet) return e.index < num_globals;
    return true;
  };
  auto expr_ok = [&](const ConstExpr& e) {
    return op_ok(e) && std::all_of(e.ops.begin(), e.ops.end(), op_ok);
  };
  for (const Export& e : info.exports) {
    if (!index_in_range(e.kind, e.index)) return "export index out of range";
  }
  for (const Global& g : info.globals) {
    if (!expr_ok(g.init)) return "global initialiser index out of range";
  }
  if (info.start_function && *info.start_function >= num_functions) return "start function out of range";
  for (const ElementSegment& segment : info.elements) {
    if (segment.mode == SegmentMode::Active && (segment.table_index >= num_tables || !expr_ok(segment.offset))) {
      return "element segment table or offset out of range";
    }
    if (!isReference(segment.element_type)) return "element segment type is not a reference type";
    for (const ConstExpr& item : segment.items) {
      if (!expr_ok(item)) return "element index out of range";
    }
  }
  for (const DataSegment& segment : info.data) {
    if (segment.mode == SegmentMode::Declarative) return "declarative data segment";
    if (segment.mode == SegmentMode::Active && (segment.memory_index >= num_memories || !expr_ok(segment.offset))) {
      return "data segment memory or offset out of range";
    }
  }
  for (size_t i = 0; i < info.function_names.size(); ++i) {
    if (info.function_names[i].first >= num_functions) return "function name index out of range";
    if (i > 0 && info.function_names[i - 1].first >= info.function_names[i].first) {
      return "function names not sorted";
    }
  }
  return {};
}

}  // namespace

std::vector<uint8_t> encodeModuleInfo(const ModuleInfo& info) {
  Writer w;
  for (uint8_t b : kFormatMagic) w.byte(b);

  w.u32(static_cast<uint32_t>(info.types.size()));
  for (const FuncType& type : info.types) {
    w.u32(static_cast<uint32_t>(type.params.size()));
    for (ValType t : type.params) w.valType(t);
    w.u32(static_cast<uint32_t>(type.results.size()));
    for (ValType t : type.results) w.valType(t);
  }
  w.u32(static_cast<uint32_t>(info.imports.size()));
  for (const Import& import : info.imports) {
    w.string(import.module);
    w.string(import.name);
    w.byte(static_cast<uint8_t>(import.kind));
    w.u32(import.index);
  }
  w.u32(static_cast<uint32_t>(info.function_types.size()));
  for (uint32_t type_index : info.function_types) w.u32(type_index);
  w.u32(static_cast<uint32_t>(info.tables.size()));
  for (const TableType& table : info.tables) {
    w.valType(table.element);
    w.limits(table.limits);
  }
  w.u32(static_cast<uint32_t>(info.memories.size()));
  for (const MemoryType& memory : info.memories) {
    w.limits(memory.limits);
    w.byte(memory.shared ? 1 : 0);
  }
  w.u32(static_cast<uint32_t>(info.globals.size()));
  for (const Global& global : info.globals) {
    w.valType(global.type.type);
    w.byte(global.type.is_mutable ? 1 : 0);
    w.constExpr(global.init);
  }
  w.u32(static_cast<uint32_t>(info.tags.size()));
  for (uint32_t type_index : info.tags) w.u32(type_index);
  w.u32(info.num_imported_functions);
  w.u32(info.num_imported_tables);
  w.u32(info.num_imported_memories);
  w.u32(info.num_imported_globals);
  w.u32(info.num_imported_tags);
  w.u32(static_cast<uint32_t>(info.exports.size()));
  for (const Export& e : info.exports) {
    w.string(e.name);
    w.byte(static_cast<uint8_t>(e.kind));
    w.u32(e.index);
  }
  w.byte(info.start_function ? 1 : 0);
  if (info.start_function) w.u32(*info.start_function);
  w.u32(static_cast<uint32_t>(info.elements.size()));
  for (const ElementSegment& segment : info.elements) {
    w.byte(static_cast<uint8_t>(segment.mode));
    w.u32(segment.table_index);
    w.constExpr(segment.offset);
    w.valType(segment.element_type);
    w.u32(static_cast<uint32_t>(segment.items.size()));
    for (const ConstExpr& item : segment.items) w.constExpr(item);
  }
  w.u32(static_cast<uint32_t>(info.data.size()));
  for (const DataSegment& segment : info.data) {
    w.byte(static_cast<uint8_t>(segment.mode));
    w.u32(segment.memory_index);
    w.constExpr(segment.offset);
    w.bytes(segment.bytes);
  }
  w.string(info.module_name);
  w.u32(static_cast<uint32_t>(info.function_names.size()));
  for (const auto& [index, name] : info.function_names) {
    w.u32(index);
    w.string(name);
  }
  return w.take();
}

std::optional<ModuleInfo> decodeModuleInfo(std::span<const uint8_t> bytes, std::string* error) {
  auto failed = [&](const std::string& message) -> std::optional<ModuleInfo> {
    if (error) *error = "invalid module info: " + message;
    return std::nullopt;
  };
  if (bytes.size() < sizeof kFormatMagic || !std::equal(std::begin(kFormatMagic), std::end(kFormatMagic), bytes.begin())) {
    return failed("bad magic or format version");
  }
  Reader r(bytes.subspan(sizeof kFormatMagic));
  ModuleInfo info;

  r.vector(info.types, [](Reader& r, FuncType& type) {
    return r.vector(type.params, [](Reader& r, ValType& t) { return r.valType(t); }) &&
           r.vector(type.results, [](Reader& r, ValType& t) { return r.valType(t); });
  });
  r.vector(info.imports, [](Reader& r, Import& import) {
    return r.string(import.module) && r.string(import.name) && r.externKind(import.kind) && r.u32(import.index);
  });
  r.vector(info.function_types, [](Reader& r, uint32_t& type_index) { return r.u32(type_index); });
  r.vector(info.tables, [](Reader& r, TableType& table) { return r.refType(table.element) && r.limits(table.limits); });
  r.vector(info.memories, [](Reader& r, MemoryType& memory) {
    uint8_t shared = 0;
    if (!r.limits(memory.limits) || !r.byte(shared)) return false;
    memory.shared = shared != 0;
    return true;
  });
  r.vector(info.globals, [](Reader& r, Global& global) {
    return r.valType(global.type.type) && r.flag(global.type.is_mutable) && r.constExpr(global.init);
  });
  r.vector(info.tags, [](Reader& r, uint32_t& type_index) { return r.u32(type_index); });
  r.u32(info.num_imported_functions);
  r.u32(info.num_imported_tables);
  r.u32(info.num_imported_memories);
  r.u32(info.num_imported_globals);
  r.u32(info.num_imported_tags);
  r.vector(info.exports, [](Reader& r, Export& e) {
    return r.string(e.name) && r.externKind(e.kind) && r.u32(e.index);
  });
  bool has_start = false;
  if (r.flag(has_start) && has_start) {
    uint32_t start = 0;
    if (r.u32(start)) info.start_function = start;
  }
  r.vector(info.elements, [](Reader& r, ElementSegment& segment) {
    return r.segmentMode(segment.mode) && r.u32(segment.table_index) && r.constExpr(segment.offset) &&
           r.refType(segment.element_type) &&
           r.vector(segment.items, [](Reader& r, ConstExpr& item) { return r.constExpr(item); });
  });
  r.vector(info.data, [](Reader& r, DataSegment& segment) {
    return r.segmentMode(segment.mode) && r.u32(segment.memory_index) && r.constExpr(segment.offset) &&
           r.bytes(segment.bytes);
  });
  r.string(info.module_name);
  r.vector(info.function_names, [](Reader& r, std::pair<uint32_t, std::string>& entry) {
    return r.u32(entry.first) && r.string(entry.second);
  });

  if (!r.ok()) return failed(r.error());
  if (!r.atEnd()) return failed("trailing bytes");
  if (std::string problem = checkConsistency(info); !problem.empty()) return failed(problem);
  return info;
}

}  // namespace wasmaot::abi
