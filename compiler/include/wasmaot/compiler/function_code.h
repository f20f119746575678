// A function body in the form the validator hands to code generation: the
// decoded, validated instruction sequence with immediates unpacked.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "wasmaot/abi/module_info.h"
#include "wasmaot/compiler/opcodes.h"

namespace wasmaot::compiler {

// Block type of block/loop/if, as decoded.
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex };
  Kind kind = Kind::Empty;
  abi::ValType value = abi::ValType::I32;  // Kind::Value
  uint32_t type_index = 0;                 // Kind::TypeIndex
};

// One instruction. Which fields are meaningful depends on the opcode:
//   Block/Loop/If:            block_type
//   Br/BrIf:                  a = label depth
//   BrTable:                  a = first index into FunctionCode::br_table_labels,
//                             b = number of labels (the default label is the last one)
//   Call/RefFunc:             a = function index
//   CallIndirect:             a = type index, b = table index
//   ReturnCall:               a = function index
//   ReturnCallIndirect:       a = type index, b = table index
//   LocalGet/Set/Tee:         a = local index
//   GlobalGet/Set:            a = global index
//   TableGet/Set/Grow/Size/Fill: a = table index
//   TableCopy:                a = destination table, b = source table
//   TableInit:                a = table index, b = element segment
//   ElemDrop:                 a = element segment
//   MemoryInit:               a = data segment, memory
//   MemorySize/Grow/Fill:     memory
//   MemoryCopy:               memory = destination, b = source memory
//   DataDrop:                 a = data segment
//   loads/stores, atomics:    a = alignment exponent, imm = offset, memory
//   I32Const/I64Const:        imm = value (i32 zero-extended)
//   F32Const/F64Const:        imm = bit pattern
//   RefNull:                  ref_type
//   SIMD (0xFD) instructions: memory forms a = alignment exponent, imm =
//                             offset, memory; lane forms b = lane index;
//                             v128.const and i8x16.shuffle a = index into
//                             FunctionCode::v128_immediates
//   SelectTyped:              ref_type = the operand type
//   Select (untyped):         nothing; the operand type is that of the operands
struct Instruction {
  Opcode op = Opcode::Nop;
  abi::ValType ref_type = abi::ValType::FuncRef;
  BlockType block_type;
  uint32_t a = 0;
  uint32_t b = 0;
  uint64_t imm = 0;
  uint32_t memory = 0;  // memory index (multi-memory), see above
  uint32_t offset = 0;  // byte offset of the opcode in the .wasm (for messages)
};

struct FunctionCode {
  uint32_t function_index = 0;  // in the module's function index space
  uint32_t type_index = 0;
  std::vector<abi::ValType> locals;  // parameters first, then declared locals
  std::vector<Instruction> instructions;  // ends with the function's final End
  std::vector<uint32_t> br_table_labels;
  std::vector<std::array<uint8_t, 16>> v128_immediates;  // v128.const values, shuffle lanes
};

}  // namespace wasmaot::compiler
