// Function-body validation, in two passes over one body. BodyDecoder turns
// the bytes into FunctionCode and reports malformed input; TypeChecker then
// runs the spec's validation algorithm (appendix "Validation Algorithm") on
// the instructions: an operand stack whose entries may be Unknown after an
// unconditional branch, and a stack of control frames with their start and
// end types, operand stack height and unreachable flag.
#include <algorithm>
#include <array>

#include "binary_reader.h"
#include "atomic_ops.h"
#include "simd_ops.h"
#include "wasmaot/compiler/validator.h"

namespace wasmaot::compiler {
namespace {

using abi::ValType;

// An operand type: a ValType byte, or kUnknown for the polymorphic stack.
using OperandType = uint8_t;
constexpr OperandType kUnknown = 0;

// Implementation limit on parameters + locals of one function (the same as
// the JS embedding's); it keeps FunctionCode::locals small.
constexpr uint64_t kMaxLocals = 50000;

// Storage for single-value block types, so every frame can refer to its
// types through a span.
constexpr ValType kSingleTypes[] = {ValType::I32,  ValType::I64,     ValType::F32,      ValType::F64,
                                    ValType::V128, ValType::FuncRef, ValType::ExternRef};

std::span<const ValType> singleType(ValType t) {
  for (const ValType& candidate : kSingleTypes) {
    if (candidate == t) return {&candidate, 1};
  }
  return {};
}

std::string typeName(OperandType t) {
  return t == kUnknown ? "<unknown>" : abi::valTypeName(static_cast<ValType>(t));
}

// Numeric or vector: what an untyped `select` accepts.
bool isNumeric(OperandType t) {
  return t == kUnknown || t == static_cast<OperandType>(ValType::I32) || t == static_cast<OperandType>(ValType::I64) ||
         t == static_cast<OperandType>(ValType::F32) || t == static_cast<OperandType>(ValType::F64) ||
         t == static_cast<OperandType>(ValType::V128);
}

bool isReferenceOrUnknown(OperandType t) { return t == kUnknown || abi::isReference(static_cast<ValType>(t)); }

constexpr OperandType I32 = static_cast<OperandType>(ValType::I32);
constexpr OperandType I64 = static_cast<OperandType>(ValType::I64);
constexpr OperandType F32 = static_cast<OperandType>(ValType::F32);
constexpr OperandType F64 = static_cast<OperandType>(ValType::F64);

// Operand and result types of the plain numeric instructions (no
// immediates): `inputs` operands of type `input` each, one result.
struct NumericSignature {
  int inputs = 0;  // 0: not a numeric instruction
  OperandType input = kUnknown;
  OperandType result = kUnknown;
};

NumericSignature numericSignature(uint16_t code) {
  auto sig = [](int n, OperandType in, OperandType out) { return NumericSignature{n, in, out}; };
  if (code == 0x45) return sig(1, I32, I32);
  if (code >= 0x46 && code <= 0x4F) return sig(2, I32, I32);
  if (code == 0x50) return sig(1, I64, I32);
  if (code >= 0x51 && code <= 0x5A) return sig(2, I64, I32);
  if (code >= 0x5B && code <= 0x60) return sig(2, F32, I32);
  if (code >= 0x61 && code <= 0x66) return sig(2, F64, I32);
  if (code >= 0x67 && code <= 0x69) return sig(1, I32, I32);
  if (code >= 0x6A && code <= 0x78) return sig(2, I32, I32);
  if (code >= 0x79 && code <= 0x7B) return sig(1, I64, I64);
  if (code >= 0x7C && code <= 0x8A) return sig(2, I64, I64);
  if (code >= 0x8B && code <= 0x91) return sig(1, F32, F32);
  if (code >= 0x92 && code <= 0x98) return sig(2, F32, F32);
  if (code >= 0x99 && code <= 0x9F) return sig(1, F64, F64);
  if (code >= 0xA0 && code <= 0xA6) return sig(2, F64, F64);
  switch (code) {
    case 0xA7: return sig(1, I64, I32);
    case 0xA8: case 0xA9: return sig(1, F32, I32);
    case 0xAA: case 0xAB: return sig(1, F64, I32);
    case 0xAC: case 0xAD: return sig(1, I32, I64);
    case 0xAE: case 0xAF: return sig(1, F32, I64);
    case 0xB0: case 0xB1: return sig(1, F64, I64);
    case 0xB2: case 0xB3: return sig(1, I32, F32);
    case 0xB4: case 0xB5: return sig(1, I64, F32);
    case 0xB6: return sig(1, F64, F32);
    case 0xB7: case 0xB8: return sig(1, I32, F64);
    case 0xB9: case 0xBA: return sig(1, I64, F64);
    case 0xBB: return sig(1, F32, F64);
    case 0xBC: return sig(1, F32, I32);
    case 0xBD: return sig(1, F64, I64);
    case 0xBE: return sig(1, I32, F32);
    case 0xBF: return sig(1, I64, F64);
    case 0xC0: case 0xC1: return sig(1, I32, I32);
    case 0xC2: case 0xC3: case 0xC4: return sig(1, I64, I64);
    case 0xFC00: case 0xFC01: return sig(1, F32, I32);
    case 0xFC02: case 0xFC03: return sig(1, F64, I32);
    case 0xFC04: case 0xFC05: return sig(1, F32, I64);
    case 0xFC06: case 0xFC07: return sig(1, F64, I64);
    default: return {};
  }
}

// Loads and stores: the value type and log2 of the natural alignment.
struct MemoryAccess {
  bool is_access = false;
  bool is_store = false;
  OperandType type = kUnknown;
  uint32_t natural_alignment = 0;
};

MemoryAccess memoryAccess(uint16_t code) {
  auto load = [](OperandType t, uint32_t align) { return MemoryAccess{true, false, t, align}; };
  auto store = [](OperandType t, uint32_t align) { return MemoryAccess{true, true, t, align}; };
  switch (code) {
    case 0x28: return load(I32, 2);
    case 0x29: return load(I64, 3);
    case 0x2A: return load(F32, 2);
    case 0x2B: return load(F64, 3);
    case 0x2C: case 0x2D: return load(I32, 0);
    case 0x2E: case 0x2F: return load(I32, 1);
    case 0x30: case 0x31: return load(I64, 0);
    case 0x32: case 0x33: return load(I64, 1);
    case 0x34: case 0x35: return load(I64, 2);
    case 0x36: return store(I32, 2);
    case 0x37: return store(I64, 3);
    case 0x38: return store(F32, 2);
    case 0x39: return store(F64, 3);
    case 0x3A: return store(I32, 0);
    case 0x3B: return store(I32, 1);
    case 0x3C: return store(I64, 0);
    case 0x3D: return store(I64, 1);
    case 0x3E: return store(I64, 2);
    default: return {};
  }
}

struct ControlFrame {
  Opcode kind;  // Block, Loop, If, Else, Try, Catch, CatchAll; Block for the function itself
  std::span<const ValType> start_types;
  std::span<const ValType> end_types;
  size_t height;
  bool unreachable;

