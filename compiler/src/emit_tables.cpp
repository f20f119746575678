// Table and reference instructions: table.get/set/grow/fill/copy/init and
// elem.drop through RuntimeFunctions helpers (which bounds-check and trap),
// table.size inline, ref.null / ref.is_null / ref.func (a pointer to the
// function's FuncRef in vmctx->functions).
#include <cstddef>

#include <llvm/IR/Constants.h>

#include "emitter_private.h"

namespace wasmaot::compiler::detail {

bool FunctionEmitter::emitTableOrReference(const Instruction& ins) {
  auto& b = builder_;
  auto* void_type = llvm::Type::getVoidTy(context_);
  auto index_constant = [&](uint32_t value) { return llvm::ConstantInt::get(i32_, value); };
  using RF = abi::RuntimeFunctions;
  switch (ins.op) {
    case Opcode::TableGet: {
      llvm::Value* index = pop();
      push(callRuntime(offsetof(RF, table_get), ptr_, {index_constant(ins.a), index}));
      return true;
    }
    case Opcode::TableSet: {
      llvm::Value* value = pop();
      llvm::Value* index = pop();
      callRuntime(offsetof(RF, table_set), void_type, {index_constant(ins.a), index, value});
      return true;
    }
    case Opcode::TableSize: {
      llvm::Value* table = tableState(ins.a);
      push(load(i32_, bytePointer(table, offsetof(abi::TableState, size)), tags_.table_state, false,
                "table_size"));
      return true;
    }
    case Opcode::TableGrow: {
      llvm::Value* delta = pop();
      llvm::Value* init = pop();
      push(callRuntime(offsetof(RF, table_grow), i32_, {index_constant(ins.a), init, delta}));
      return true;
    }
    case Opcode::TableFill: {
      llvm::Value* count = pop();
      llvm::Value* value = pop();
      llvm::Value* start = pop();
      callRuntime(offsetof(RF, table_fill), void_type, {index_constant(ins.a), start, value, count});
      return true;
    }
    case Opcode::TableCopy: {
      llvm::Value* count = pop();
      llvm::Value* source = pop();
      llvm::Value* destination = pop();
      callRuntime(offsetof(RF, table_copy), void_type,
                  {index_constant(ins.a), index_constant(ins.b), destination, source, count});
      return true;
    }
    case Opcode::TableInit: {
      llvm::Value* count = pop();
      llvm::Value* source = pop();
      llvm::Value* destination = pop();
      callRuntime(offsetof(RF, table_init), void_type,
                  {index_constant(ins.a), index_constant(ins.b), destination, source, count});
      return true;
    }
    case Opcode::ElemDrop:
      callRuntime(offsetof(RF, elem_drop), void_type, {index_constant(ins.a)});
      return true;
    case Opcode::RefNull: push(llvm::ConstantPointerNull::get(ptr_)); return true;
    case Opcode::RefIsNull: push(boolToI32(b.CreateIsNull(pop()))); return true;
    case Opcode::RefFunc: {
      llvm::Value* functions = vmctxFieldInvariant(offsetof(abi::VMContext, functions));
      push(bytePointer(functions, uint64_t{ins.a} * sizeof(abi::FuncRef)));
      return true;
    }
    default: return false;
  }
}

}  // namespace wasmaot::compiler::detail
