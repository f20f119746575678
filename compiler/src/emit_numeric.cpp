// Numeric instructions: constants, integer and float arithmetic, comparisons,
// and conversions (wrap/extend/trunc/trunc_sat/convert/demote/promote/
// reinterpret). Float code uses no fast-math flags, so LLVM never contracts
// or reassociates; min/max map to llvm.minimum/maximum (NaN-propagating,
// -0 < +0) and nearest to llvm.roundeven.
#include <llvm/ADT/APFloat.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include "emitter_private.h"

namespace wasmaot::compiler::detail {
namespace {

using llvm::CmpInst;

using llvm::Intrinsic::ID;

bool isConstantInt(llvm::Value* value, int64_t expected) {
  auto* constant = llvm::dyn_cast<llvm::ConstantInt>(value);
  return constant && constant->getValue() == llvm::APInt(constant->getBitWidth(), expected, true);
}

bool isNonZeroConstant(llvm::Value* value) {
  auto* constant = llvm::dyn_cast<llvm::ConstantInt>(value);
  return constant && !constant->isZero();
}

// The open interval (lower, upper) of float values that truncate to a
// representable integer, for each trapping truncation.
struct TruncRange {
  double lower;
  double upper;
};

// Largest float below INT_MIN of the target width; INT_MAX+1 / UINT_MAX+1 above.
constexpr TruncRange kI32FromF32Signed{-2147483904.0, 2147483648.0};  // -(2^31 + 2^8)
constexpr TruncRange kI32FromF64Signed{-2147483649.0, 2147483648.0};  // -(2^31 + 1)
constexpr TruncRange kI32Unsigned{-1.0, 4294967296.0};
constexpr TruncRange kI64FromF32Signed{-9223373136366403584.0, 9223372036854775808.0};  // -(2^63 + 2^40)
constexpr TruncRange kI64FromF64Signed{-9223372036854777856.0, 9223372036854775808.0};  // -(2^63 + 2^11)
constexpr TruncRange kI64Unsigned{-1.0, 18446744073709551616.0};

bool isFloatConstant(llvm::Value* value, bool (*predicate)(const llvm::APFloat&)) {
  auto* constant = llvm::dyn_cast<llvm::ConstantFP>(value);
  return constant && predicate(constant->getValueAPF());
}
bool isZero(const llvm::APFloat& v) { return v.isZero(); }
bool isPlusMinusOne(const llvm::APFloat& v) { return v.isExactlyValue(1.0) || v.isExactlyValue(-1.0); }

// True if LLVM may fold `lhs op rhs` to lhs, rhs or their negation (x+-0, x-0,
// -0-x, x*1, x*-1, x/1, x/-1), which would let a signalling NaN through unquieted.
bool mayFoldToOperand(llvm::Instruction::BinaryOps op, llvm::Value* lhs, llvm::Value* rhs) {
  switch (op) {
    case llvm::Instruction::FAdd:
    case llvm::Instruction::FSub: return isFloatConstant(lhs, isZero) || isFloatConstant(rhs, isZero);
    case llvm::Instruction::FMul:
      return isFloatConstant(lhs, isPlusMinusOne) || isFloatConstant(rhs, isPlusMinusOne);
    case llvm::Instruction::FDiv: return isFloatConstant(rhs, isPlusMinusOne);
    default: return false;
  }
}

}  // namespace

// Wasm requires an arithmetic (quiet) NaN from arithmetic on a signalling NaN.
// LLVM does not promise to quiet sNaNs (it folds x*1.0 to x, and x86's
// llvm.minimum passes NaN operands through), so where that can happen the
// result goes through select(isnan(v), v + v, v): v + v is a quiet NaN.
llvm::Value* FunctionEmitter::quietNaN(llvm::Value* value) {
  auto& b = builder_;
  return b.CreateSelect(b.CreateFCmpUNO(value, value), b.CreateFAdd(value, value), value);
}

// ceil, floor, trunc and nearest for targets without SSE4.1's roundss/sd.
// LLVM would lower its intrinsics to calls of libm's ceil, floor, ... there,
// and a compiled module must not depend on libm being in the process. Below
// 2^52 (f64) or 2^23 (f32), (|x| + 2^52) - 2^52 rounds |x| to the nearest
// integer, ties to even (the default rounding mode); one compare and one
// step fix that up into the other roundings, and copysign restores the sign
// (also of zero results: ceil(-0.5) is -0). Larger values, infinities and
// NaNs are already integral: x + 0.0 returns them (quieting a NaN, as
// roundsd does).
llvm::Value* FunctionEmitter::roundWithoutSse41(llvm::Intrinsic::ID id, llvm::Value* x) {
  auto& b = builder_;
  llvm::Type* type = x->getType();
  const double magic = type->getScalarType()->isDoubleTy() ? 4503599627370496.0 : 8388608.0;  // 2^52, 2^23
  llvm::Value* m = llvm::ConstantFP::get(type, magic);
  llvm::Value* one = llvm::ConstantFP::get(type, 1.0);
  llvm::Value* ax = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
  llvm::Value* nearest_abs = b.CreateFSub(b.CreateFAdd(ax, m), m);
  llvm::Value* rounded = nullptr;
  if (id == llvm::Intrinsic::roundeven) {
    rounded = nearest_abs;
  } else if (id == llvm::Intrinsic::trunc) {
    rounded = b.CreateSelect(b.CreateFCmpOGT(nearest_abs, ax), b.CreateFSub(nearest_abs, one), nearest_abs);
  } else {
    llvm::Value* t = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, nearest_abs, x);
    rounded = id == llvm::Intrinsic::floor
                  ? b.CreateSelect(b.CreateFCmpOGT(t, x), b.CreateFSub(t, one), t)
                  : b.CreateSelect(b.CreateFCmpOLT(t, x), b.CreateFAdd(t, one), t);
  }
  llvm::Value* small = b.CreateFCmpOLT(ax, m);
  llvm::Value* integral = b.CreateFAdd(x, llvm::ConstantFP::get(type, 0.0));
  return b.CreateSelect(small, b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, rounded, x), integral);
}

