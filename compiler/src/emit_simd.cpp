// SIMD128 and relaxed SIMD (the 0xFD-prefixed instructions) as LLVM vector
// IR. A v128 value is an <2 x i64> everywhere (locals, phis, globals, calls);
// each operation bitcasts it to the lane shape it works on (<16 x i8>,
// <8 x i16>, <4 x i32>, <2 x i64>, <4 x float>, <2 x double>) and back.
//
// Most operations are one generic LLVM operation that the x86 backend turns
// into the matching instruction (paddsb for add_sat, pavgb for avgr_u,
// pmaddwd for dot, packsswb for narrow, pmovmskb for bitmask ...). The
// exceptions, where wasm's semantics need more than the generic operation:
// swizzle (pshufb after a saturating add makes indices >= 16 select zero),
// float min/max (NaN propagation and -0 < +0, as the scalar ops), rounding
// without SSE4.1 (inline, never libm), and sNaN quieting where LLVM may fold
// an arithmetic op to an operand. Relaxed SIMD takes what the host
// instruction gives, within the spec's allowed set (docs/SIMD.md).
#include <array>

#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>

#include "emitter_private.h"
#include "simd_ops.h"
#include "trap_preservation.h"

namespace wasmaot::compiler::detail {
namespace {

using ID = llvm::Intrinsic::ID;
using CmpInst = llvm::CmpInst;

// Lane shapes.
enum class Shape : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };

}  // namespace