  std::span<const ValType> labelTypes() const { return kind == Opcode::Loop ? start_types : end_types; }
};

// Pass 1: decodes a body into FunctionCode (locals, instructions with their
// immediates, br_table labels), reporting malformed input. Like the
// reference interpreter, all decoding errors of a body come before any
// typing error.
class BodyDecoder {
 public:
  BodyDecoder(std::span<const uint8_t> file, const FunctionBodyBytes& body, const abi::FuncType& type)
      : file_(file), body_(body), type_(type), r_(file.subspan(0, body.offset + body.size), body.offset) {}

  void run(FunctionCode& code) {
    readLocals(code);
    code.instructions.reserve(body_.size / 2 + 4);
    // Open constructs: true for an `if` whose `else` has not been seen.
    std::vector<bool> open_blocks;
    open_blocks.push_back(false);  // the function body
    while (!open_blocks.empty()) {
      if (r_.atEnd()) reportMissingEnd();
      Instruction ins = readInstruction(code);
      switch (ins.op) {
        case Opcode::Block:
        case Opcode::Loop:
        case Opcode::Try:
          open_blocks.push_back(false);
          break;
        case Opcode::If:
          open_blocks.push_back(true);
          break;
        case Opcode::Else:
          if (!open_blocks.back()) fail("END opcode expected");
          open_blocks.back() = false;
          break;
        case Opcode::End:
          open_blocks.pop_back();
          break;
        case Opcode::Delegate:  // ends its try; one at the function level is a type error
          if (open_blocks.size() > 1) open_blocks.pop_back();
          break;
        default:
          break;
      }
      code.instructions.push_back(ins);
    }
    if (r_.offset() != body_.offset + body_.size) fail("section size mismatch");
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw CompileError(instruction_offset_, message); }

