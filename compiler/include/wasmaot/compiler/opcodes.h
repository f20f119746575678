// Opcode enum and names, built from opcodes.def.
#pragma once

#include <cstdint>

namespace wasmaot::compiler {

enum class Opcode : uint32_t {
#define WASM_OP(name, code, text) name = code,
#include "wasmaot/compiler/opcodes.def"
#undef WASM_OP
};

// The text-format name ("i32.add"), or "<unknown>".
const char* opcodeName(Opcode op);

// True if `code` (a byte, 0xFC00 | sub-opcode, 0xFD000 | or 0xFE000 | sub-opcode) is in the table.
bool isKnownOpcode(uint32_t code);

// The sub-opcode of a 0xFE-prefixed (threads) opcode, or -1.
inline int atomicSubOpcode(Opcode op) {
  const uint32_t code = static_cast<uint32_t>(op);
  return (code & 0xFFF000) == 0xFE000 ? static_cast<int>(code & 0xFFF) : -1;
}

// The SIMD sub-opcode of a 0xFD-prefixed opcode, or -1.
inline int simdSubOpcode(Opcode op) {
  const uint32_t code = static_cast<uint32_t>(op);
  return (code & 0xFFF000) == 0xFD000 ? static_cast<int>(code & 0xFFF) : -1;
}

}  // namespace wasmaot::compiler