bool FunctionEmitter::emitSimd(const Instruction& ins) {
  const int sub = simdSubOpcode(ins.op);
  if (sub < 0) return false;
  auto& b = builder_;
  llvm::Type* v128 = typeOf(abi::ValType::V128);
  auto vec = [&](llvm::Type* lane, unsigned count) { return llvm::FixedVectorType::get(lane, count); };
  llvm::Type* f32 = f32_;
  llvm::Type* f64 = f64_;
  llvm::Type* i16 = b.getInt16Ty();
  auto shapeType = [&](Shape s) -> llvm::FixedVectorType* {
    switch (s) {
      case Shape::I8x16: return vec(i8_, 16);
      case Shape::I16x8: return vec(i16, 8);
      case Shape::I32x4: return vec(i32_, 4);
      case Shape::I64x2: return vec(i64_, 2);
      case Shape::F32x4: return vec(f32, 4);
      case Shape::F64x2: return vec(f64, 2);
    }
    return nullptr;
  };
  auto as = [&](llvm::Value* v, Shape s) { return b.CreateBitCast(v, shapeType(s)); };
  auto out = [&](llvm::Value* v) { push(b.CreateBitCast(v, v128)); };
  auto popAs = [&](Shape s) { return as(pop(), s); };

  auto unary = [&](Shape s, auto&& make) { out(make(popAs(s))); };
  auto binary = [&](Shape s, auto&& make) {
    llvm::Value* r = popAs(s);
    llvm::Value* l = popAs(s);
    out(make(l, r));
  };
  auto binaryIntrinsic = [&](Shape s, ID id) {
    binary(s, [&](llvm::Value* l, llvm::Value* r) { return b.CreateBinaryIntrinsic(id, l, r); });
  };
  auto binaryOp = [&](Shape s, llvm::Instruction::BinaryOps op) {
    binary(s, [&](llvm::Value* l, llvm::Value* r) { return b.CreateBinOp(op, l, r); });
  };
  // Compares give all-ones or all-zero lanes.
  auto compare = [&](Shape s, CmpInst::Predicate p) {
    binary(s, [&](llvm::Value* l, llvm::Value* r) {
      llvm::Value* mask = b.CreateCmp(p, l, r);
      llvm::Type* int_lanes = llvm::VectorType::getInteger(shapeType(s));
      return b.CreateSExt(mask, int_lanes);
    });
  };
  // An arithmetic op on a constant operand may be folded to the other
  // operand, letting a signalling NaN through: quiet the result then.
  auto floatArithmetic = [&](Shape s, llvm::Instruction::BinaryOps op) {
    binary(s, [&](llvm::Value* l, llvm::Value* r) {
      llvm::Value* result = b.CreateBinOp(op, l, r);
      return llvm::isa<llvm::Constant>(l) || llvm::isa<llvm::Constant>(r) ? quietNaN(result) : result;
    });
  };
  auto minMax = [&](Shape s, ID id) {
    binary(s, [&](llvm::Value* l, llvm::Value* r) {
      return b.CreateSelect(b.CreateFCmpUNO(l, r), b.CreateFAdd(l, r), b.CreateBinaryIntrinsic(id, l, r));
    });
  };
  // Shift counts are taken modulo the lane width.
  auto shift = [&](Shape s, llvm::Instruction::BinaryOps op) {
    llvm::Value* count = pop();
    llvm::Value* v = popAs(s);
    auto* type = shapeType(s);
    unsigned bits = type->getScalarSizeInBits();
    count = b.CreateAnd(count, bits - 1);
    count = b.CreateZExtOrTrunc(count, type->getElementType());
    out(b.CreateBinOp(op, v, b.CreateVectorSplat(type->getNumElements(), count)));
  };
  auto rounding = [&](Shape s, ID id) {
    unary(s, [&](llvm::Value* v) {
      return options_.has_sse41_rounding ? b.CreateUnaryIntrinsic(id, v) : roundWithoutSse41(id, v);
    });
  };
  // Lanes [first, first + count) of v, as a vector of `count` lanes.
  auto lanes = [&](llvm::Value* v, unsigned first, unsigned count) {
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = 0; i < count; ++i) mask.push_back(static_cast<int>(first + i));
    return b.CreateShuffleVector(v, mask);
  };
  auto evenOdd = [&](llvm::Value* v, unsigned start) {
    unsigned n = llvm::cast<llvm::FixedVectorType>(v->getType())->getNumElements();
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = start; i < n; i += 2) mask.push_back(static_cast<int>(i));
    return b.CreateShuffleVector(v, mask);
  };
  // Widens the low or high half of a `from`-shaped vector, signed or not.
  auto extendHalf = [&](llvm::Value* v, Shape from, bool high, bool is_signed) {
    auto* type = shapeType(from);
    unsigned half = type->getNumElements() / 2;
    llvm::Value* part = lanes(v, high ? half : 0, half);
    auto* wide = vec(b.getIntNTy(type->getScalarSizeInBits() * 2), half);
    return is_signed ? b.CreateSExt(part, wide) : b.CreateZExt(part, wide);
  };
  auto extend = [&](Shape from, bool high, bool is_signed) {
    unary(from, [&](llvm::Value* v) { return extendHalf(v, from, high, is_signed); });
  };
  auto extmul = [&](Shape from, bool high, bool is_signed) {
    binary(from, [&](llvm::Value* l, llvm::Value* r) {
      return b.CreateMul(extendHalf(l, from, high, is_signed), extendHalf(r, from, high, is_signed));
    });
  };
  auto extaddPairwise = [&](Shape from, bool is_signed) {
    unary(from, [&](llvm::Value* v) {
      auto* type = shapeType(from);
      auto* wide = vec(b.getIntNTy(type->getScalarSizeInBits() * 2), type->getNumElements() / 2);
      auto widen = [&](llvm::Value* x) { return is_signed ? b.CreateSExt(x, wide) : b.CreateZExt(x, wide); };
      return b.CreateAdd(widen(evenOdd(v, 0)), widen(evenOdd(v, 1)));
    });
  };
  // Saturating narrow of two `from`-shaped vectors into one of half-width lanes.
  auto narrow = [&](Shape from, bool is_signed) {
    binary(from, [&](llvm::Value* l, llvm::Value* r) {
      auto* type = shapeType(from);
      unsigned n = type->getNumElements();
      unsigned bits = type->getScalarSizeInBits() / 2;
      llvm::SmallVector<int, 16> concat;
      for (unsigned i = 0; i < 2 * n; ++i) concat.push_back(static_cast<int>(i));
      llvm::Value* both = b.CreateShuffleVector(l, r, concat);
      auto* both_type = llvm::cast<llvm::FixedVectorType>(both->getType());
      llvm::APInt lo = is_signed ? llvm::APInt::getSignedMinValue(bits) : llvm::APInt::getMinValue(bits);
      llvm::APInt hi = is_signed ? llvm::APInt::getSignedMaxValue(bits) : llvm::APInt::getMaxValue(bits);
      llvm::Value* low = llvm::ConstantInt::get(both_type, is_signed ? lo.sext(bits * 2) : lo.zext(bits * 2));
      llvm::Value* high = llvm::ConstantInt::get(both_type, is_signed ? hi.sext(bits * 2) : hi.zext(bits * 2));
      llvm::Value* clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin,
                                                     b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, both, low), high);
      return b.CreateTrunc(clamped, vec(b.getIntNTy(bits), 2 * n));
    });
  };
  auto allTrue = [&](Shape s) {
    llvm::Value* v = popAs(s);
    llvm::Value* nonzero = b.CreateICmpNE(v, llvm::Constant::getNullValue(v->getType()));
    push(boolToI32(b.CreateAndReduce(nonzero)));
  };
  auto bitmask = [&](Shape s) {
    llvm::Value* v = popAs(s);
    unsigned n = shapeType(s)->getNumElements();
    llvm::Value* negative = b.CreateICmpSLT(v, llvm::Constant::getNullValue(v->getType()));
    push(b.CreateZExt(b.CreateBitCast(negative, b.getIntNTy(n)), i32_));
  };
  auto splat = [&](Shape s) {
    llvm::Value* scalar = pop();
    auto* type = shapeType(s);
    if (scalar->getType() != type->getElementType()) scalar = b.CreateTrunc(scalar, type->getElementType());
    out(b.CreateVectorSplat(type->getNumElements(), scalar));
  };
  auto extractLane = [&](Shape s, int extension) {  // extension: 0 none, 1 signed, 2 unsigned
    llvm::Value* lane = b.CreateExtractElement(popAs(s), b.getInt32(ins.b));
    if (extension == 1) lane = b.CreateSExt(lane, i32_);
    if (extension == 2) lane = b.CreateZExt(lane, i32_);
    push(lane);
  };
  auto replaceLane = [&](Shape s) {
    llvm::Value* scalar = pop();
    llvm::Value* v = popAs(s);
    auto* type = shapeType(s);
    if (scalar->getType() != type->getElementType()) scalar = b.CreateTrunc(scalar, type->getElementType());
    out(b.CreateInsertElement(v, scalar, b.getInt32(ins.b)));
  };
  auto truncSat = [&](Shape from, bool is_signed) {
    unary(from, [&](llvm::Value* v) {
      unsigned n = shapeType(from)->getNumElements();
      ID id = is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
      llvm::Value* result = b.CreateIntrinsic(id, {vec(i32_, n), v->getType()}, {v});
      if (n == 4) return result;
      return b.CreateShuffleVector(result, llvm::Constant::getNullValue(result->getType()), {0, 1, 2, 3});
    });
  };
  // bitselect(a, b, mask): bits of a where mask is 1, else of b.
  auto bitselect = [&](llvm::Value* a, llvm::Value* c, llvm::Value* mask) {
    return b.CreateOr(b.CreateAnd(a, mask), b.CreateAnd(c, b.CreateNot(mask)));
  };
  auto swizzle = [&](llvm::Value* table, llvm::Value* indices, bool relaxed) -> llvm::Value* {
    if (options_.has_ssse3) {
      // pshufb zeroes a lane whose index has bit 7 set and otherwise uses the
      // low 4 bits; adding 0x70 with unsigned saturation sets bit 7 for every
      // index >= 16 and keeps the low 4 bits of the others. Relaxed swizzle
      // takes pshufb's own result (allowed: 0 or table[i % 16] for i >= 16).
      llvm::Value* adjusted = relaxed ? indices
                                      : b.CreateBinaryIntrinsic(llvm::Intrinsic::uadd_sat, indices,
                                                                llvm::ConstantInt::get(indices->getType(), 0x70));
      return b.CreateIntrinsic(llvm::Intrinsic::x86_ssse3_pshuf_b_128, {}, {table, adjusted});
    }
    // SSE2 only: lane by lane (an index >= 16 gives 0).
    llvm::Value* result = llvm::Constant::getNullValue(table->getType());
    for (unsigned i = 0; i < 16; ++i) {
      llvm::Value* index = b.CreateExtractElement(indices, b.getInt32(i));
      llvm::Value* in_range = b.CreateICmpULT(index, b.getInt8(16));
      llvm::Value* picked = b.CreateExtractElement(table, b.CreateAnd(index, b.getInt8(15)));
      result = b.CreateInsertElement(result, b.CreateSelect(in_range, picked, b.getInt8(0)), b.getInt32(i));
    }
    return result;
  };
  // (a * b + 0x4000) >> 15 per i16 lane, saturated (only -32768 * -32768 overflows).
  auto q15mulr = [&](llvm::Value* l, llvm::Value* r) {
    auto* wide = vec(i32_, 8);
    llvm::Value* product = b.CreateMul(b.CreateSExt(l, wide), b.CreateSExt(r, wide));
    llvm::Value* rounded = b.CreateAShr(b.CreateAdd(product, llvm::ConstantInt::get(wide, 0x4000)), 15);
    rounded = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, rounded, llvm::ConstantInt::get(wide, 0x7fff));
    return b.CreateTrunc(rounded, vec(i16, 8));
  };
  // The i16 lanes of the pairwise sums of products of two i8x16 (signed).
  auto dotI8 = [&](llvm::Value* l, llvm::Value* r) {
    auto* wide = vec(i16, 16);
    llvm::Value* product = b.CreateMul(b.CreateSExt(l, wide), b.CreateSExt(r, wide));
    return b.CreateAdd(evenOdd(product, 0), evenOdd(product, 1));
  };

  const SimdSignature sig = simdSignature(static_cast<uint32_t>(sub));
  if (sig.immediate == SimdImmediate::MemArg || sig.immediate == SimdImmediate::MemArgLane) {
    emitSimdMemory(ins, static_cast<uint32_t>(sub));
    return true;
  }

  using O = Opcode;
  using S = Shape;
  switch (ins.op) {
    case O::V128Const: {
      const auto& bytes = code_.v128_immediates[ins.a];
      out(llvm::ConstantDataVector::get(context_, llvm::ArrayRef<uint8_t>(bytes.data(), bytes.size())));
      return true;
    }
    case O::I8x16Shuffle: {
      const auto& lanes16 = code_.v128_immediates[ins.a];
      llvm::Value* r = popAs(S::I8x16);
      llvm::Value* l = popAs(S::I8x16);
      llvm::SmallVector<int, 16> mask(lanes16.begin(), lanes16.end());
      out(b.CreateShuffleVector(l, r, mask));
      return true;
    }
    case O::I8x16Swizzle:
    case O::I8x16RelaxedSwizzle: {
      llvm::Value* indices = popAs(S::I8x16);
      llvm::Value* table = popAs(S::I8x16);
      out(swizzle(table, indices, ins.op == O::I8x16RelaxedSwizzle));
      return true;
    }
    case O::I8x16Splat: splat(S::I8x16); return true;
    case O::I16x8Splat: splat(S::I16x8); return true;
    case O::I32x4Splat: splat(S::I32x4); return true;
    case O::I64x2Splat: splat(S::I64x2); return true;
    case O::F32x4Splat: splat(S::F32x4); return true;
    case O::F64x2Splat: splat(S::F64x2); return true;
    case O::I8x16ExtractLaneS: extractLane(S::I8x16, 1); return true;
    case O::I8x16ExtractLaneU: extractLane(S::I8x16, 2); return true;
    case O::I16x8ExtractLaneS: extractLane(S::I16x8, 1); return true;
    case O::I16x8ExtractLaneU: extractLane(S::I16x8, 2); return true;
    case O::I32x4ExtractLane: extractLane(S::I32x4, 0); return true;
    case O::I64x2ExtractLane: extractLane(S::I64x2, 0); return true;
    case O::F32x4ExtractLane: extractLane(S::F32x4, 0); return true;
    case O::F64x2ExtractLane: extractLane(S::F64x2, 0); return true;
    case O::I8x16ReplaceLane: replaceLane(S::I8x16); return true;
    case O::I16x8ReplaceLane: replaceLane(S::I16x8); return true;
    case O::I32x4ReplaceLane: replaceLane(S::I32x4); return true;
    case O::I64x2ReplaceLane: replaceLane(S::I64x2); return true;
    case O::F32x4ReplaceLane: replaceLane(S::F32x4); return true;
    case O::F64x2ReplaceLane: replaceLane(S::F64x2); return true;
    default: break;
  }

  // Integer compares: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u per shape.
  static constexpr CmpInst::Predicate kIntCompares[] = {
      CmpInst::ICMP_EQ,  CmpInst::ICMP_NE,  CmpInst::ICMP_SLT, CmpInst::ICMP_ULT, CmpInst::ICMP_SGT,
      CmpInst::ICMP_UGT, CmpInst::ICMP_SLE, CmpInst::ICMP_ULE, CmpInst::ICMP_SGE, CmpInst::ICMP_UGE};
  static constexpr CmpInst::Predicate kFloatCompares[] = {CmpInst::FCMP_OEQ, CmpInst::FCMP_UNE, CmpInst::FCMP_OLT,
                                                          CmpInst::FCMP_OGT, CmpInst::FCMP_OLE, CmpInst::FCMP_OGE};
  if (sub >= 0x23 && sub <= 0x40) {
    const int index = sub - 0x23;
    compare(static_cast<Shape>(index / 10), kIntCompares[index % 10]);
    return true;
  }
  if (sub >= 0x41 && sub <= 0x4C) {
    const int index = sub - 0x41;
    compare(index < 6 ? S::F32x4 : S::F64x2, kFloatCompares[index % 6]);
    return true;
  }
  if (sub >= 0xD6 && sub <= 0xDB) {  // i64x2: eq ne lt_s gt_s le_s ge_s
    static constexpr CmpInst::Predicate kI64[] = {CmpInst::ICMP_EQ,  CmpInst::ICMP_NE,  CmpInst::ICMP_SLT,
                                                  CmpInst::ICMP_SGT, CmpInst::ICMP_SLE, CmpInst::ICMP_SGE};
    compare(S::I64x2, kI64[sub - 0xD6]);
    return true;
  }

  using llvm::Instruction;
  namespace I = llvm::Intrinsic;
  switch (ins.op) {
    case O::V128Not: unary(S::I64x2, [&](llvm::Value* v) { return b.CreateNot(v); }); return true;
    case O::V128And: binaryOp(S::I64x2, Instruction::And); return true;
    case O::V128Andnot:
      binary(S::I64x2, [&](llvm::Value* l, llvm::Value* r) { return b.CreateAnd(l, b.CreateNot(r)); });
      return true;
    case O::V128Or: binaryOp(S::I64x2, Instruction::Or); return true;
    case O::V128Xor: binaryOp(S::I64x2, Instruction::Xor); return true;
    case O::V128Bitselect:
    case O::I8x16RelaxedLaneselect:
    case O::I16x8RelaxedLaneselect:
    case O::I32x4RelaxedLaneselect:
    case O::I64x2RelaxedLaneselect: {
      // Relaxed laneselect: the bitwise select is always an allowed result.
      llvm::Value* mask = popAs(S::I64x2);
      llvm::Value* c = popAs(S::I64x2);
      llvm::Value* a = popAs(S::I64x2);
      out(bitselect(a, c, mask));
      return true;
    }
    case O::V128AnyTrue: {
      llvm::Value* bits = b.CreateBitCast(pop(), b.getInt128Ty());
      push(boolToI32(b.CreateICmpNE(bits, llvm::ConstantInt::get(b.getInt128Ty(), 0))));
      return true;
    }
    case O::F32x4DemoteF64x2Zero:
      unary(S::F64x2, [&](llvm::Value* v) {
        llvm::Value* narrow2 = b.CreateFPTrunc(v, vec(f32, 2));
        return b.CreateShuffleVector(narrow2, llvm::Constant::getNullValue(narrow2->getType()), {0, 1, 2, 3});
      });
      return true;
    case O::F64x2PromoteLowF32x4:
      unary(S::F32x4, [&](llvm::Value* v) { return b.CreateFPExt(lanes(v, 0, 2), vec(f64, 2)); });
      return true;

    case O::I8x16Abs: unary(S::I8x16, [&](llvm::Value* v) { return b.CreateBinaryIntrinsic(I::abs, v, b.getFalse()); }); return true;
    case O::I16x8Abs: unary(S::I16x8, [&](llvm::Value* v) { return b.CreateBinaryIntrinsic(I::abs, v, b.getFalse()); }); return true;
    case O::I32x4Abs: unary(S::I32x4, [&](llvm::Value* v) { return b.CreateBinaryIntrinsic(I::abs, v, b.getFalse()); }); return true;
    case O::I64x2Abs: unary(S::I64x2, [&](llvm::Value* v) { return b.CreateBinaryIntrinsic(I::abs, v, b.getFalse()); }); return true;
    case O::I8x16Neg: unary(S::I8x16, [&](llvm::Value* v) { return b.CreateNeg(v); }); return true;
    case O::I16x8Neg: unary(S::I16x8, [&](llvm::Value* v) { return b.CreateNeg(v); }); return true;
    case O::I32x4Neg: unary(S::I32x4, [&](llvm::Value* v) { return b.CreateNeg(v); }); return true;
    case O::I64x2Neg: unary(S::I64x2, [&](llvm::Value* v) { return b.CreateNeg(v); }); return true;
    case O::I8x16Popcnt: unary(S::I8x16, [&](llvm::Value* v) { return b.CreateUnaryIntrinsic(I::ctpop, v); }); return true;
    case O::I8x16AllTrue: allTrue(S::I8x16); return true;
    case O::I16x8AllTrue: allTrue(S::I16x8); return true;
    case O::I32x4AllTrue: allTrue(S::I32x4); return true;
    case O::I64x2AllTrue: allTrue(S::I64x2); return true;
    case O::I8x16Bitmask: bitmask(S::I8x16); return true;
    case O::I16x8Bitmask: bitmask(S::I16x8); return true;
    case O::I32x4Bitmask: bitmask(S::I32x4); return true;
    case O::I64x2Bitmask: bitmask(S::I64x2); return true;
    case O::I8x16NarrowI16x8S: narrow(S::I16x8, true); return true;
    case O::I8x16NarrowI16x8U: narrow(S::I16x8, false); return true;
    case O::I16x8NarrowI32x4S: narrow(S::I32x4, true); return true;
    case O::I16x8NarrowI32x4U: narrow(S::I32x4, false); return true;

    case O::F32x4Ceil: rounding(S::F32x4, I::ceil); return true;
    case O::F32x4Floor: rounding(S::F32x4, I::floor); return true;
    case O::F32x4Trunc: rounding(S::F32x4, I::trunc); return true;
    case O::F32x4Nearest: rounding(S::F32x4, I::roundeven); return true;
    case O::F64x2Ceil: rounding(S::F64x2, I::ceil); return true;
    case O::F64x2Floor: rounding(S::F64x2, I::floor); return true;
    case O::F64x2Trunc: rounding(S::F64x2, I::trunc); return true;
    case O::F64x2Nearest: rounding(S::F64x2, I::roundeven); return true;

    case O::I8x16Shl: shift(S::I8x16, Instruction::Shl); return true;
    case O::I8x16ShrS: shift(S::I8x16, Instruction::AShr); return true;
    case O::I8x16ShrU: shift(S::I8x16, Instruction::LShr); return true;
    case O::I16x8Shl: shift(S::I16x8, Instruction::Shl); return true;
    case O::I16x8ShrS: shift(S::I16x8, Instruction::AShr); return true;
    case O::I16x8ShrU: shift(S::I16x8, Instruction::LShr); return true;
    case O::I32x4Shl: shift(S::I32x4, Instruction::Shl); return true;
    case O::I32x4ShrS: shift(S::I32x4, Instruction::AShr); return true;
    case O::I32x4ShrU: shift(S::I32x4, Instruction::LShr); return true;
    case O::I64x2Shl: shift(S::I64x2, Instruction::Shl); return true;
    case O::I64x2ShrS: shift(S::I64x2, Instruction::AShr); return true;
    case O::I64x2ShrU: shift(S::I64x2, Instruction::LShr); return true;

    case O::I8x16Add: binaryOp(S::I8x16, Instruction::Add); return true;
    case O::I16x8Add: binaryOp(S::I16x8, Instruction::Add); return true;
    case O::I32x4Add: binaryOp(S::I32x4, Instruction::Add); return true;
    case O::I64x2Add: binaryOp(S::I64x2, Instruction::Add); return true;
    case O::I8x16Sub: binaryOp(S::I8x16, Instruction::Sub); return true;
    case O::I16x8Sub: binaryOp(S::I16x8, Instruction::Sub); return true;
    case O::I32x4Sub: binaryOp(S::I32x4, Instruction::Sub); return true;
    case O::I64x2Sub: binaryOp(S::I64x2, Instruction::Sub); return true;
    case O::I16x8Mul: binaryOp(S::I16x8, Instruction::Mul); return true;
    case O::I32x4Mul: binaryOp(S::I32x4, Instruction::Mul); return true;
    case O::I64x2Mul: binaryOp(S::I64x2, Instruction::Mul); return true;
    case O::I8x16AddSatS: binaryIntrinsic(S::I8x16, I::sadd_sat); return true;
    case O::I8x16AddSatU: binaryIntrinsic(S::I8x16, I::uadd_sat); return true;
    case O::I8x16SubSatS: binaryIntrinsic(S::I8x16, I::ssub_sat); return true;
    case O::I8x16SubSatU: binaryIntrinsic(S::I8x16, I::usub_sat); return true;
    case O::I16x8AddSatS: binaryIntrinsic(S::I16x8, I::sadd_sat); return true;
    case O::I16x8AddSatU: binaryIntrinsic(S::I16x8, I::uadd_sat); return true;
    case O::I16x8SubSatS: binaryIntrinsic(S::I16x8, I::ssub_sat); return true;
    case O::I16x8SubSatU: binaryIntrinsic(S::I16x8, I::usub_sat); return true;
    case O::I8x16MinS: binaryIntrinsic(S::I8x16, I::smin); return true;
    case O::I8x16MinU: binaryIntrinsic(S::I8x16, I::umin); return true;
    case O::I8x16MaxS: binaryIntrinsic(S::I8x16, I::smax); return true;
    case O::I8x16MaxU: binaryIntrinsic(S::I8x16, I::umax); return true;
    case O::I16x8MinS: binaryIntrinsic(S::I16x8, I::smin); return true;
    case O::I16x8MinU: binaryIntrinsic(S::I16x8, I::umin); return true;
    case O::I16x8MaxS: binaryIntrinsic(S::I16x8, I::smax); return true;
    case O::I16x8MaxU: binaryIntrinsic(S::I16x8, I::umax); return true;
    case O::I32x4MinS: binaryIntrinsic(S::I32x4, I::smin); return true;
    case O::I32x4MinU: binaryIntrinsic(S::I32x4, I::umin); return true;
    case O::I32x4MaxS: binaryIntrinsic(S::I32x4, I::smax); return true;
    case O::I32x4MaxU: binaryIntrinsic(S::I32x4, I::umax); return true;
    case O::I8x16AvgrU:
    case O::I16x8AvgrU: {
      const Shape s = ins.op == O::I8x16AvgrU ? S::I8x16 : S::I16x8;
      binary(s, [&](llvm::Value* l, llvm::Value* r) {
        auto* type = shapeType(s);
        auto* wide = vec(b.getIntNTy(type->getScalarSizeInBits() * 2), type->getNumElements());
        llvm::Value* sum = b.CreateAdd(b.CreateAdd(b.CreateZExt(l, wide), b.CreateZExt(r, wide)),
                                       llvm::ConstantInt::get(wide, 1));
        return b.CreateTrunc(b.CreateLShr(sum, 1), type);
      });
      return true;
    }
    case O::I16x8ExtaddPairwiseI8x16S: extaddPairwise(S::I8x16, true); return true;
    case O::I16x8ExtaddPairwiseI8x16U: extaddPairwise(S::I8x16, false); return true;
    case O::I32x4ExtaddPairwiseI16x8S: extaddPairwise(S::I16x8, true); return true;
    case O::I32x4ExtaddPairwiseI16x8U: extaddPairwise(S::I16x8, false); return true;
    case O::I16x8Q15mulrSatS:
      binary(S::I16x8, [&](llvm::Value* l, llvm::Value* r) -> llvm::Value* {
        if (!options_.has_ssse3) return q15mulr(l, r);
        // pmulhrsw is exact except that -32768 * -32768 wraps to -32768,
        // where wasm saturates to 32767: flip exactly those lanes.
        llvm::Value* product = b.CreateIntrinsic(I::x86_ssse3_pmul_hr_sw_128, {}, {l, r});
        llvm::Value* wrapped = b.CreateSExt(
            b.CreateICmpEQ(product, llvm::ConstantInt::get(product->getType(), 0x8000)), product->getType());
        return b.CreateXor(product, wrapped);
      });
      return true;
    case O::I16x8RelaxedQ15mulrS:
      binary(S::I16x8, [&](llvm::Value* l, llvm::Value* r) -> llvm::Value* {
        // pmulhrsw wraps -32768 * -32768 to -32768, an allowed result.
        if (options_.has_ssse3) return b.CreateIntrinsic(I::x86_ssse3_pmul_hr_sw_128, {}, {l, r});
        return q15mulr(l, r);
      });
      return true;
    case O::I16x8ExtendLowI8x16S: extend(S::I8x16, false, true); return true;
    case O::I16x8ExtendHighI8x16S: extend(S::I8x16, true, true); return true;
    case O::I16x8ExtendLowI8x16U: extend(S::I8x16, false, false); return true;
    case O::I16x8ExtendHighI8x16U: extend(S::I8x16, true, false); return true;
    case O::I32x4ExtendLowI16x8S: extend(S::I16x8, false, true); return true;
    case O::I32x4ExtendHighI16x8S: extend(S::I16x8, true, true); return true;
    case O::I32x4ExtendLowI16x8U: extend(S::I16x8, false, false); return true;
    case O::I32x4ExtendHighI16x8U: extend(S::I16x8, true, false); return true;
    case O::I64x2ExtendLowI32x4S: extend(S::I32x4, false, true); return true;
    case O::I64x2ExtendHighI32x4S: extend(S::I32x4, true, true); return true;
    case O::I64x2ExtendLowI32x4U: extend(S::I32x4, false, false); return true;
    case O::I64x2ExtendHighI32x4U: extend(S::I32x4, true, false); return true;
    case O::I16x8ExtmulLowI8x16S: extmul(S::I8x16, false, true); return true;
    case O::I16x8ExtmulHighI8x16S: extmul(S::I8x16, true, true); return true;
    case O::I16x8ExtmulLowI8x16U: extmul(S::I8x16, false, false); return true;
    case O::I16x8ExtmulHighI8x16U: extmul(S::I8x16, true, false); return true;
    case O::I32x4ExtmulLowI16x8S: extmul(S::I16x8, false, true); return true;
    case O::I32x4ExtmulHighI16x8S: extmul(S::I16x8, true, true); return true;
    case O::I32x4ExtmulLowI16x8U: extmul(S::I16x8, false, false); return true;
    case O::I32x4ExtmulHighI16x8U: extmul(S::I16x8, true, false); return true;
    case O::I64x2ExtmulLowI32x4S: extmul(S::I32x4, false, true); return true;
    case O::I64x2ExtmulHighI32x4S: extmul(S::I32x4, true, true); return true;
    case O::I64x2ExtmulLowI32x4U: extmul(S::I32x4, false, false); return true;
    case O::I64x2ExtmulHighI32x4U: extmul(S::I32x4, true, false); return true;
    case O::I32x4DotI16x8S:
      binary(S::I16x8, [&](llvm::Value* l, llvm::Value* r) {
        auto* wide = vec(i32_, 8);
        llvm::Value* product = b.CreateMul(b.CreateSExt(l, wide), b.CreateSExt(r, wide));
        return b.CreateAdd(evenOdd(product, 0), evenOdd(product, 1));
      });
      return true;
    case O::I16x8RelaxedDotI8x16I7x16S: binary(S::I8x16, dotI8); return true;
    case O::I32x4RelaxedDotI8x16I7x16AddS: {
      llvm::Value* addend = popAs(S::I32x4);
      llvm::Value* r = popAs(S::I8x16);
      llvm::Value* l = popAs(S::I8x16);
      llvm::Value* pairs = b.CreateSExt(dotI8(l, r), vec(i32_, 8));
      out(b.CreateAdd(b.CreateAdd(evenOdd(pairs, 0), evenOdd(pairs, 1)), addend));
      return true;
    }

    case O::F32x4Abs: unary(S::F32x4, [&](llvm::Value* v) { return b.CreateUnaryIntrinsic(I::fabs, v); }); return true;
    case O::F64x2Abs: unary(S::F64x2, [&](llvm::Value* v) { return b.CreateUnaryIntrinsic(I::fabs, v); }); return true;
    case O::F32x4Neg: unary(S::F32x4, [&](llvm::Value* v) { return b.CreateFNeg(v); }); return true;
    case O::F64x2Neg: unary(S::F64x2, [&](llvm::Value* v) { return b.CreateFNeg(v); }); return true;
    case O::F32x4Sqrt: unary(S::F32x4, [&](llvm::Value* v) { return b.CreateUnaryIntrinsic(I::sqrt, v); }); return true;
    case O::F64x2Sqrt: unary(S::F64x2, [&](llvm::Value* v) { return b.CreateUnaryIntrinsic(I::sqrt, v); }); return true;
    case O::F32x4Add: floatArithmetic(S::F32x4, Instruction::FAdd); return true;
    case O::F32x4Sub: floatArithmetic(S::F32x4, Instruction::FSub); return true;
    case O::F32x4Mul: floatArithmetic(S::F32x4, Instruction::FMul); return true;
    case O::F32x4Div: floatArithmetic(S::F32x4, Instruction::FDiv); return true;
    case O::F64x2Add: floatArithmetic(S::F64x2, Instruction::FAdd); return true;
    case O::F64x2Sub: floatArithmetic(S::F64x2, Instruction::FSub); return true;
    case O::F64x2Mul: floatArithmetic(S::F64x2, Instruction::FMul); return true;
    case O::F64x2Div: floatArithmetic(S::F64x2, Instruction::FDiv); return true;
    case O::F32x4Min: minMax(S::F32x4, I::minimum); return true;
    case O::F32x4Max: minMax(S::F32x4, I::maximum); return true;
    case O::F64x2Min: minMax(S::F64x2, I::minimum); return true;
    case O::F64x2Max: minMax(S::F64x2, I::maximum); return true;
    case O::F32x4Pmin:
    case O::F64x2Pmin:
      binary(ins.op == O::F32x4Pmin ? S::F32x4 : S::F64x2,
             [&](llvm::Value* l, llvm::Value* r) { return b.CreateSelect(b.CreateFCmpOLT(r, l), r, l); });
      return true;
    case O::F32x4Pmax:
    case O::F64x2Pmax:
      binary(ins.op == O::F32x4Pmax ? S::F32x4 : S::F64x2,
             [&](llvm::Value* l, llvm::Value* r) { return b.CreateSelect(b.CreateFCmpOLT(l, r), r, l); });
      return true;
    // Relaxed min/max: x86's minps/maxps (the second operand when either is
    // NaN or both are zeros), one of the spec's allowed results.
    case O::F32x4RelaxedMin: binary(S::F32x4, [&](llvm::Value* l, llvm::Value* r) { return b.CreateIntrinsic(I::x86_sse_min_ps, {}, {l, r}); }); return true;
    case O::F32x4RelaxedMax: binary(S::F32x4, [&](llvm::Value* l, llvm::Value* r) { return b.CreateIntrinsic(I::x86_sse_max_ps, {}, {l, r}); }); return true;
    case O::F64x2RelaxedMin: binary(S::F64x2, [&](llvm::Value* l, llvm::Value* r) { return b.CreateIntrinsic(I::x86_sse2_min_pd, {}, {l, r}); }); return true;
    case O::F64x2RelaxedMax: binary(S::F64x2, [&](llvm::Value* l, llvm::Value* r) { return b.CreateIntrinsic(I::x86_sse2_max_pd, {}, {l, r}); }); return true;
    case O::F32x4RelaxedMadd:
    case O::F32x4RelaxedNmadd:
    case O::F64x2RelaxedMadd:
    case O::F64x2RelaxedNmadd: {
      // Fused where the target has FMA, else a multiply and an add: both allowed.
      const bool is_f32 = ins.op == O::F32x4RelaxedMadd || ins.op == O::F32x4RelaxedNmadd;
      const bool negate = ins.op == O::F32x4RelaxedNmadd || ins.op == O::F64x2RelaxedNmadd;
      const Shape s = is_f32 ? S::F32x4 : S::F64x2;
      llvm::Value* c = popAs(s);
      llvm::Value* r = popAs(s);
      llvm::Value* l = popAs(s);
      if (negate) l = b.CreateFNeg(l);
      out(options_.has_fma ? b.CreateIntrinsic(I::fma, {l->getType()}, {l, r, c})
                           : b.CreateFAdd(b.CreateFMul(l, r), c));
      return true;
    }

    case O::I32x4TruncSatF32x4S:
      // cvttps2dq gives 0x80000000 for NaN and out-of-range lanes: zero the
      // NaN lanes first, then flip the lanes >= 2^31 to 0x7fffffff (lanes
      // <= -2^31 already are INT_MIN). Five instructions instead of four
      // scalar conversions with compares.
      unary(S::F32x4, [&](llvm::Value* v) {
        auto* ints = vec(i32_, 4);
        llvm::Value* ordered = b.CreateSExt(b.CreateFCmpORD(v, v), ints);
        llvm::Value* cleaned = b.CreateBitCast(b.CreateAnd(b.CreateBitCast(v, ints), ordered), v->getType());
        llvm::Value* converted = b.CreateIntrinsic(I::x86_sse2_cvttps2dq, {}, {cleaned});
        llvm::Value* too_big = b.CreateSExt(
            b.CreateFCmpOGE(cleaned, llvm::ConstantFP::get(v->getType(), 2147483648.0)), ints);
        return b.CreateXor(converted, too_big);
      });
      return true;
    case O::I32x4TruncSatF32x4U: truncSat(S::F32x4, false); return true;
    case O::I32x4TruncSatF64x2SZero: truncSat(S::F64x2, true); return true;
    case O::I32x4TruncSatF64x2UZero: truncSat(S::F64x2, false); return true;
    // Relaxed signed truncation: cvttps2dq / cvttpd2dq (0x80000000 for NaN
    // and out-of-range lanes, an allowed result). Unsigned: the saturating
    // result, also allowed.
    case O::I32x4RelaxedTruncF32x4S:
      unary(S::F32x4, [&](llvm::Value* v) { return b.CreateIntrinsic(I::x86_sse2_cvttps2dq, {}, {v}); });
      return true;
    case O::I32x4RelaxedTruncF64x2SZero:
      unary(S::F64x2, [&](llvm::Value* v) { return b.CreateIntrinsic(I::x86_sse2_cvttpd2dq, {}, {v}); });
      return true;
    case O::I32x4RelaxedTruncF32x4U: truncSat(S::F32x4, false); return true;
    case O::I32x4RelaxedTruncF64x2UZero: truncSat(S::F64x2, false); return true;
    case O::F32x4ConvertI32x4S: unary(S::I32x4, [&](llvm::Value* v) { return b.CreateSIToFP(v, vec(f32, 4)); }); return true;
    case O::F32x4ConvertI32x4U: unary(S::I32x4, [&](llvm::Value* v) { return b.CreateUIToFP(v, vec(f32, 4)); }); return true;
    case O::F64x2ConvertLowI32x4S:
      unary(S::I32x4, [&](llvm::Value* v) { return b.CreateSIToFP(lanes(v, 0, 2), vec(f64, 2)); });
      return true;
    case O::F64x2ConvertLowI32x4U:
      unary(S::I32x4, [&](llvm::Value* v) { return b.CreateUIToFP(lanes(v, 0, 2), vec(f64, 2)); });
      return true;
    default: break;
  }
  throw std::logic_error(std::string("emitSimd: unhandled ") + opcodeName(ins.op));
}