  void readLocals(FunctionCode& code) {
    instruction_offset_ = r_.offset();
    const uint32_t groups = r_.length();
    uint64_t total = type_.params.size();
    struct Group {
      uint32_t count;
      ValType type;
    };
    std::vector<Group> declared;
    declared.reserve(groups);
    for (uint32_t i = 0; i < groups; ++i) {
      const uint32_t count = r_.u32();
      const ValType t = readValueType();
      total += count;
      if (total > kMaxLocals) fail("too many locals");
      declared.push_back({count, t});
    }
    code.locals.reserve(total);
    code.locals.assign(type_.params.begin(), type_.params.end());
    for (const Group& group : declared) code.locals.insert(code.locals.end(), group.count, group.type);
  }

  ValType readValueType() {
    const size_t offset = r_.offset();
    const uint8_t b = r_.u8();
    switch (b) {
      case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
        return static_cast<ValType>(b);
      default:
        throw CompileError(offset, (b & 0x80) ? "integer representation too long" : "malformed value type");
    }
  }

  ValType readReferenceType() {
    const size_t offset = r_.offset();
    const uint8_t b = r_.u8();
    if (b != 0x70 && b != 0x6F) {
      throw CompileError(offset, (b & 0x80) ? "integer representation too long" : "malformed reference type");
    }
    return static_cast<ValType>(b);
  }

  // Alignment, then (multi-memory: when bit 6 of the alignment field is
  // set) a memory index, then the offset.
  void readMemArg(Instruction& ins) {
    ins.a = r_.u32();
    if (ins.a & kMemArgHasMemoryIndex) {
      ins.a &= ~kMemArgHasMemoryIndex;
      ins.memory = r_.u32();
    }
    ins.imm = r_.u32();
  }
  static constexpr uint32_t kMemArgHasMemoryIndex = 0x40;

  void readZeroByte() {
    if (r_.u8() != 0) fail("zero byte expected");
  }

  // The body ended before the function's final `end`. The reference
  // interpreter does not stop at the body's size, so its message depends on
  // what follows; we reproduce that for the spec tests.
  [[noreturn]] void reportMissingEnd() {
    instruction_offset_ = r_.offset();
    const size_t end = body_.offset + body_.size;
    if (end >= file_.size()) fail(kUnexpectedEnd);
    if (file_[end] == 0x0B) fail("section size mismatch");
    fail("END opcode expected");
  }

  BlockType readBlockType() {
    BlockType block_type;
    const int next = r_.peek();
    if (next == 0x40) {
      r_.u8();
    } else if (next >= 0 && (next & 0xC0) == 0x40) {
      block_type.kind = BlockType::Kind::Value;
      block_type.value = readValueType();
    } else {
      const int64_t index = r_.s33();
      block_type.kind = BlockType::Kind::TypeIndex;
      // A negative index can never name a type; the type checker reports it.
      block_type.type_index = index < 0 ? UINT32_MAX : static_cast<uint32_t>(index);
    }
    return block_type;
  }

