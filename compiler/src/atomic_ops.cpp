// The threads instructions by sub-opcode (see atomic_ops.h): 0x00..0x03
// notify, wait32, wait64 and fence; 0x10..0x16 loads and 0x17..0x1d stores in
// the order i32, i64, i32 8, i32 16, i64 8, i64 16, i64 32 (loads start
// i32, i64, i32 8 ...); then seven read-modify-write groups of seven in the
// same order: add, sub, and, or, xor, xchg, cmpxchg.
#include "atomic_ops.h"

namespace wasmaot::compiler {

AtomicOp atomicOp(uint32_t sub) {
  using K = AtomicOp::Kind;
  using V = abi::ValType;
  // Type and width of the seven forms of loads, stores and each RMW group.
  static constexpr V kTypes[7] = {V::I32, V::I64, V::I32, V::I32, V::I64, V::I64, V::I64};
  static constexpr unsigned kBytes[7] = {4, 8, 1, 2, 1, 2, 4};
  AtomicOp op;
  switch (sub) {
    case 0x00: op.kind = K::Notify; return op;
    case 0x01: op.kind = K::Wait32; return op;
    case 0x02: op.kind = K::Wait64; op.bytes = 8; return op;
    case 0x03: op.kind = K::Fence; return op;
    default: break;
  }
  if (sub >= 0x10 && sub <= 0x16) {
    op.kind = K::Load;
    op.type = kTypes[sub - 0x10];
    op.bytes = kBytes[sub - 0x10];
  } else if (sub >= 0x17 && sub <= 0x1d) {
    op.kind = K::Store;
    op.type = kTypes[sub - 0x17];
    op.bytes = kBytes[sub - 0x17];
  } else if (sub >= 0x1e && sub <= 0x4e) {
    const uint32_t group = (sub - 0x1e) / 7, form = (sub - 0x1e) % 7;
    op.kind = group == 6 ? K::Cmpxchg : K::Rmw;
    op.rmw = static_cast<AtomicOp::RmwOp>(group < 6 ? group : 0);
    op.type = kTypes[form];
    op.bytes = kBytes[form];
  }
  return op;
}

}  // namespace wasmaot::compiler
