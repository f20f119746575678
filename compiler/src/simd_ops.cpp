// Immediates and operand types of the SIMD instructions (see simd_ops.h),
// by sub-opcode ranges of the 0xFD table (opcodes.def lists every one).
#include "simd_ops.h"

#include "wasmaot/compiler/opcodes.h"

namespace wasmaot::compiler {
namespace {

using V = abi::ValType;

SimdSignature make(std::initializer_list<V> inputs, bool has_result, V result = V::V128) {
  SimdSignature s;
  s.known = true;
  for (V t : inputs) s.inputs[s.input_count++] = t;
  s.has_result = has_result;
  s.result = result;
  return s;
}
SimdSignature unary() { return make({V::V128}, true); }
SimdSignature binary() { return make({V::V128, V::V128}, true); }
SimdSignature ternary() { return make({V::V128, V::V128, V::V128}, true); }
SimdSignature toI32() { return make({V::V128}, true, V::I32); }

SimdSignature memory(SimdSignature s, uint8_t natural_alignment, uint8_t lanes = 0) {
  s.immediate = lanes ? SimdImmediate::MemArgLane : SimdImmediate::MemArg;
  s.natural_alignment = natural_alignment;
  s.lanes = lanes;
  return s;
}
SimdSignature lane(SimdSignature s, uint8_t lanes) {
  s.immediate = SimdImmediate::Lane;
  s.lanes = lanes;
  return s;
}

// Scalar type and lane count of the extract/replace/splat shapes, in table
// order: i8x16, i16x8, i32x4, i64x2, f32x4, f64x2.
V laneScalar(int shape) {
  constexpr V kScalars[] = {V::I32, V::I32, V::I32, V::I64, V::F32, V::F64};
  return kScalars[shape];
}
uint8_t laneCount(int shape) {
  constexpr uint8_t kLanes[] = {16, 8, 4, 2, 4, 2};
  return kLanes[shape];
}

}  // namespace

SimdSignature simdSignature(uint32_t sub) {
  if (!isKnownOpcode(0xFD000 | sub) || sub > 0xFFF) return {};
  const SimdSignature load = make({V::I32}, true);
  const SimdSignature store = make({V::I32, V::V128}, false);
  const SimdSignature load_lane = make({V::I32, V::V128}, true);
  switch (sub) {
    case 0x00: return memory(load, 4);
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: return memory(load, 3);
    case 0x07: return memory(load, 0);
    case 0x08: return memory(load, 1);
    case 0x09: return memory(load, 2);
    case 0x0A: return memory(load, 3);
    case 0x0B: return memory(store, 4);
    case 0x0C: {
      SimdSignature s = make({}, true);
      s.immediate = SimdImmediate::Bytes16;
      return s;
    }
    case 0x0D: {
      SimdSignature s = binary();
      s.immediate = SimdImmediate::Bytes16;
      return s;
    }
    case 0x0E: return binary();
    case 0x0F: case 0x10: case 0x11: case 0x12: case 0x13: case 0x14:
      return make({laneScalar(static_cast<int>(sub - 0x0F))}, true);
    case 0x54: return memory(load_lane, 0, 16);
    case 0x55: return memory(load_lane, 1, 8);
    case 0x56: return memory(load_lane, 2, 4);
    case 0x57: return memory(load_lane, 3, 2);
    case 0x58: return memory(store, 0, 16);
    case 0x59: return memory(store, 1, 8);
    case 0x5A: return memory(store, 2, 4);
    case 0x5B: return memory(store, 3, 2);
    case 0x5C: return memory(load, 2);
    case 0x5D: return memory(load, 3);
    case 0x4D: return unary();
    case 0x52: return ternary();
    case 0x53: case 0x63: case 0x64: case 0x83: case 0x84: case 0xA3: case 0xA4: case 0xC3: case 0xC4:
      return toI32();
    // Shifts: v128 by an i32 count.
    case 0x6B: case 0x6C: case 0x6D: case 0x8B: case 0x8C: case 0x8D:
    case 0xAB: case 0xAC: case 0xAD: case 0xCB: case 0xCC: case 0xCD:
      return make({V::V128, V::I32}, true);
    // Unary vector operations.
    case 0x5E: case 0x5F: case 0x60: case 0x61: case 0x62: case 0x67: case 0x68: case 0x69: case 0x6A:
    case 0x74: case 0x75: case 0x7A: case 0x7C: case 0x7D: case 0x7E: case 0x7F:
    case 0x80: case 0x81: case 0x87: case 0x88: case 0x89: case 0x8A: case 0x94:
    case 0xA0: case 0xA1: case 0xA7: case 0xA8: case 0xA9: case 0xAA:
    case 0xC0: case 0xC1: case 0xC7: case 0xC8: case 0xC9: case 0xCA:
    case 0xE0: case 0xE1: case 0xE3: case 0xEC: case 0xED: case 0xEF:
    case 0xF8: case 0xF9: case 0xFA: case 0xFB: case 0xFC: case 0xFD: case 0xFE: case 0xFF:
    case 0x101: case 0x102: case 0x103: case 0x104:
      return unary();
    // Relaxed ternary operations.
    case 0x105: case 0x106: case 0x107: case 0x108: case 0x109: case 0x10A: case 0x10B: case 0x10C: case 0x113:
      return ternary();
    default: break;
  }
  if (sub >= 0x15 && sub <= 0x22) {  // extract_lane / replace_lane, by shape
    static constexpr int kShape[] = {0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    static constexpr bool kReplace[] = {false, false, true, false, false, true, false,
                                        true,  false, true, false, true,  false, true};
    const int index = static_cast<int>(sub - 0x15);
    const int shape = kShape[index];
    const V scalar = laneScalar(shape);
    return lane(kReplace[index] ? make({V::V128, scalar}, true) : make({V::V128}, true, scalar), laneCount(shape));
  }
  return binary();  // every other SIMD instruction: v128 x v128 -> v128
}

}  // namespace wasmaot::compiler