  Instruction readInstruction(FunctionCode& code) {
    instruction_offset_ = r_.offset();
    Instruction ins;
    ins.offset = static_cast<uint32_t>(instruction_offset_);
    uint32_t opcode = r_.u8();
    if (opcode == 0xFC) {
      const uint32_t sub = r_.u32();
      if (sub > 0xFF) fail("illegal opcode");
      opcode = 0xFC00 | sub;
    } else if (opcode == 0xFD || opcode == 0xFE) {
      const uint32_t sub = r_.u32();
      if (sub > 0xFFF) fail("illegal opcode");
      opcode = (opcode << 12) | sub;
    }
    if (!isKnownOpcode(opcode)) {
      // throw_ref and try_table: the exnref form of exception handling
      if (opcode == 0x0A || opcode == 0x1F) {
        fail("illegal opcode (exception handling's exnref form, throw_ref/try_table, which wasmaot does not "
             "support yet; the legacy form try/catch/delegate is supported)");
      }
      fail("illegal opcode");
    }
    ins.op = static_cast<Opcode>(opcode);
    if (const int sub = simdSubOpcode(ins.op); sub >= 0) {
      readSimdImmediates(ins, simdSignature(static_cast<uint32_t>(sub)), code);
      return ins;
    }
    if (ins.op == Opcode::AtomicFence) {
      readZeroByte();
      return ins;
    }
    if (atomicSubOpcode(ins.op) >= 0 || memoryAccess(opcode).is_access) {  // a memarg
      readMemArg(ins);
      return ins;
    }
    switch (ins.op) {
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If:
      case Opcode::Try:
        ins.block_type = readBlockType();
        break;
      case Opcode::BrTable: {
        const uint32_t count = r_.length();
        ins.a = static_cast<uint32_t>(code.br_table_labels.size());
        ins.b = count + 1;
        code.br_table_labels.reserve(code.br_table_labels.size() + count + 1);
        for (uint32_t i = 0; i <= count; ++i) code.br_table_labels.push_back(r_.u32());
        break;
      }
      case Opcode::SelectTyped: {
        // ref_type = the type; b = how many types were given (the type
        // checker requires exactly one).
        const uint32_t count = r_.length();
        for (uint32_t i = 0; i < count; ++i) ins.ref_type = readValueType();
        ins.b = count;
        break;
      }
      case Opcode::Br:
      case Opcode::BrIf:
      case Opcode::Catch:
      case Opcode::Throw:
      case Opcode::Rethrow:
      case Opcode::Delegate:
      case Opcode::Call:
      case Opcode::ReturnCall:
      case Opcode::RefFunc:
      case Opcode::LocalGet:
      case Opcode::LocalSet:
      case Opcode::LocalTee:
      case Opcode::GlobalGet:
      case Opcode::GlobalSet:
      case Opcode::TableGet:
      case Opcode::TableSet:
      case Opcode::TableGrow:
      case Opcode::TableSize:
      case Opcode::TableFill:
      case Opcode::ElemDrop:
      case Opcode::DataDrop:
        ins.a = r_.u32();
        break;
      case Opcode::CallIndirect:
      case Opcode::ReturnCallIndirect:
      case Opcode::TableCopy:
        ins.a = r_.u32();
        ins.b = r_.u32();
        break;
      case Opcode::TableInit:
        ins.b = r_.u32();  // the element segment comes first in the binary
        ins.a = r_.u32();
        break;
      // Memory indices (a zero byte before multi-memory, Wasm 3.0).
      case Opcode::MemoryInit:
        ins.a = r_.u32();
        ins.memory = r_.u32();
        break;
      case Opcode::MemorySize:
      case Opcode::MemoryGrow:
      case Opcode::MemoryFill:
        ins.memory = r_.u32();
        break;
      case Opcode::MemoryCopy:
        ins.memory = r_.u32();
        ins.b = r_.u32();
        break;
      case Opcode::I32Const:
        ins.imm = static_cast<uint32_t>(r_.s32());
        break;
      case Opcode::I64Const:
        ins.imm = static_cast<uint64_t>(r_.s64());
        break;
      case Opcode::F32Const:
        ins.imm = r_.fixedU32();
        break;
      case Opcode::F64Const:
        ins.imm = r_.fixedU64();
        break;
      case Opcode::RefNull:
        ins.ref_type = readReferenceType();
        break;
      default:
        break;  // no immediates
    }
    return ins;
  }

  void readSimdImmediates(Instruction& ins, const SimdSignature& sig, FunctionCode& code) {
    switch (sig.immediate) {
      case SimdImmediate::None:
        break;
      case SimdImmediate::MemArg:
        readMemArg(ins);
        break;
      case SimdImmediate::MemArgLane:
        readMemArg(ins);
        ins.b = r_.u8();
        break;
      case SimdImmediate::Lane:
        ins.b = r_.u8();
        break;
      case SimdImmediate::Bytes16: {
        std::array<uint8_t, 16> bytes;
        for (uint8_t& byte : bytes) byte = r_.u8();
        ins.a = static_cast<uint32_t>(code.v128_immediates.size());
        code.v128_immediates.push_back(bytes);
        break;
      }
    }
  }

  std::span<const uint8_t> file_;
  const FunctionBodyBytes& body_;
  const abi::FuncType& type_;
  BinaryReader r_;
  size_t instruction_offset_ = 0;
};

// Pass 2: the validation algorithm over the decoded instructions.
class TypeChecker {
 public:
  TypeChecker(const DecodedModule& module, const FunctionCode& code)
      : module_(module), info_(module.info), code_(code) {}

  void run() {
    const abi::FuncType& type = info_.types[code_.type_index];
    operands_.reserve(64);
    frames_.reserve(16);
    frames_.push_back({Opcode::Block, {}, type.results, 0, false});
    for (const Instruction& ins : code_.instructions) check(ins);
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw CompileError(offset_, message); }

