// Calls: direct calls to defined functions by symbol, calls to imported
// functions through their FuncRef in vmctx->functions, call_indirect with
// its three checks (index < table size, non-null entry, matching type id),
// and the tail calls return_call / return_call_indirect.
//
// Tail calls. In a module that has any, every defined function is compiled
// with LLVM's `tailcc` calling convention, under which a call marked `tail`
// right before `ret` is guaranteed to become a jump whatever the two
// functions' signatures (the callee pops its own stack arguments). Code
// outside the module — other modules, host adapters, the runtime's entry
// trampolines — calls functions through FuncRef::code with the ordinary C
// convention, so each such function also gets a small C-convention entry
// (module_codegen.cpp), and FuncRef::tail_code points at the tailcc body:
//  - return_call to a defined function: `tail call tailcc` + ret;
//  - return_call_indirect: the checks of call_indirect, then a tail call of
//    tail_code when the target has one (a function of a module that uses
//    tail calls), else an ordinary call of code and ret (host functions and
//    other modules' functions: no constant-stack guarantee across them);
//  - return_call to an import: an ordinary call and ret.
// Stack use is constant across any chain of tail calls among functions of
// tail-calling modules; deep ordinary recursion still meets the stack-limit
// check in every prologue.
#include <cstddef>

#include <llvm/IR/Constants.h>

#include "emitter_private.h"

namespace wasmaot::compiler::detail {

llvm::FunctionCallee FunctionEmitter::definedCallee(uint32_t function_index, llvm::FunctionType* native_type) {
  llvm::FunctionCallee callee = module_.getOrInsertFunction(definedFunctionSymbol(function_index), native_type);
  if (auto* declared = llvm::dyn_cast<llvm::Function>(callee.getCallee());
      declared && declared->isDeclaration() && declared != function_) {
    // Defined in this .so (maybe another object file): a direct, PLT-free call.
    declared->setVisibility(llvm::GlobalValue::HiddenVisibility);
    declared->setDSOLocal(true);
    if (options_.tail_calls) declared->setCallingConv(llvm::CallingConv::Tail);
  }
  return callee;
}

// The FuncRef of imported function `index` (bound before any code runs:
// it never changes).
llvm::Value* FunctionEmitter::importRef(uint32_t index) {
  llvm::Value* functions = vmctxFieldInvariant(offsetof(abi::VMContext, functions));
  return bytePointer(functions, uint64_t{index} * sizeof(abi::FuncRef));
}

// call_indirect's checks; returns the FuncRef of the table entry.
llvm::Value* FunctionEmitter::checkedTableRef(uint32_t type_index, uint32_t table_index, llvm::Value* element_index) {
  auto& b = builder_;
  llvm::Value* table = tableState(table_index);
  llvm::Value* size = load(i32_, bytePointer(table, offsetof(abi::TableState, size)), tags_.table_state, false,
                           "table_size");
  trapIf(b.CreateICmpUGE(element_index, size), abi::TrapCode::UndefinedElement);
  llvm::Value* elements = load(ptr_, bytePointer(table, offsetof(abi::TableState, elements)), tags_.table_state,
                               false, "table_elements");
  llvm::Value* slot = b.CreateInBoundsGEP(ptr_, elements, b.CreateZExt(element_index, i64_));
  llvm::Value* ref = load(ptr_, slot, tags_.table_state, false, "funcref");
  trapIf(b.CreateIsNull(ref), abi::TrapCode::UninitializedElement);

  llvm::Value* type_ids = vmctxFieldInvariant(offsetof(abi::VMContext, type_ids));
  llvm::Value* expected_id =
      load(i32_, bytePointer(type_ids, uint64_t{type_index} * 4), tags_.vmcontext, true, "expected_type_id");
  llvm::Value* actual_id = load(i32_, bytePointer(ref, offsetof(abi::FuncRef, type_id)), tags_.funcref, false,
                                "type_id");
  trapIf(b.CreateICmpNE(actual_id, expected_id), abi::TrapCode::IndirectCallTypeMismatch);
  return ref;
}

// Calls through a FuncRef with the C convention: ctx prepended to args.
llvm::CallBase* FunctionEmitter::callThroughRef(llvm::Value* ref, llvm::FunctionType* native_type,
                                                std::vector<llvm::Value*> args, bool invariant, bool handled) {
  llvm::Value* code = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, code)), tags_.funcref, invariant, "code");
  llvm::Value* ctx = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, ctx)), tags_.funcref, invariant, "ctx");
  args.insert(args.begin(), ctx);
  llvm::CallBase* call =
      handled ? createThrowingCall(native_type, code, args) : builder_.CreateCall(native_type, code, args);
  if (auto* plain = llvm::dyn_cast<llvm::CallInst>(call); plain && options_.tail_calls) {
    plain->setTailCallKind(llvm::CallInst::TCK_NoTail);  // see emitPrologue
  }
  return call;
}

