// LLVM IR generation for one WebAssembly function body (every WebAssembly
// 2.0 instruction, SIMD, relaxed SIMD, threads and tail calls included). The module-level code generator creates the
// llvm::Function with the native signature and calls emitFunctionBody.
#pragma once

#include <llvm/IR/Function.h>

#include <optional>
#include <llvm/IR/Module.h>

#include "wasmaot/abi/module_info.h"
#include "wasmaot/compiler/function_code.h"

namespace wasmaot::compiler {

struct FunctionEmitOptions {
  bool bounds_checks = false;  // reserved; linear memory relies on guard pages by default
  // The target rounds floats in one instruction (x86 SSE4.1 roundss/sd).
  // Without it ceil/floor/trunc/nearest are expanded inline instead of
  // becoming calls into libm (emit_numeric.cpp).
  bool has_sse41_rounding = true;
  // x86 SSSE3 (pshufb, pmulhrsw) and FMA: SIMD lowerings that use them when
  // the target has them (emit_simd.cpp).
  bool has_ssse3 = true;
  bool has_fma = false;
  // The module uses tail calls: defined functions are `tailcc` (LLVM's
  // calling convention with guaranteed tail calls), direct calls between
  // them use it, and return_call becomes a jump (emit_calls.cpp).
  bool tail_calls = false;
  // The guest SDK's thread-local errno (docs/THREADS.md): a `wasmaot-cc
  // -pthread` module exports `errno` (the address of wasi-libc's one errno
  // word), `__wasmaot_thread_local_errno` (a thread-local's offset) and
  // `__tls_base`. Loads and stores with a constant address inside that word
  // then go to the calling thread's own copy, at __tls_base + offset.
  struct ThreadLocalErrno {
    uint32_t errno_address = 0;
    uint32_t tls_base_global = 0;
    uint32_t tls_offset = 0;
  };
  std::optional<ThreadLocalErrno> thread_local_errno;
};

// Emits the body of `code` into `function`, which was created in `module` with
// nativeFunctionType(info.types[code.type_index]) and named
// definedFunctionSymbol(code.function_index). Calls to other defined functions
// go through getOrInsertFunction(definedFunctionSymbol(i), nativeFunctionType(...))
// in the same llvm::Module (they may live in another object file; the linker
// resolves them). `code` must have passed validation.
void emitFunctionBody(llvm::Module& module, const abi::ModuleInfo& info, const FunctionCode& code,
                      llvm::Function* function, const FunctionEmitOptions& options);

}  // namespace wasmaot::compiler