  // ------------------------------------------------------------ stacks

  void push(OperandType t) { operands_.push_back(t); }
  void push(ValType t) { operands_.push_back(static_cast<OperandType>(t)); }
  void push(std::span<const ValType> types) {
    for (ValType t : types) push(t);
  }

  OperandType pop() {
    const ControlFrame& frame = frames_.back();
    if (operands_.size() == frame.height) {
      if (frame.unreachable) return kUnknown;
      fail("type mismatch: operand stack is empty");
    }
    const OperandType t = operands_.back();
    operands_.pop_back();
    return t;
  }

  // Returns the type actually popped (kUnknown stays kUnknown).
  OperandType pop(OperandType expected) {
    const OperandType actual = pop();
    if (actual != expected && actual != kUnknown && expected != kUnknown) {
      fail("type mismatch: expected " + typeName(expected) + ", got " + typeName(actual));
    }
    return actual;
  }
  OperandType pop(ValType expected) { return pop(static_cast<OperandType>(expected)); }

  void pop(std::span<const ValType> types) {
    for (size_t i = types.size(); i-- > 0;) pop(types[i]);
  }

  void pushFrame(Opcode kind, std::span<const ValType> start, std::span<const ValType> end) {
    frames_.push_back({kind, start, end, operands_.size(), false});
    push(start);
  }

  ControlFrame popFrame() {
    const ControlFrame& frame = frames_.back();
    pop(frame.end_types);
    if (operands_.size() != frame.height) fail("type mismatch: values remaining on the stack at the end of a block");
    ControlFrame popped = frame;
    frames_.pop_back();
    return popped;
  }

  void markUnreachable() {
    operands_.resize(frames_.back().height);
    frames_.back().unreachable = true;
  }

  const ControlFrame& label(uint32_t depth) {
    if (depth >= frames_.size()) fail("unknown label " + std::to_string(depth));
    return frames_[frames_.size() - 1 - depth];
  }

  // ------------------------------------------------------------ index spaces

  struct BlockSignature {
    std::span<const ValType> params;
    std::span<const ValType> results;
  };

  BlockSignature blockSignature(const BlockType& block_type) {
    switch (block_type.kind) {
      case BlockType::Kind::Empty: return {};
      case BlockType::Kind::Value: return {{}, singleType(block_type.value)};
      case BlockType::Kind::TypeIndex: break;
    }
    if (block_type.type_index >= info_.types.size()) fail("unknown type");
    const abi::FuncType& type = info_.types[block_type.type_index];
    return {type.params, type.results};
  }

  void requireMemory(uint32_t index) {
    if (index >= info_.memories.size()) fail("unknown memory " + std::to_string(index));
  }

  const abi::TableType& table(uint32_t index) {
    if (index >= info_.tables.size()) fail("unknown table " + std::to_string(index));
    return info_.tables[index];
  }

  void requireElementSegment(uint32_t index) {
    if (index >= info_.elements.size()) fail("unknown elem segment " + std::to_string(index));
  }

  // Without a DataCount section a body may not name data segments at all; a
  // segment that does not exist is reported as unknown first (the text-format
  // tests expect that).
  void requireDataSegment(uint32_t index) {
    const size_t count = module_.data_count ? *module_.data_count : info_.data.size();
    if (index >= count) fail("unknown data segment " + std::to_string(index));
    if (!module_.data_count) fail("data count section required");
  }

  const abi::FuncType& functionType(uint32_t index) {
    if (index >= info_.function_types.size()) fail("unknown function " + std::to_string(index));
    return info_.functionType(index);
  }

  const abi::Global& global(uint32_t index) {
    if (index >= info_.globals.size()) fail("unknown global " + std::to_string(index));
    return info_.globals[index];
  }

  ValType local(uint32_t index) {
    if (index >= code_.locals.size()) fail("unknown local " + std::to_string(index));
    return code_.locals[index];
  }

  // ------------------------------------------------------------ instructions

  void popI32s(int n) {
    for (int i = 0; i < n; ++i) pop(I32);
  }

