// The threads proposal's instructions (0xFE prefix): atomic loads, stores,
// read-modify-writes and compare-exchanges as LLVM atomics (seq_cst, which
// x86 gives with lock-prefixed instructions or xchg, never a library call or
// a lock), atomic.fence, and memory.atomic.wait32/wait64/notify through
// RuntimeFunctions helpers (runtime/src/atomic_wait.cpp).
//
// Every access except fence checks its alignment first: an address that is
// not a multiple of the access size traps "unaligned atomic", or "out of
// bounds memory access" if it is also past the end (bounds come first in the
// spec; in the aligned case the guard pages catch them, as for plain loads).
#include <cstddef>

#include <llvm/IR/Constants.h>

#include "atomic_ops.h"
#include "emitter_private.h"
#include "trap_preservation.h"

namespace wasmaot::compiler::detail {

// The effective address of an atomic access (zext(index) + offset), checked
// for alignment as described above.
llvm::Value* FunctionEmitter::alignedAtomicAddress(llvm::Value* index32, uint64_t offset, unsigned bytes) {
  auto& b = builder_;
  llvm::Value* address = b.CreateZExt(index32, i64_);
  if (offset != 0) address = b.CreateAdd(address, llvm::ConstantInt::get(i64_, offset), "", true, true);
  if (bytes > 1) {
    llvm::Value* misaligned = b.CreateICmpNE(b.CreateAnd(address, bytes - 1), llvm::ConstantInt::get(i64_, 0));
    llvm::BasicBlock* cold = newBlock("atomic.unaligned");
    llvm::BasicBlock* aligned = newBlock("atomic.aligned");
    unlikelyBranch(misaligned, cold, aligned);
    b.SetInsertPoint(cold);
    llvm::Value* state = vmctxFieldInvariant(offsetof(abi::VMContext, memory));
    llvm::Value* size = load(i64_, bytePointer(state, offsetof(abi::LinearMemoryState, size_bytes)),
                             tags_.memory_state, false, "memory_size");
    llvm::Value* end = b.CreateAdd(address, llvm::ConstantInt::get(i64_, bytes));
    trapIf(b.CreateICmpUGT(end, size), abi::TrapCode::OutOfBoundsMemoryAccess);
    b.CreateBr(trapBlock(abi::TrapCode::UnalignedAtomic));
    b.SetInsertPoint(aligned);
  }
  return address;
}

bool FunctionEmitter::emitAtomic(const Instruction& ins) {
  const int sub = atomicSubOpcode(ins.op);
  if (sub < 0) return false;
  auto& b = builder_;
  const AtomicOp op = atomicOp(static_cast<uint32_t>(sub));
  using K = AtomicOp::Kind;
  constexpr auto kOrder = llvm::AtomicOrdering::SequentiallyConsistent;

  if (op.kind == K::Fence) {
    b.CreateFence(kOrder);
    return true;
  }
  if (op.kind == K::Notify || op.kind == K::Wait32 || op.kind == K::Wait64) {
    llvm::Value* timeout = op.kind == K::Notify ? nullptr : pop();
    llvm::Value* operand = pop();  // notify: count; wait: expected
    llvm::Value* address = alignedAtomicAddress(pop(), ins.imm, op.bytes);
    if (op.kind == K::Notify) {
      push(callRuntime(offsetof(abi::RuntimeFunctions, atomic_notify), i32_, {address, operand}));
      return true;
    }
    // Waiting on a memory no other thread can share could only time out.
    if (info_.memories.empty() || !info_.memories[0].shared) {
      b.CreateBr(trapBlock(abi::TrapCode::ExpectedSharedMemory));
      b.SetInsertPoint(newBlock("after.wait"));
      push(llvm::PoisonValue::get(i32_));
      return true;
    }
    const size_t helper = op.kind == K::Wait32 ? offsetof(abi::RuntimeFunctions, atomic_wait32)
                                               : offsetof(abi::RuntimeFunctions, atomic_wait64);
    push(callRuntime(helper, i32_, {address, operand, timeout}));
    return true;
  }

  llvm::Type* value_type = typeOf(op.type);
  llvm::Type* memory_type = b.getIntNTy(op.bytes * 8);
  auto narrow = [&](llvm::Value* v) { return memory_type == value_type ? v : b.CreateTrunc(v, memory_type); };
  auto widen = [&](llvm::Value* v) { return memory_type == value_type ? v : b.CreateZExt(v, value_type); };
  const llvm::Align align(op.bytes);

  switch (op.kind) {
    case K::Load: {
      llvm::Value* address = alignedAtomicAddress(pop(), ins.imm, op.bytes);
      llvm::LoadInst* loaded = b.CreateAlignedLoad(memory_type, b.CreateInBoundsGEP(i8_, memoryBase(), address), align);
      loaded->setAtomic(kOrder);
      loaded->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.linear_memory);
      anchorTrappingLoad(b, loaded);
      push(widen(loaded));
      return true;
    }
    case K::Store: {
      llvm::Value* value = narrow(pop());
      llvm::Value* address = alignedAtomicAddress(pop(), ins.imm, op.bytes);
      llvm::StoreInst* stored = b.CreateAlignedStore(value, b.CreateInBoundsGEP(i8_, memoryBase(), address), align);
      stored->setAtomic(kOrder);
      stored->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.linear_memory);
      return true;
    }
    case K::Rmw: {
      static constexpr llvm::AtomicRMWInst::BinOp kOps[] = {
          llvm::AtomicRMWInst::Add, llvm::AtomicRMWInst::Sub, llvm::AtomicRMWInst::And,
          llvm::AtomicRMWInst::Or,  llvm::AtomicRMWInst::Xor, llvm::AtomicRMWInst::Xchg};
      llvm::Value* value = narrow(pop());
      llvm::Value* address = alignedAtomicAddress(pop(), ins.imm, op.bytes);
      llvm::Value* old = b.CreateAtomicRMW(kOps[static_cast<int>(op.rmw)],
                                           b.CreateInBoundsGEP(i8_, memoryBase(), address), value, align, kOrder);
      push(widen(old));
      return true;
    }
    case K::Cmpxchg: {
      llvm::Value* replacement = narrow(pop());
      llvm::Value* expected = narrow(pop());  // wrapped to the access width, as the spec says
      llvm::Value* address = alignedAtomicAddress(pop(), ins.imm, op.bytes);
      llvm::Value* pair = b.CreateAtomicCmpXchg(b.CreateInBoundsGEP(i8_, memoryBase(), address), expected,
                                                replacement, align, kOrder, kOrder);
      push(widen(b.CreateExtractValue(pair, 0)));
      return true;
    }
    default: return false;
  }
}

}  // namespace wasmaot::compiler::detail
