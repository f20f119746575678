// Per-signature glue that lets the runtime call, and be called by, compiled
// code without knowing wasm signatures at build time (see abi/vm_context.h):
//   - entry trampoline  void(ptr code, ptr vmctx, ptr slots): reads the
//     arguments from 64-bit slots, calls code(vmctx, args...) with the
//     native signature and writes the results back to slots[0..];
//   - host adapter      R(ptr closure, params...): the native signature of
//     the type; spills the arguments to slots, calls closure->callback(
//     closure, slots) and returns the results read back from the slots.
// Slots hold value bits zero-extended to 64 bits; references are pointers; a
// v128 takes two consecutive slots, low half first (abi::slotCount).
#pragma once

#include <string>

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>

#include "wasmaot/abi/module_info.h"

namespace wasmaot::compiler {

// Both functions create an internal function named `name` in `module`.
llvm::Function* emitEntryTrampoline(llvm::Module& module, const abi::FuncType& type,
                                    const std::string& name);
llvm::Function* emitHostAdapter(llvm::Module& module, const abi::FuncType& type,
                                const std::string& name);

}  // namespace wasmaot::compiler
