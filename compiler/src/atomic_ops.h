// What the validator and the emitter need to know of each 0xFE-prefixed
// (threads) instruction: the access width, the operand types and the kind.
#pragma once

#include <cstdint>

#include "wasmaot/abi/module_info.h"

namespace wasmaot::compiler {

struct AtomicOp {
  enum class Kind : uint8_t { None, Notify, Wait32, Wait64, Fence, Load, Store, Rmw, Cmpxchg };
  enum class RmwOp : uint8_t { Add, Sub, And, Or, Xor, Xchg };
  Kind kind = Kind::None;
  RmwOp rmw = RmwOp::Add;              // Kind::Rmw
  abi::ValType type = abi::ValType::I32;  // the operand/result value type (i32 or i64)
  unsigned bytes = 4;                  // width of the memory access
};

// The description of threads sub-opcode `sub`; Kind::None if there is none.
AtomicOp atomicOp(uint32_t sub);

}  // namespace wasmaot::compiler
