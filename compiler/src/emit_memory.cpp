// Linear-memory instructions of every memory (multi-memory). Loads and
// stores address base + zext(addr) + offset; each memory's 8 GiB reservation
// plus guard pages make bounds checks unnecessary. memory.size is inline;
// memory.grow and bulk memory go through RuntimeFunctions helpers, which
// bounds-check and trap themselves. Accesses are align 1 and carry the
// linear-memory TBAA tag so that LLVM knows they never alias VM-context,
// global or table accesses. Each load is anchored so the optimiser cannot
// delete it (trap_preservation.h).
#include <cstddef>

#include <llvm/IR/Constants.h>

#include "emitter_private.h"
#include "trap_preservation.h"

namespace wasmaot::compiler::detail {
namespace {

struct MemoryAccess {
  enum class Extend : uint8_t { None, Signed, Unsigned };
  bool is_store = false;
  abi::ValType value_type = abi::ValType::I32;  // the wasm operand/result type
  unsigned width_bits = 32;                      // bits actually accessed
  Extend extend = Extend::None;
};

bool describeAccess(Opcode op, MemoryAccess* access) {
  using E = MemoryAccess::Extend;
  using V = abi::ValType;
  auto set = [&](bool is_store, V type, unsigned bits, E extend) {
    *access = MemoryAccess{is_store, type, bits, extend};
    return true;
  };
  switch (op) {
    case Opcode::I32Load: return set(false, V::I32, 32, E::None);
    case Opcode::I64Load: return set(false, V::I64, 64, E::None);
    case Opcode::F32Load: return set(false, V::F32, 32, E::None);
    case Opcode::F64Load: return set(false, V::F64, 64, E::None);
    case Opcode::I32Load8S: return set(false, V::I32, 8, E::Signed);
    case Opcode::I32Load8U: return set(false, V::I32, 8, E::Unsigned);
    case Opcode::I32Load16S: return set(false, V::I32, 16, E::Signed);
    case Opcode::I32Load16U: return set(false, V::I32, 16, E::Unsigned);
    case Opcode::I64Load8S: return set(false, V::I64, 8, E::Signed);
    case Opcode::I64Load8U: return set(false, V::I64, 8, E::Unsigned);
    case Opcode::I64Load16S: return set(false, V::I64, 16, E::Signed);
    case Opcode::I64Load16U: return set(false, V::I64, 16, E::Unsigned);
    case Opcode::I64Load32S: return set(false, V::I64, 32, E::Signed);
    case Opcode::I64Load32U: return set(false, V::I64, 32, E::Unsigned);
    case Opcode::I32Store: return set(true, V::I32, 32, E::None);
    case Opcode::I64Store: return set(true, V::I64, 64, E::None);
    case Opcode::F32Store: return set(true, V::F32, 32, E::None);
    case Opcode::F64Store: return set(true, V::F64, 64, E::None);
    case Opcode::I32Store8: return set(true, V::I32, 8, E::None);
    case Opcode::I32Store16: return set(true, V::I32, 16, E::None);
    case Opcode::I64Store8: return set(true, V::I64, 8, E::None);
    case Opcode::I64Store16: return set(true, V::I64, 16, E::None);
    case Opcode::I64Store32: return set(true, V::I64, 32, E::None);
    default: return false;
  }
}

}  // namespace

// Memory 0's state and base are VMContext fields; any other memory's come
// from VMContext::memories. Each memory has its own reservation and guard,
// so every memory is addressed the same way; the base never moves, so it
// is loaded once per function, like memory 0's.
llvm::Value* FunctionEmitter::memoryState(uint32_t memory) {
  if (memory == 0) return vmctxFieldInvariant(offsetof(abi::VMContext, memory));
  llvm::Value*& cached = memory_states_.at(memory);
  if (!cached) {
    llvm::Value* states = vmctxFieldInvariant(offsetof(abi::VMContext, memories));
    cached = loadInvariantPointer(states, uint64_t{memory} * sizeof(void*), "memory_state");
  }
  return cached;
}

llvm::Value* FunctionEmitter::memoryBaseOf(uint32_t memory) {
  if (memory == 0) return memoryBase();
  llvm::Value*& cached = memory_bases_.at(memory);
  if (!cached) cached = loadInvariantPointer(memoryState(memory), offsetof(abi::LinearMemoryState, base), "memory_base");
  return cached;
}

llvm::Value* FunctionEmitter::linearMemoryAddress(llvm::Value* index32, uint64_t offset, unsigned access_bytes,
                                                  uint32_t memory) {
  auto& b = builder_;
  if (options_.thread_local_errno && memory == 0) {
    // wasi-libc's errno, addressed by a constant: this thread's copy instead.
    const auto& tl = *options_.thread_local_errno;
    if (auto* constant = llvm::dyn_cast<llvm::ConstantInt>(index32)) {
      const uint64_t at = constant->getZExtValue() + offset;
      if (at >= tl.errno_address && at + access_bytes <= uint64_t{tl.errno_address} + 4) {
        llvm::Value* tls_base = load(i32_, globalCell(tl.tls_base_global), tags_.global_cell, false, "tls_base");
        index32 = b.CreateAdd(tls_base, llvm::ConstantInt::get(i32_, tl.tls_offset + (at - tl.errno_address)));
        offset = 0;
      }
    }
  }
  llvm::Value* index = b.CreateZExt(index32, i64_);
  if (offset != 0) {
    index = b.CreateAdd(index, llvm::ConstantInt::get(i64_, offset), "", /*HasNUW=*/true, /*HasNSW=*/true);
  }
  if (options_.bounds_checks) {
    llvm::Value* state = memoryState(memory);
    llvm::Value* size = load(i64_, bytePointer(state, offsetof(abi::LinearMemoryState, size_bytes)),
                             tags_.memory_state, false, "memory_size");
    llvm::Value* end = b.CreateAdd(index, llvm::ConstantInt::get(i64_, access_bytes));
    trapIf(b.CreateICmpUGT(end, size), abi::TrapCode::OutOfBoundsMemoryAccess);
  }
  return b.CreateInBoundsGEP(i8_, memoryBaseOf(memory), index, "addr");
}

bool FunctionEmitter::emitMemory(const Instruction& ins) {
  auto& b = builder_;
  MemoryAccess access;
  if (describeAccess(ins.op, &access)) {
    llvm::Value* value = access.is_store ? pop() : nullptr;
    llvm::Value* address = linearMemoryAddress(pop(), ins.imm, access.width_bits / 8, ins.memory);
    llvm::Type* wasm_type = typeOf(access.value_type);
    bool is_full_width = access.width_bits == wasm_type->getPrimitiveSizeInBits();
    llvm::Type* memory_type = is_full_width ? wasm_type : b.getIntNTy(access.width_bits);

    if (access.is_store) {
      llvm::Value* stored = is_full_width ? value : b.CreateTrunc(value, memory_type);
      llvm::StoreInst* store_inst = b.CreateAlignedStore(stored, address, llvm::Align(1));
      store_inst->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.linear_memory);
    } else {
      llvm::LoadInst* loaded = b.CreateAlignedLoad(memory_type, address, llvm::Align(1));
      loaded->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.linear_memory);
      anchorTrappingLoad(b, loaded);
      llvm::Value* result = loaded;
      if (access.extend == MemoryAccess::Extend::Signed) result = b.CreateSExt(loaded, wasm_type);
      if (access.extend == MemoryAccess::Extend::Unsigned) result = b.CreateZExt(loaded, wasm_type);
      push(result);
    }
    return true;
  }

  auto* void_type = llvm::Type::getVoidTy(context_);
  auto index_constant = [&](uint32_t value) { return llvm::ConstantInt::get(i32_, value); };
  switch (ins.op) {
    case Opcode::MemorySize: {
      llvm::Value* size = load(i64_, bytePointer(memoryState(ins.memory), offsetof(abi::LinearMemoryState, size_bytes)),
                               tags_.memory_state, false, "memory_size");
      push(b.CreateTrunc(b.CreateLShr(size, 16), i32_));
      return true;
    }
    case Opcode::MemoryGrow: {
      llvm::Value* delta = pop();
      push(callRuntime(offsetof(abi::RuntimeFunctions, memory_grow), i32_, {index_constant(ins.memory), delta}));
      return true;
    }
    // Bulk memory: memory 0 through the original helpers, others through
    // the ones that take memory indices.
    case Opcode::MemoryCopy: {
      llvm::Value* length = pop();
      llvm::Value* source = pop();
      llvm::Value* destination = pop();
      if (ins.memory == 0 && ins.b == 0) {
        callRuntime(offsetof(abi::RuntimeFunctions, memory_copy), void_type, {destination, source, length});
      } else {
        callRuntime(offsetof(abi::RuntimeFunctions, memory_copy_between), void_type,
                    {index_constant(ins.memory), index_constant(ins.b), destination, source, length});
      }
      return true;
    }
    case Opcode::MemoryFill: {
      llvm::Value* length = pop();
      llvm::Value* byte_value = pop();
      llvm::Value* destination = pop();
      if (ins.memory == 0) {
        callRuntime(offsetof(abi::RuntimeFunctions, memory_fill), void_type, {destination, byte_value, length});
      } else {
        callRuntime(offsetof(abi::RuntimeFunctions, memory_fill_in), void_type,
                    {index_constant(ins.memory), destination, byte_value, length});
      }
      return true;
    }
    case Opcode::MemoryInit: {
      llvm::Value* length = pop();
      llvm::Value* source = pop();
      llvm::Value* destination = pop();
      if (ins.memory == 0) {
        callRuntime(offsetof(abi::RuntimeFunctions, memory_init), void_type,
                    {index_constant(ins.a), destination, source, length});
      } else {
        callRuntime(offsetof(abi::RuntimeFunctions, memory_init_in), void_type,
                    {index_constant(ins.memory), index_constant(ins.a), destination, source, length});
      }
      return true;
    }
    case Opcode::DataDrop:
      callRuntime(offsetof(abi::RuntimeFunctions, data_drop), void_type, {index_constant(ins.a)});
      return true;
    default: return false;
  }
}

}  // namespace wasmaot::compiler::detail