// Returns the call's results from this function, right after the call.
void FunctionEmitter::returnCallResults(llvm::CallInst* call) {
  if (call->getType()->isVoidTy()) {
    builder_.CreateRetVoid();
  } else {
    builder_.CreateRet(call);
  }
}

bool FunctionEmitter::emitCall(const Instruction& ins) {
  auto& b = builder_;
  switch (ins.op) {
    case Opcode::Call:
    case Opcode::ReturnCall: {
      const bool tail = ins.op == Opcode::ReturnCall;
      uint32_t callee_index = ins.a;
      const abi::FuncType& type = info_.functionType(callee_index);
      llvm::FunctionType* native_type = nativeFunctionType(context_, type);
      std::vector<llvm::Value*> args = popValues(type.params.size());
      // A return_call's callee replaces this frame, so this function's
      // try blocks do not apply to it: never an invoke.
      llvm::CallBase* call = nullptr;
      if (callee_index < info_.num_imported_functions) {
        call = callThroughRef(importRef(callee_index), native_type, std::move(args), true, !tail);
      } else {
        args.insert(args.begin(), vmctx_);
        llvm::FunctionCallee callee = definedCallee(callee_index, native_type);
        call = tail ? b.CreateCall(callee, args) : createThrowingCall(native_type, callee.getCallee(), args);
        if (options_.tail_calls) {
          call->setCallingConv(llvm::CallingConv::Tail);
          // Only return_call may become a jump; an ordinary call stays a
          // call, so that deep recursion still meets the stack-limit check.
          if (auto* plain = llvm::dyn_cast<llvm::CallInst>(call)) {
            plain->setTailCallKind(tail ? llvm::CallInst::TCK_Tail : llvm::CallInst::TCK_NoTail);
          }
        }
      }
      if (tail) {
        returnCallResults(llvm::cast<llvm::CallInst>(call));
        markUnreachable();
      } else {
        pushCallResults(call, type);
      }
      return true;
    }
    case Opcode::CallIndirect:
    case Opcode::ReturnCallIndirect: {
      const abi::FuncType& type = info_.types.at(ins.a);
      llvm::FunctionType* native_type = nativeFunctionType(context_, type);
      llvm::Value* element_index = pop();
      std::vector<llvm::Value*> args = popValues(type.params.size());
      llvm::Value* ref = checkedTableRef(ins.a, ins.b, element_index);
      if (ins.op == Opcode::CallIndirect) {
        pushCallResults(callThroughRef(ref, native_type, std::move(args), false), type);
        return true;
      }
      // return_call_indirect (only in tail-calling modules, whose functions
      // are tailcc): jump to the entry's tailcc body when it has one.
      llvm::Value* tail_code = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, tail_code)), tags_.funcref,
                                    false, "tail_code");
      llvm::BasicBlock* jump = newBlock("return_call.tail");
      llvm::BasicBlock* plain = newBlock("return_call.plain");
      b.CreateCondBr(b.CreateIsNotNull(tail_code), jump, plain);

      b.SetInsertPoint(jump);
      llvm::Value* ctx = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, ctx)), tags_.funcref, false, "ctx");
      std::vector<llvm::Value*> tail_args = args;
      tail_args.insert(tail_args.begin(), ctx);
      llvm::CallInst* tail_call = b.CreateCall(native_type, tail_code, tail_args);
      tail_call->setCallingConv(llvm::CallingConv::Tail);
      tail_call->setTailCallKind(llvm::CallInst::TCK_Tail);
      returnCallResults(tail_call);

      b.SetInsertPoint(plain);  // a host function or another module's: an ordinary call
      returnCallResults(llvm::cast<llvm::CallInst>(callThroughRef(ref, native_type, std::move(args), false, false)));
      markUnreachable();
      return true;
    }
    default: return false;
  }
}

}  // namespace wasmaot::compiler::detail