bool FunctionEmitter::emitNumeric(const Instruction& ins) {
  auto& b = builder_;
  auto binary = [&](auto&& make) {
    llvm::Value* rhs = pop();
    llvm::Value* lhs = pop();
    push(make(lhs, rhs));
  };
  auto unary = [&](auto&& make) { push(make(pop())); };
  auto compare = [&](CmpInst::Predicate predicate) {
    llvm::Value* rhs = pop();
    llvm::Value* lhs = pop();
    push(boolToI32(b.CreateCmp(predicate, lhs, rhs)));
  };
  auto unaryIntrinsic = [&](ID id) { unary([&](llvm::Value* v) { return b.CreateUnaryIntrinsic(id, v); }); };
  auto rounding = [&](ID id) {
    if (options_.has_sse41_rounding) return unaryIntrinsic(id);
    unary([&](llvm::Value* v) { return roundWithoutSse41(id, v); });
  };
  auto binaryIntrinsic = [&](ID id) {
    binary([&](llvm::Value* l, llvm::Value* r) { return b.CreateBinaryIntrinsic(id, l, r); });
  };
  auto floatArithmetic = [&](llvm::Instruction::BinaryOps op) {
    binary([&](llvm::Value* l, llvm::Value* r) {
      llvm::Value* result = b.CreateBinOp(op, l, r);
      return mayFoldToOperand(op, l, r) ? quietNaN(result) : result;
    });
  };
  // min/max: NaN if either operand is NaN (quieted, via a + b), else llvm.minimum/maximum.
  auto minMax = [&](ID id) {
    binary([&](llvm::Value* l, llvm::Value* r) {
      return b.CreateSelect(b.CreateFCmpUNO(l, r), b.CreateFAdd(l, r), b.CreateBinaryIntrinsic(id, l, r));
    });
  };
  // Shift counts are taken modulo the bit width.
  auto shift = [&](llvm::Instruction::BinaryOps opcode) {
    binary([&](llvm::Value* l, llvm::Value* r) {
      unsigned bits = l->getType()->getIntegerBitWidth();
      return b.CreateBinOp(opcode, l, b.CreateAnd(r, llvm::ConstantInt::get(r->getType(), bits - 1)));
    });
  };
  auto rotate = [&](ID id) {  // funnel shifts already take the count modulo the width
    binary([&](llvm::Value* l, llvm::Value* r) {
      return b.CreateIntrinsic(id, {l->getType()}, {l, l, r});
    });
  };
  auto countZeros = [&](ID id) {
    unary([&](llvm::Value* v) { return b.CreateIntrinsic(id, {v->getType()}, {v, b.getFalse()}); });
  };
  auto divide = [&](bool is_signed, bool is_remainder) {
    llvm::Value* rhs = pop();
    llvm::Value* lhs = pop();
    llvm::Type* type = rhs->getType();
    if (!isNonZeroConstant(rhs)) {
      trapIf(b.CreateICmpEQ(rhs, llvm::ConstantInt::get(type, 0)), abi::TrapCode::IntegerDivideByZero);
    }
    llvm::Value* result = nullptr;
    if (!is_signed) {
      result = is_remainder ? b.CreateURem(lhs, rhs) : b.CreateUDiv(lhs, rhs);
    } else if (is_remainder) {
      // INT_MIN % -1 is 0 in wasm but overflows the machine instruction: x % -1 == x % 1.
      if (llvm::isa<llvm::ConstantInt>(rhs)) {
        result = isConstantInt(rhs, -1) ? llvm::ConstantInt::get(type, 0) : b.CreateSRem(lhs, rhs);
      } else {
        llvm::Value* is_minus_one = b.CreateICmpEQ(rhs, llvm::ConstantInt::getAllOnesValue(type));
        llvm::Value* safe_rhs = b.CreateSelect(is_minus_one, llvm::ConstantInt::get(type, 1), rhs);
        result = b.CreateSRem(lhs, safe_rhs);
      }
    } else {
      bool rhs_may_be_minus_one = !llvm::isa<llvm::ConstantInt>(rhs) || isConstantInt(rhs, -1);
      if (rhs_may_be_minus_one) {
        unsigned bits = type->getIntegerBitWidth();
        llvm::Value* lhs_is_min =
            b.CreateICmpEQ(lhs, llvm::ConstantInt::get(type, llvm::APInt::getSignedMinValue(bits)));
        llvm::Value* rhs_is_minus_one = b.CreateICmpEQ(rhs, llvm::ConstantInt::getAllOnesValue(type));
        trapIf(b.CreateAnd(lhs_is_min, rhs_is_minus_one), abi::TrapCode::IntegerOverflow);
      }
      result = b.CreateSDiv(lhs, rhs);
    }
    push(result);
  };

  switch (ins.op) {
    // ---- constants (floats by exact bit pattern, so NaN payloads survive) ----
    case Opcode::I32Const: push(llvm::ConstantInt::get(i32_, static_cast<uint32_t>(ins.imm))); return true;
    case Opcode::I64Const: push(llvm::ConstantInt::get(i64_, ins.imm)); return true;
    case Opcode::F32Const:
      push(llvm::ConstantFP::get(
          context_, llvm::APFloat(llvm::APFloat::IEEEsingle(), llvm::APInt(32, ins.imm & 0xFFFFFFFFu))));
      return true;
    case Opcode::F64Const:
      push(llvm::ConstantFP::get(context_, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, ins.imm))));
      return true;

    // ---- integer tests and comparisons ----
    case Opcode::I32Eqz:
    case Opcode::I64Eqz:
      unary([&](llvm::Value* v) {
        return boolToI32(b.CreateICmpEQ(v, llvm::ConstantInt::get(v->getType(), 0)));
      });
      return true;
    case Opcode::I32Eq: case Opcode::I64Eq: compare(CmpInst::ICMP_EQ); return true;
    case Opcode::I32Ne: case Opcode::I64Ne: compare(CmpInst::ICMP_NE); return true;
    case Opcode::I32LtS: case Opcode::I64LtS: compare(CmpInst::ICMP_SLT); return true;
    case Opcode::I32LtU: case Opcode::I64LtU: compare(CmpInst::ICMP_ULT); return true;
    case Opcode::I32GtS: case Opcode::I64GtS: compare(CmpInst::ICMP_SGT); return true;
    case Opcode::I32GtU: case Opcode::I64GtU: compare(CmpInst::ICMP_UGT); return true;
    case Opcode::I32LeS: case Opcode::I64LeS: compare(CmpInst::ICMP_SLE); return true;
    case Opcode::I32LeU: case Opcode::I64LeU: compare(CmpInst::ICMP_ULE); return true;
    case Opcode::I32GeS: case Opcode::I64GeS: compare(CmpInst::ICMP_SGE); return true;
    case Opcode::I32GeU: case Opcode::I64GeU: compare(CmpInst::ICMP_UGE); return true;

    // ---- float comparisons (ordered, except ne which is true on NaN) ----
    case Opcode::F32Eq: case Opcode::F64Eq: compare(CmpInst::FCMP_OEQ); return true;
    case Opcode::F32Ne: case Opcode::F64Ne: compare(CmpInst::FCMP_UNE); return true;
    case Opcode::F32Lt: case Opcode::F64Lt: compare(CmpInst::FCMP_OLT); return true;
    case Opcode::F32Gt: case Opcode::F64Gt: compare(CmpInst::FCMP_OGT); return true;
    case Opcode::F32Le: case Opcode::F64Le: compare(CmpInst::FCMP_OLE); return true;
    case Opcode::F32Ge: case Opcode::F64Ge: compare(CmpInst::FCMP_OGE); return true;

    // ---- integer arithmetic ----
    case Opcode::I32Clz: case Opcode::I64Clz: countZeros(llvm::Intrinsic::ctlz); return true;
    case Opcode::I32Ctz: case Opcode::I64Ctz: countZeros(llvm::Intrinsic::cttz); return true;
    case Opcode::I32Popcnt: case Opcode::I64Popcnt: unaryIntrinsic(llvm::Intrinsic::ctpop); return true;
    case Opcode::I32Add: case Opcode::I64Add:
      binary([&](llvm::Value* l, llvm::Value* r) { return b.CreateAdd(l, r); });
      return true;
    case Opcode::I32Sub: case Opcode::I64Sub:
      binary([&](llvm::Value* l, llvm::Value* r) { return b.CreateSub(l, r); });
      return true;
    case Opcode::I32Mul: case Opcode::I64Mul:
      binary([&](llvm::Value* l, llvm::Value* r) { return b.CreateMul(l, r); });
      return true;
    case Opcode::I32DivS: case Opcode::I64DivS: divide(true, false); return true;
    case Opcode::I32DivU: case Opcode::I64DivU: divide(false, false); return true;
    case Opcode::I32RemS: case Opcode::I64RemS: divide(true, true); return true;
    case Opcode::I32RemU: case Opcode::I64RemU: divide(false, true); return true;
    case Opcode::I32And: case Opcode::I64And:
      binary([&](llvm::Value* l, llvm::Value* r) { return b.CreateAnd(l, r); });
      return true;
    case Opcode::I32Or: case Opcode::I64Or:
      binary([&](llvm::Value* l, llvm::Value* r) { return b.CreateOr(l, r); });
      return true;
    case Opcode::I32Xor: case Opcode::I64Xor:
      binary([&](llvm::Value* l, llvm::Value* r) { return b.CreateXor(l, r); });
      return true;
    case Opcode::I32Shl: case Opcode::I64Shl: shift(llvm::Instruction::Shl); return true;
    case Opcode::I32ShrS: case Opcode::I64ShrS: shift(llvm::Instruction::AShr); return true;
    case Opcode::I32ShrU: case Opcode::I64ShrU: shift(llvm::Instruction::LShr); return true;
    case Opcode::I32Rotl: case Opcode::I64Rotl: rotate(llvm::Intrinsic::fshl); return true;
    case Opcode::I32Rotr: case Opcode::I64Rotr: rotate(llvm::Intrinsic::fshr); return true;

    // ---- float arithmetic ----
    case Opcode::F32Abs: case Opcode::F64Abs: unaryIntrinsic(llvm::Intrinsic::fabs); return true;
    case Opcode::F32Neg: case Opcode::F64Neg:
      unary([&](llvm::Value* v) { return b.CreateFNeg(v); });
      return true;
    case Opcode::F32Ceil: case Opcode::F64Ceil: rounding(llvm::Intrinsic::ceil); return true;
    case Opcode::F32Floor: case Opcode::F64Floor: rounding(llvm::Intrinsic::floor); return true;
    case Opcode::F32Trunc: case Opcode::F64Trunc: rounding(llvm::Intrinsic::trunc); return true;
    case Opcode::F32Nearest: case Opcode::F64Nearest: rounding(llvm::Intrinsic::roundeven); return true;
    case Opcode::F32Sqrt: case Opcode::F64Sqrt: unaryIntrinsic(llvm::Intrinsic::sqrt); return true;
    case Opcode::F32Add: case Opcode::F64Add: floatArithmetic(llvm::Instruction::FAdd); return true;
    case Opcode::F32Sub: case Opcode::F64Sub: floatArithmetic(llvm::Instruction::FSub); return true;
    case Opcode::F32Mul: case Opcode::F64Mul: floatArithmetic(llvm::Instruction::FMul); return true;
    case Opcode::F32Div: case Opcode::F64Div: floatArithmetic(llvm::Instruction::FDiv); return true;
    case Opcode::F32Min: case Opcode::F64Min: minMax(llvm::Intrinsic::minimum); return true;
    case Opcode::F32Max: case Opcode::F64Max: minMax(llvm::Intrinsic::maximum); return true;
    case Opcode::F32Copysign: case Opcode::F64Copysign: binaryIntrinsic(llvm::Intrinsic::copysign); return true;
    default: return false;
  }
}

