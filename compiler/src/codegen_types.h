// Mapping between wasm types and LLVM types, and the naming of compiled
// functions in the .so. Shared by the function-body emitter and the
// module-level code generator.
#pragma once

#include <string>

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/LLVMContext.h>

#include "wasmaot/abi/module_info.h"

namespace wasmaot::compiler {

// i32 -> i32, i64 -> i64, f32 -> float, f64 -> double, funcref/externref -> ptr.
llvm::Type* llvmType(llvm::LLVMContext& context, abi::ValType type);

// The native signature of a wasm function: (ptr vmctx, params...) returning
// void, the single result, or a literal struct of the results.
llvm::FunctionType* nativeFunctionType(llvm::LLVMContext& context, const abi::FuncType& type);

// Symbol of a defined function in the generated objects: "wasm_func_<index>",
// with hidden visibility so that the .so exports only the descriptor.
std::string definedFunctionSymbol(uint32_t function_index);

// The .so's personality routine for landing pads (exceptions), defined in
// the glue object: it forwards to the C++ personality the loader stores in
// kPersonalityTargetSymbol (abi::CompiledModuleDescriptor::personality_target).
// Its LLVM type: i32 (i32 version, i32 actions, i64 class, ptr exception, ptr context).
inline constexpr const char* kPersonalitySymbol = "wasmaot_personality";
inline constexpr const char* kPersonalityTargetSymbol = "wasmaot_personality_target";
llvm::FunctionType* personalityFunctionType(llvm::LLVMContext& context);

}  // namespace wasmaot::compiler
