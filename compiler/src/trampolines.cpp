// Entry trampolines and host adapters: the slot-based calling glue between
// the runtime and compiled code. See trampolines.h for the conventions.
#include "trampolines.h"

#include <algorithm>
#include <stdexcept>

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/IRBuilder.h>

#include "codegen_types.h"

namespace wasmaot::compiler {
namespace {

// The first slot of each of `types` (a v128 takes two).
std::vector<size_t> slotPositions(const std::vector<abi::ValType>& types) {
  std::vector<size_t> positions;
  size_t next = 0;
  for (abi::ValType t : types) {
    positions.push_back(next);
    next += t == abi::ValType::V128 ? 2 : 1;
  }
  return positions;
}

llvm::Value* slotAddress(llvm::IRBuilder<>& builder, llvm::Value* slots, size_t index) {
  return builder.CreateConstInBoundsGEP1_64(builder.getInt64Ty(), slots, index);
}

// Reads a value of `type` from a 64-bit slot (its low bits for i32/f32; a
// v128 from this slot and the next).
llvm::Value* loadFromSlot(llvm::IRBuilder<>& builder, llvm::Value* slot, abi::ValType type) {
  llvm::LLVMContext& context = builder.getContext();
  if (abi::isReference(type)) return builder.CreateLoad(builder.getPtrTy(), slot);
  if (type == abi::ValType::V128) return builder.CreateAlignedLoad(llvmType(context, type), slot, llvm::Align(8));
  llvm::Value* bits = builder.CreateLoad(builder.getInt64Ty(), slot);
  switch (type) {
    case abi::ValType::I32: return builder.CreateTrunc(bits, builder.getInt32Ty());
    case abi::ValType::F32:
      return builder.CreateBitCast(builder.CreateTrunc(bits, builder.getInt32Ty()),
                                   llvmType(context, type));
    case abi::ValType::I64: return bits;
    case abi::ValType::F64: return builder.CreateBitCast(bits, llvmType(context, type));
    default: throw std::logic_error("loadFromSlot: unsupported type");
  }
}

// Writes a value of `type` into a 64-bit slot, zero-extending 32-bit values.
void storeToSlot(llvm::IRBuilder<>& builder, llvm::Value* slot, llvm::Value* value,
                 abi::ValType type) {
  if (abi::isReference(type)) {
    builder.CreateStore(value, slot);
    return;
  }
  if (type == abi::ValType::V128) {
    builder.CreateAlignedStore(value, slot, llvm::Align(8));
    return;
  }
  llvm::Value* bits = nullptr;
  switch (type) {
    case abi::ValType::I32: bits = builder.CreateZExt(value, builder.getInt64Ty()); break;
    case abi::ValType::F32:
      bits = builder.CreateZExt(builder.CreateBitCast(value, builder.getInt32Ty()),
                                builder.getInt64Ty());
      break;
    case abi::ValType::I64: bits = value; break;
    case abi::ValType::F64: bits = builder.CreateBitCast(value, builder.getInt64Ty()); break;
    default: throw std::logic_error("storeToSlot: unsupported type");
  }
  builder.CreateStore(bits, slot);
}

llvm::Function* createInternalFunction(llvm::Module& module, llvm::FunctionType* type,
                                       const std::string& name) {
  auto* function =
      llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, name, module);
  // Unwind tables let the runtime (or a debugger) walk through the glue.
  function->setUWTableKind(llvm::UWTableKind::Async);
  return function;
}

}  // namespace

llvm::Function* emitEntryTrampoline(llvm::Module& module, const abi::FuncType& type,
                                    const std::string& name) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Type* ptr = llvm::PointerType::get(context, 0);
  auto* trampoline_type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr, ptr, ptr}, false);
  llvm::Function* trampoline = createInternalFunction(module, trampoline_type, name);
  llvm::Value* code = trampoline->getArg(0);
  llvm::Value* vmctx = trampoline->getArg(1);
  llvm::Value* slots = trampoline->getArg(2);
  code->setName("code");
  vmctx->setName("vmctx");
  slots->setName("slots");

  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", trampoline));
  std::vector<llvm::Value*> args;
  args.reserve(type.params.size() + 1);
  args.push_back(vmctx);
  const std::vector<size_t> param_slots = slotPositions(type.params);
  const std::vector<size_t> result_slots = slotPositions(type.results);
  for (size_t i = 0; i < type.params.size(); ++i) {
    args.push_back(loadFromSlot(builder, slotAddress(builder, slots, param_slots[i]), type.params[i]));
  }
  llvm::Value* result = builder.CreateCall(nativeFunctionType(context, type), code, args);

  if (type.results.size() == 1) {
    storeToSlot(builder, slotAddress(builder, slots, 0), result, type.results[0]);
  } else {
    for (size_t i = 0; i < type.results.size(); ++i) {
      llvm::Value* value = builder.CreateExtractValue(result, {static_cast<unsigned>(i)});
      storeToSlot(builder, slotAddress(builder, slots, result_slots[i]), value, type.results[i]);
    }
  }
  builder.CreateRetVoid();
  return trampoline;
}

llvm::Function* emitHostAdapter(llvm::Module& module, const abi::FuncType& type,
                                const std::string& name) {
  llvm::LLVMContext& context = module.getContext();
  llvm::FunctionType* native_type = nativeFunctionType(context, type);
  llvm::Function* adapter = createInternalFunction(module, native_type, name);
  llvm::Value* closure = adapter->getArg(0);
  closure->setName("closure");

  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", adapter));
  const size_t param_slot_count = abi::slotCount(type.params);
  const size_t num_slots = std::max({param_slot_count, abi::slotCount(type.results), size_t{1}});
  const std::vector<size_t> param_slots = slotPositions(type.params);
  const std::vector<size_t> result_slots = slotPositions(type.results);
  llvm::Type* slot_array_type = llvm::ArrayType::get(builder.getInt64Ty(), num_slots);
  llvm::AllocaInst* slots = builder.CreateAlloca(slot_array_type, nullptr, "slots");
  slots->setAlignment(llvm::Align(16));
  for (size_t i = 0; i < type.params.size(); ++i) {
    storeToSlot(builder, slotAddress(builder, slots, param_slots[i]), adapter->getArg(i + 1), type.params[i]);
  }
  // Result-only slots start zeroed so a sloppy callback never leaks stack bits.
  for (size_t i = param_slot_count; i < num_slots; ++i) {
    builder.CreateStore(builder.getInt64(0), slotAddress(builder, slots, i));
  }

  // HostClosure::callback is at offset 0 of the closure.
  llvm::Type* ptr = builder.getPtrTy();
  llvm::Value* callback = builder.CreateLoad(ptr, closure, "callback");
  auto* callback_type = llvm::FunctionType::get(builder.getVoidTy(), {ptr, ptr}, false);
  builder.CreateCall(callback_type, callback, {closure, slots});

  if (type.results.empty()) {
    builder.CreateRetVoid();
  } else if (type.results.size() == 1) {
    builder.CreateRet(loadFromSlot(builder, slotAddress(builder, slots, 0), type.results[0]));
  } else {
    llvm::Value* aggregate = llvm::PoisonValue::get(native_type->getReturnType());
    for (size_t i = 0; i < type.results.size(); ++i) {
      llvm::Value* value =
          loadFromSlot(builder, slotAddress(builder, slots, result_slots[i]), type.results[i]);
      aggregate = builder.CreateInsertValue(aggregate, value, {static_cast<unsigned>(i)});
    }
    builder.CreateRet(aggregate);
  }
  return adapter;
}

}  // namespace wasmaot::compiler