  void checkSimd(const Instruction& ins, const SimdSignature& sig) {
    if (sig.immediate == SimdImmediate::MemArg || sig.immediate == SimdImmediate::MemArgLane) {
      requireMemory(ins.memory);
      if (ins.a > sig.natural_alignment) fail("alignment must not be larger than natural");
    }
    if (sig.lanes != 0 && ins.b >= sig.lanes) fail("invalid lane index");
    if (ins.op == Opcode::I8x16Shuffle) {
      for (uint8_t lane : code_.v128_immediates[ins.a]) {
        if (lane >= 32) fail("invalid lane index");
      }
    }
    for (size_t i = sig.input_count; i-- > 0;) pop(sig.inputs[i]);
    if (sig.has_result) push(sig.result);
  }

  // Atomics need a memory; their alignment must be exactly the access size.
  void checkAtomic(const Instruction& ins, const AtomicOp& op) {
    using K = AtomicOp::Kind;
    if (op.kind == K::Fence) return;
    requireMemory(ins.memory);
    if (ins.memory != 0) {
      fail("atomic access to memory " + std::to_string(ins.memory) +
           " (atomics on a memory other than 0, which wasmaot does not support yet)");
    }
    unsigned natural = 0;
    while ((1u << natural) < op.bytes) ++natural;
    if (ins.a != natural) fail("alignment must be exactly natural for an atomic access");
    const OperandType t = static_cast<OperandType>(op.type);
    switch (op.kind) {
      case K::Notify: pop(I32); pop(I32); push(I32); return;
      case K::Wait32: pop(I64); pop(I32); pop(I32); push(I32); return;
      case K::Wait64: pop(I64); pop(I64); pop(I32); push(I32); return;
      case K::Load: pop(I32); push(t); return;
      case K::Store: pop(t); pop(I32); return;
      case K::Rmw: pop(t); pop(I32); push(t); return;
      case K::Cmpxchg: pop(t); pop(t); pop(I32); push(t); return;
      default: fail("illegal opcode");
    }
  }

  // Legacy exception handling. A try frame becomes a Catch or CatchAll
  // frame at its first handler; `rethrow` names such a frame.
  void checkException(const Instruction& ins) {
    switch (ins.op) {
      case Opcode::Catch:
      case Opcode::CatchAll: {
        const Opcode kind = frames_.back().kind;
        if (kind != Opcode::Try && kind != Opcode::Catch) {
          fail(kind == Opcode::CatchAll ? "catch after catch_all" : "catch outside a try block");
        }
        const std::span<const ValType> payload =
            ins.op == Opcode::Catch ? std::span<const ValType>(tagType(ins.a).params) : std::span<const ValType>();
        const ControlFrame frame = popFrame();
        pushFrame(ins.op, payload, frame.end_types);
        return;
      }
      case Opcode::Delegate: {
        if (frames_.back().kind != Opcode::Try || frames_.size() == 1) fail("delegate outside a try block");
        const ControlFrame frame = popFrame();
        label(ins.a);  // counted from the try's enclosing block
        push(frame.end_types);
        return;
      }
      case Opcode::Throw:
        pop(tagType(ins.a).params);
        markUnreachable();
        return;
      case Opcode::Rethrow: {
        const Opcode kind = label(ins.a).kind;
        if (kind != Opcode::Catch && kind != Opcode::CatchAll) fail("invalid rethrow label");
        markUnreachable();
        return;
      }
      default: return;
    }
  }

  const abi::FuncType& tagType(uint32_t index) {
    if (index >= info_.tags.size()) fail("unknown tag " + std::to_string(index));
    return info_.types[info_.tags[index]];
  }

