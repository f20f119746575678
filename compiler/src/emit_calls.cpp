// Calls: direct calls to defined functions by symbol, calls to imported
// functions through their FuncRef in vmctx->functions, and call_indirect with
// its three checks (index < table size, non-null entry, matching type id).
#include <cstddef>

#include <llvm/IR/Constants.h>

#include "emitter_private.h"

namespace wasmaot::compiler::detail {

bool FunctionEmitter::emitCall(const Instruction& ins) {
  auto& b = builder_;
  switch (ins.op) {
    case Opcode::Call: {
      uint32_t callee_index = ins.a;
      const abi::FuncType& type = info_.functionType(callee_index);
      llvm::FunctionType* native_type = nativeFunctionType(context_, type);
      std::vector<llvm::Value*> args = popValues(type.params.size());
      llvm::CallInst* call = nullptr;
      if (callee_index < info_.num_imported_functions) {
        // Imports are bound before any code runs: the FuncRef never changes.
        llvm::Value* functions = vmctxFieldInvariant(offsetof(abi::VMContext, functions));
        llvm::Value* ref = bytePointer(functions, uint64_t{callee_index} * sizeof(abi::FuncRef));
        llvm::Value* code = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, code)), tags_.funcref,
                                 true, "import_code");
        llvm::Value* ctx = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, ctx)), tags_.funcref,
                                true, "import_ctx");
        args.insert(args.begin(), ctx);
        call = b.CreateCall(native_type, code, args);
      } else {
        llvm::FunctionCallee callee =
            module_.getOrInsertFunction(definedFunctionSymbol(callee_index), native_type);
        if (auto* declared = llvm::dyn_cast<llvm::Function>(callee.getCallee());
            declared && declared->isDeclaration() && declared != function_) {
          // Defined in this .so (maybe another object file): a direct, PLT-free call.
          declared->setVisibility(llvm::GlobalValue::HiddenVisibility);
          declared->setDSOLocal(true);
        }
        args.insert(args.begin(), vmctx_);
        call = b.CreateCall(callee, args);
      }
      pushCallResults(call, type);
      return true;
    }
    case Opcode::CallIndirect: {
      uint32_t type_index = ins.a;
      const abi::FuncType& type = info_.types.at(type_index);
      llvm::FunctionType* native_type = nativeFunctionType(context_, type);
      llvm::Value* element_index = pop();
      std::vector<llvm::Value*> args = popValues(type.params.size());

      llvm::Value* table = tableState(ins.b);
      llvm::Value* size = load(i32_, bytePointer(table, offsetof(abi::TableState, size)),
                               tags_.table_state, false, "table_size");
      trapIf(b.CreateICmpUGE(element_index, size), abi::TrapCode::UndefinedElement);
      llvm::Value* elements = load(ptr_, bytePointer(table, offsetof(abi::TableState, elements)),
                                   tags_.table_state, false, "table_elements");
      llvm::Value* slot = b.CreateInBoundsGEP(ptr_, elements, b.CreateZExt(element_index, i64_));
      llvm::Value* ref = load(ptr_, slot, tags_.table_state, false, "funcref");
      trapIf(b.CreateIsNull(ref), abi::TrapCode::UninitializedElement);

      llvm::Value* type_ids = vmctxFieldInvariant(offsetof(abi::VMContext, type_ids));
      llvm::Value* expected_id = load(i32_, bytePointer(type_ids, uint64_t{type_index} * 4),
                                      tags_.vmcontext, true, "expected_type_id");
      llvm::Value* actual_id = load(i32_, bytePointer(ref, offsetof(abi::FuncRef, type_id)),
                                    tags_.funcref, false, "type_id");
      trapIf(b.CreateICmpNE(actual_id, expected_id), abi::TrapCode::IndirectCallTypeMismatch);

      llvm::Value* code = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, code)), tags_.funcref,
                               false, "code");
      llvm::Value* ctx = load(ptr_, bytePointer(ref, offsetof(abi::FuncRef, ctx)), tags_.funcref,
                              false, "ctx");
      args.insert(args.begin(), ctx);
      pushCallResults(b.CreateCall(native_type, code, args), type);
      return true;
    }
    default: return false;
  }
}

}  // namespace wasmaot::compiler::detail
