// What the validator needs to know of each 0xFD-prefixed (SIMD) instruction
// beyond its line in opcodes.def: its immediates and its operand types.
#pragma once

#include <array>
#include <cstdint>

#include "wasmaot/abi/module_info.h"

namespace wasmaot::compiler {

enum class SimdImmediate : uint8_t {
  None,
  MemArg,      // align, offset (Instruction::a, imm)
  MemArgLane,  // align, offset, lane byte (a, imm, b)
  Lane,        // lane byte (b)
  Bytes16,     // v128.const value or i8x16.shuffle lanes (FunctionCode::v128_immediates[a])
};

struct SimdSignature {
  bool known = false;
  SimdImmediate immediate = SimdImmediate::None;
  uint8_t natural_alignment = 0;  // MemArg*: log2 of the access size
  uint8_t lanes = 0;              // Lane, MemArgLane: lane indices must be below this
  uint8_t input_count = 0;
  std::array<abi::ValType, 3> inputs{};  // in stack order (deepest first)
  bool has_result = false;
  abi::ValType result = abi::ValType::V128;
};

// The signature of SIMD sub-opcode `sub` (0..0x113); known = false if none.
SimdSignature simdSignature(uint32_t sub);

}  // namespace wasmaot::compiler