  void check(const Instruction& ins) {
    offset_ = ins.offset;
    if (const int sub = atomicSubOpcode(ins.op); sub >= 0) {
      checkAtomic(ins, atomicOp(static_cast<uint32_t>(sub)));
      return;
    }
    if (const int sub = simdSubOpcode(ins.op); sub >= 0) {
      checkSimd(ins, simdSignature(static_cast<uint32_t>(sub)));
      return;
    }
    const auto opcode = static_cast<uint16_t>(ins.op);
    if (const NumericSignature sig = numericSignature(opcode); sig.inputs != 0) {
      for (int i = 0; i < sig.inputs; ++i) pop(sig.input);
      push(sig.result);
      return;
    }
    if (const MemoryAccess access = memoryAccess(opcode); access.is_access) {
      requireMemory(ins.memory);
      if (ins.a > access.natural_alignment) fail("alignment must not be larger than natural");
      if (access.is_store) {
        pop(access.type);
        pop(I32);
      } else {
        pop(I32);
        push(access.type);
      }
      return;
    }

    switch (ins.op) {
      case Opcode::Unreachable:
        markUnreachable();
        break;
      case Opcode::Nop:
        break;
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If:
      case Opcode::Try: {
        const BlockSignature sig = blockSignature(ins.block_type);
        if (ins.op == Opcode::If) pop(I32);
        pop(sig.params);
        pushFrame(ins.op, sig.params, sig.results);
        break;
      }
      case Opcode::Catch:
      case Opcode::CatchAll:
      case Opcode::Delegate:
      case Opcode::Throw:
      case Opcode::Rethrow:
        checkException(ins);
        break;
      case Opcode::Else: {
        const ControlFrame frame = popFrame();
        pushFrame(Opcode::Else, frame.start_types, frame.end_types);
        break;
      }
      case Opcode::End: {
        const ControlFrame frame = popFrame();
        if (frame.kind == Opcode::If && !std::equal(frame.start_types.begin(), frame.start_types.end(),
                                                    frame.end_types.begin(), frame.end_types.end())) {
          fail("type mismatch: if without else must not change the operand types");
        }
        push(frame.end_types);
        break;
      }
      case Opcode::Br:
        pop(label(ins.a).labelTypes());
        markUnreachable();
        break;
      case Opcode::BrIf: {
        const auto types = label(ins.a).labelTypes();
        pop(I32);
        pop(types);
        push(types);
        break;
      }
      case Opcode::BrTable:
        checkBrTable(ins);
        break;
      case Opcode::Return:
        pop(frames_.front().end_types);
        markUnreachable();
        break;
      case Opcode::Call: {
        const abi::FuncType& type = functionType(ins.a);
        pop(type.params);
        push(type.results);
        break;
      }
      case Opcode::CallIndirect: {
        const abi::TableType& t = table(ins.b);
        if (ins.a >= info_.types.size()) fail("unknown type " + std::to_string(ins.a));
        if (t.element != ValType::FuncRef) fail("type mismatch: call_indirect needs a funcref table");
        const abi::FuncType& type = info_.types[ins.a];
        pop(I32);
        pop(type.params);
        push(type.results);
        break;
      }
      // Tail calls: the callee's results become this function's, so they
      // must be exactly its result types; nothing after is reachable.
      case Opcode::ReturnCall: {
        const abi::FuncType& type = functionType(ins.a);
        checkTailCallResults(type);
        pop(type.params);
        markUnreachable();
        break;
      }
      case Opcode::ReturnCallIndirect: {
        const abi::TableType& t = table(ins.b);
        if (ins.a >= info_.types.size()) fail("unknown type " + std::to_string(ins.a));
        if (t.element != ValType::FuncRef) fail("type mismatch: return_call_indirect needs a funcref table");
        const abi::FuncType& type = info_.types[ins.a];
        checkTailCallResults(type);
        pop(I32);
        pop(type.params);
        markUnreachable();
        break;
      }
      case Opcode::Drop:
        pop();
        break;
      case Opcode::Select: {
        pop(I32);
        const OperandType t1 = pop();
        const OperandType t2 = pop();
        if (!isNumeric(t1) || !isNumeric(t2)) fail("type mismatch: select without a type needs numeric operands");
        if (t1 != t2 && t1 != kUnknown && t2 != kUnknown) fail("type mismatch: select operands differ");
        push(t1 == kUnknown ? t2 : t1);
        break;
      }
      case Opcode::SelectTyped:
        if (ins.b != 1) fail("invalid result arity");
        pop(I32);
        pop(ins.ref_type);
        pop(ins.ref_type);
        push(ins.ref_type);
        break;
      case Opcode::LocalGet:
        push(local(ins.a));
        break;
      case Opcode::LocalSet:
        pop(local(ins.a));
        break;
      case Opcode::LocalTee: {
        const ValType t = local(ins.a);
        pop(t);
        push(t);
        break;
      }
      case Opcode::GlobalGet:
        push(global(ins.a).type.type);
        break;
      case Opcode::GlobalSet: {
        const abi::Global& g = global(ins.a);
        if (!g.type.is_mutable) fail("global is immutable");
        pop(g.type.type);
        break;
      }
      case Opcode::TableGet:
        pop(I32);
        push(table(ins.a).element);
        break;
      case Opcode::TableSet:
        pop(table(ins.a).element);
        pop(I32);
        break;
      case Opcode::MemorySize:
        requireMemory(ins.memory);
        push(I32);
        break;
      case Opcode::MemoryGrow:
        requireMemory(ins.memory);
        pop(I32);
        push(I32);
        break;
      case Opcode::I32Const: push(I32); break;
      case Opcode::I64Const: push(I64); break;
      case Opcode::F32Const: push(F32); break;
      case Opcode::F64Const: push(F64); break;
      case Opcode::RefNull:
        push(ins.ref_type);
        break;
      case Opcode::RefIsNull: {
        const OperandType t = pop();
        if (!isReferenceOrUnknown(t)) fail("type mismatch: ref.is_null needs a reference, got " + typeName(t));
        push(I32);
        break;
      }
      case Opcode::RefFunc:
        functionType(ins.a);
        if (!std::binary_search(module_.declared_function_refs.begin(), module_.declared_function_refs.end(), ins.a)) {
          fail("undeclared function reference");
        }
        push(ValType::FuncRef);
        break;
      case Opcode::MemoryInit:
        requireMemory(ins.memory);
        requireDataSegment(ins.a);
        popI32s(3);
        break;
      case Opcode::DataDrop:
        requireDataSegment(ins.a);
        break;
      case Opcode::MemoryCopy:
        requireMemory(ins.memory);
        requireMemory(ins.b);
        popI32s(3);
        break;
      case Opcode::MemoryFill:
        requireMemory(ins.memory);
        popI32s(3);
        break;
      case Opcode::TableInit: {
        const abi::TableType& t = table(ins.a);
        requireElementSegment(ins.b);
        if (info_.elements[ins.b].element_type != t.element) fail("type mismatch: table.init element types differ");
        popI32s(3);
        break;
      }
      case Opcode::ElemDrop:
        requireElementSegment(ins.a);
        break;
      case Opcode::TableCopy: {
        const abi::TableType& destination = table(ins.a);
        const abi::TableType& source = table(ins.b);
        if (destination.element != source.element) fail("type mismatch: table.copy element types differ");
        popI32s(3);
        break;
      }
      case Opcode::TableGrow:
        pop(I32);
        pop(table(ins.a).element);
        push(I32);
        break;
      case Opcode::TableSize:
        table(ins.a);
        push(I32);
        break;
      case Opcode::TableFill:
        pop(I32);
        pop(table(ins.a).element);
        pop(I32);
        break;
      default:
        fail("illegal opcode");
    }
  }

