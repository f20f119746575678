// Mapping between wasm value types and LLVM types, the native signature of a
// compiled wasm function, and the symbol names of defined functions.
#include "codegen_types.h"

#include <stdexcept>

#include <llvm/IR/Type.h>

namespace wasmaot::compiler {

llvm::Type* llvmType(llvm::LLVMContext& context, abi::ValType type) {
  switch (type) {
    case abi::ValType::I32: return llvm::Type::getInt32Ty(context);
    case abi::ValType::I64: return llvm::Type::getInt64Ty(context);
    case abi::ValType::F32: return llvm::Type::getFloatTy(context);
    case abi::ValType::F64: return llvm::Type::getDoubleTy(context);
    case abi::ValType::V128: return llvm::FixedVectorType::get(llvm::Type::getInt64Ty(context), 2);
    case abi::ValType::FuncRef:
    case abi::ValType::ExternRef: return llvm::PointerType::get(context, 0);
  }
  throw std::logic_error("llvmType: unknown value type");
}

llvm::FunctionType* nativeFunctionType(llvm::LLVMContext& context, const abi::FuncType& type) {
  std::vector<llvm::Type*> params;
  params.reserve(type.params.size() + 1);
  params.push_back(llvm::PointerType::get(context, 0));  // VMContext*
  for (abi::ValType param : type.params) params.push_back(llvmType(context, param));

  llvm::Type* result = nullptr;
  if (type.results.empty()) {
    result = llvm::Type::getVoidTy(context);
  } else if (type.results.size() == 1) {
    result = llvmType(context, type.results[0]);
  } else {
    std::vector<llvm::Type*> fields;
    fields.reserve(type.results.size());
    for (abi::ValType r : type.results) fields.push_back(llvmType(context, r));
    result = llvm::StructType::get(context, fields);  // literal (unnamed) struct
  }
  return llvm::FunctionType::get(result, params, /*isVarArg=*/false);
}

std::string definedFunctionSymbol(uint32_t function_index) {
  return "wasm_func_" + std::to_string(function_index);
}

llvm::FunctionType* personalityFunctionType(llvm::LLVMContext& context) {
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  llvm::Type* ptr = llvm::PointerType::get(context, 0);
  return llvm::FunctionType::get(i32, {i32, i32, llvm::Type::getInt64Ty(context), ptr, ptr}, false);
}

}  // namespace wasmaot::compiler