bool FunctionEmitter::emitConversion(const Instruction& ins) {
  auto& b = builder_;
  // Trapping float -> int: NaN traps "invalid conversion", values outside the
  // open interval trap "integer overflow". One well-predicted branch on the hot path.
  auto truncate = [&](llvm::Type* target, bool is_signed, TruncRange range) {
    llvm::Value* value = pop();
    llvm::Type* source = value->getType();
    llvm::Value* in_range =
        b.CreateAnd(b.CreateFCmpOGT(value, llvm::ConstantFP::get(source, range.lower)),
                    b.CreateFCmpOLT(value, llvm::ConstantFP::get(source, range.upper)));
    if (auto* constant = llvm::dyn_cast<llvm::ConstantInt>(in_range); !constant || !constant->isOne()) {
      llvm::BasicBlock* out_of_range = newBlock("trunc.invalid");
      llvm::BasicBlock* continuation = newBlock("trunc.ok");
      unlikelyBranch(b.CreateNot(in_range), out_of_range, continuation);
      b.SetInsertPoint(out_of_range);
      b.CreateCondBr(b.CreateFCmpUNO(value, value), trapBlock(abi::TrapCode::InvalidConversionToInteger),
                     trapBlock(abi::TrapCode::IntegerOverflow));
      b.SetInsertPoint(continuation);
    }
    push(is_signed ? b.CreateFPToSI(value, target) : b.CreateFPToUI(value, target));
  };
  auto saturate = [&](llvm::Type* target, bool is_signed) {
    llvm::Value* value = pop();
    push(b.CreateIntrinsic(is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat,
                           {target, value->getType()}, {value}));
  };
  auto signExtendFrom = [&](llvm::Type* narrow) {
    llvm::Value* value = pop();
    push(b.CreateSExt(b.CreateTrunc(value, narrow), value->getType()));
  };

  switch (ins.op) {
    case Opcode::I32WrapI64: push(b.CreateTrunc(pop(), i32_)); return true;
    case Opcode::I64ExtendI32S: push(b.CreateSExt(pop(), i64_)); return true;
    case Opcode::I64ExtendI32U: push(b.CreateZExt(pop(), i64_)); return true;
    case Opcode::I32Extend8S: case Opcode::I64Extend8S: signExtendFrom(i8_); return true;
    case Opcode::I32Extend16S: case Opcode::I64Extend16S:
      signExtendFrom(llvm::Type::getInt16Ty(context_));
      return true;
    case Opcode::I64Extend32S: signExtendFrom(i32_); return true;

    case Opcode::I32TruncF32S: truncate(i32_, true, kI32FromF32Signed); return true;
    case Opcode::I32TruncF64S: truncate(i32_, true, kI32FromF64Signed); return true;
    case Opcode::I32TruncF32U: case Opcode::I32TruncF64U: truncate(i32_, false, kI32Unsigned); return true;
    case Opcode::I64TruncF32S: truncate(i64_, true, kI64FromF32Signed); return true;
    case Opcode::I64TruncF64S: truncate(i64_, true, kI64FromF64Signed); return true;
    case Opcode::I64TruncF32U: case Opcode::I64TruncF64U: truncate(i64_, false, kI64Unsigned); return true;

    case Opcode::I32TruncSatF32S: case Opcode::I32TruncSatF64S: saturate(i32_, true); return true;
    case Opcode::I32TruncSatF32U: case Opcode::I32TruncSatF64U: saturate(i32_, false); return true;
    case Opcode::I64TruncSatF32S: case Opcode::I64TruncSatF64S: saturate(i64_, true); return true;
    case Opcode::I64TruncSatF32U: case Opcode::I64TruncSatF64U: saturate(i64_, false); return true;

    case Opcode::F32ConvertI32S: case Opcode::F32ConvertI64S: push(b.CreateSIToFP(pop(), f32_)); return true;
    case Opcode::F32ConvertI32U: case Opcode::F32ConvertI64U: push(b.CreateUIToFP(pop(), f32_)); return true;
    case Opcode::F64ConvertI32S: case Opcode::F64ConvertI64S: push(b.CreateSIToFP(pop(), f64_)); return true;
    case Opcode::F64ConvertI32U: case Opcode::F64ConvertI64U: push(b.CreateUIToFP(pop(), f64_)); return true;
    case Opcode::F32DemoteF64: {
      // LLVM folds demote(promote(x)) to x, which must still quiet a signalling NaN.
      llvm::Value* value = pop();
      bool is_round_trip = llvm::isa<llvm::FPExtInst>(value);
      llvm::Value* demoted = b.CreateFPTrunc(value, f32_);
      push(is_round_trip ? quietNaN(demoted) : demoted);
      return true;
    }
    case Opcode::F64PromoteF32: push(b.CreateFPExt(pop(), f64_)); return true;

    case Opcode::I32ReinterpretF32: push(b.CreateBitCast(pop(), i32_)); return true;
    case Opcode::I64ReinterpretF64: push(b.CreateBitCast(pop(), i64_)); return true;
    case Opcode::F32ReinterpretI32: push(b.CreateBitCast(pop(), f32_)); return true;
    case Opcode::F64ReinterpretI64: push(b.CreateBitCast(pop(), f64_)); return true;
    default: return false;
  }
}

}  // namespace wasmaot::compiler::detail