  void checkTailCallResults(const abi::FuncType& callee) {
    std::span<const ValType> mine = frames_.front().end_types;
    if (!std::equal(callee.results.begin(), callee.results.end(), mine.begin(), mine.end())) {
      fail("type mismatch: a tail call's results must be the function's results");
    }
  }

  void checkBrTable(const Instruction& ins) {
    const uint32_t count = ins.b - 1;
    pop(I32);
    const uint32_t default_depth = code_.br_table_labels[ins.a + count];
    const size_t arity = label(default_depth).labelTypes().size();
    for (uint32_t i = 0; i < count; ++i) {
      const auto types = label(code_.br_table_labels[ins.a + i]).labelTypes();
      if (types.size() != arity) fail("type mismatch: br_table labels have different arities");
      // Check against this label's types without consuming the operands.
      scratch_.resize(types.size());
      for (size_t k = types.size(); k-- > 0;) scratch_[k] = pop(types[k]);
      for (OperandType t : scratch_) push(t);
    }
    pop(label(default_depth).labelTypes());
    markUnreachable();
  }

  const DecodedModule& module_;
  const abi::ModuleInfo& info_;
  const FunctionCode& code_;
  size_t offset_ = 0;
  std::vector<OperandType> operands_;
  std::vector<ControlFrame> frames_;
  std::vector<OperandType> scratch_;  // br_table: the operands checked against one label
};

}  // namespace

FunctionCode validateFunction(const DecodedModule& module, std::span<const uint8_t> file_bytes,
                              const FunctionBodyBytes& body) {
  if (body.offset > file_bytes.size() || body.size > file_bytes.size() - body.offset) {
    throw CompileError(body.offset, kUnexpectedEnd);
  }
  const abi::ModuleInfo& info = module.info;
  if (body.function_index >= info.function_types.size() || info.function_types[body.function_index] >= info.types.size()) {
    throw CompileError(body.offset, "unknown type");
  }
  FunctionCode code;
  code.function_index = body.function_index;
  code.type_index = info.function_types[body.function_index];
  BodyDecoder(file_bytes, body, info.types[code.type_index]).run(code);
  TypeChecker(module, code).run();
  return code;
}

}  // namespace wasmaot::compiler