// Loads and stores: plain, extending, splat, zero-filling and lane forms.
void FunctionEmitter::emitSimdMemory(const Instruction& ins, uint32_t sub) {
  auto& b = builder_;
  llvm::Type* v128 = typeOf(abi::ValType::V128);
  auto vec = [&](llvm::Type* lane, unsigned count) { return llvm::FixedVectorType::get(lane, count); };
  auto loadAt = [&](llvm::Type* type, llvm::Value* index) {
    unsigned bytes = static_cast<unsigned>(type->getPrimitiveSizeInBits() / 8);
    llvm::Value* address = linearMemoryAddress(index, ins.imm, bytes, ins.memory);
    llvm::LoadInst* loaded = b.CreateAlignedLoad(type, address, llvm::Align(1));
    loaded->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.linear_memory);
    anchorTrappingLoad(b, loaded);
    return loaded;
  };
  auto storeAt = [&](llvm::Value* value, llvm::Value* index) {
    unsigned bytes = static_cast<unsigned>(value->getType()->getPrimitiveSizeInBits() / 8);
    llvm::Value* address = linearMemoryAddress(index, ins.imm, bytes, ins.memory);
    b.CreateAlignedStore(value, address, llvm::Align(1))->setMetadata(llvm::LLVMContext::MD_tbaa,
                                                                        tags_.linear_memory);
  };
  auto out = [&](llvm::Value* v) { push(b.CreateBitCast(v, v128)); };
  llvm::Type* lane_types[] = {i8_, b.getInt16Ty(), i32_, i64_};

  switch (sub) {
    case 0x00: out(loadAt(v128, pop())); return;
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: {  // load NxM_s/u
      const unsigned log2_bytes = (sub - 1) / 2;  // 8x8, 16x4, 32x2
      const bool is_signed = (sub - 1) % 2 == 0;
      const unsigned count = 8 >> log2_bytes;
      llvm::Value* narrow = loadAt(vec(lane_types[log2_bytes], count), pop());
      auto* wide = vec(lane_types[log2_bytes + 1], count);
      out(is_signed ? b.CreateSExt(narrow, wide) : b.CreateZExt(narrow, wide));
      return;
    }
    case 0x07: case 0x08: case 0x09: case 0x0A: {  // load splat
      const unsigned log2_bytes = sub - 0x07;
      llvm::Value* scalar = loadAt(lane_types[log2_bytes], pop());
      out(b.CreateVectorSplat(16 >> log2_bytes, scalar));
      return;
    }
    case 0x0B: {
      llvm::Value* value = pop();
      storeAt(value, pop());
      return;
    }
    case 0x5C: case 0x5D: {  // load32_zero, load64_zero
      llvm::Type* lane = sub == 0x5C ? i32_ : i64_;
      const unsigned count = sub == 0x5C ? 4 : 2;
      llvm::Value* scalar = loadAt(lane, pop());
      out(b.CreateInsertElement(llvm::Constant::getNullValue(vec(lane, count)), scalar, b.getInt32(0)));
      return;
    }
    case 0x54: case 0x55: case 0x56: case 0x57: {  // load lane
      const unsigned log2_bytes = sub - 0x54;
      llvm::Type* lane = lane_types[log2_bytes];
      llvm::Value* v = b.CreateBitCast(pop(), vec(lane, 16 >> log2_bytes));
      llvm::Value* scalar = loadAt(lane, pop());
      out(b.CreateInsertElement(v, scalar, b.getInt32(ins.b)));
      return;
    }
    case 0x58: case 0x59: case 0x5A: case 0x5B: {  // store lane
      const unsigned log2_bytes = sub - 0x58;
      llvm::Type* lane = lane_types[log2_bytes];
      llvm::Value* v = b.CreateBitCast(pop(), vec(lane, 16 >> log2_bytes));
      storeAt(b.CreateExtractElement(v, b.getInt32(ins.b)), pop());
      return;
    }
    default: throw std::logic_error("emitSimdMemory: not a SIMD memory instruction");
  }
}

}  // namespace wasmaot::compiler::detail
