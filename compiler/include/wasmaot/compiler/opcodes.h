// Opcode enum and names, built from opcodes.def.
#pragma once

#include <cstdint>

namespace wasmaot::compiler {

enum class Opcode : uint16_t {
#define WASM_OP(name, code, text) name = code,
#include "wasmaot/compiler/opcodes.def"
#undef WASM_OP
};

// The text-format name ("i32.add"), or "<unknown>".
const char* opcodeName(Opcode op);

// True if `code` (a byte, or 0xFC00 | sub-opcode) is in the table.
bool isKnownOpcode(uint16_t code);

}  // namespace wasmaot::compiler
