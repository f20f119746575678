// Opcode names and the known-opcode test, generated from opcodes.def.
#include "wasmaot/compiler/opcodes.h"

namespace wasmaot::compiler {

const char* opcodeName(Opcode op) {
  switch (op) {
#define WASM_OP(name, code, text) \
  case Opcode::name:              \
    return text;
#include "wasmaot/compiler/opcodes.def"
#undef WASM_OP
  }
  return "<unknown>";
}

bool isKnownOpcode(uint32_t code) {
  switch (code) {
#define WASM_OP(name, code, text) case code:
#include "wasmaot/compiler/opcodes.def"
#undef WASM_OP
    return true;
    default:
      return false;
  }
}

}  // namespace wasmaot::compiler
