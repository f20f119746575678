// Keeping out-of-bounds traps through LLVM's optimiser.
//
// Linear-memory accesses are plain LLVM loads and stores; a fault in the
// guard region becomes the wasm trap. LLVM, however, assumes a load never
// faults, so it deletes a load whose value is unused, narrows a wide load when
// only some bytes are used, and moves stores across loads. Each of these
// removes or moves a trap the wasm program must see. Three steps keep them:
//
//  1. anchorTrappingLoad (at emission): every linear-memory load gets a use,
//     `call @llvm.sideeffect() ["wasmaot.trap"(value)]`, limited to
//     inaccessible memory. A call with side effects is never deleted, never
//     speculated (so SimplifyCFG cannot drop the load with it, as it does
//     with values only an llvm.assume uses), costs nothing in the cost
//     models, touches no memory the program sees, and the loop vectorizer
//     replicates it per lane, so the load stays optimisable but cannot vanish.
//  2. PinBeforeVectorizers (just before the vectorizers): a load kept only
//     by its anchor computes nothing, so it becomes volatile there rather
//     than left to the vectorizer's if-conversion. With exact trap state asked for, every linear-memory store becomes
//     volatile there too, so no loop that stores is widened: a widened
//     access that faults would skip the stores of the lanes before it.
//  3. sealTrappingAccesses (after the whole IR pipeline): any memset/memcpy
//     LLVM formed becomes a loop again (expandMemoryIntrinsics), every
//     linear-memory load and store becomes volatile and the anchors are erased. Code
//     generation then neither drops, narrows nor merges an access, nor
//     reorders one across another; x86 still folds volatile loads into
//     arithmetic, so this costs no instructions.
// See docs/ARCHITECTURE.md ("Traps the optimiser must keep").
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Target/TargetMachine.h>

namespace wasmaot::compiler::detail {

// Gives `loaded` (the result of a linear-memory load) a use LLVM keeps.
void anchorTrappingLoad(llvm::IRBuilderBase& builder, llvm::Value* loaded);

// Step 2 above, as a function pass for PassBuilder's VectorizerStart point.
struct PinBeforeVectorizers : llvm::PassInfoMixin<PinBeforeVectorizers> {
  bool pin_stores = false;  // CompileOptions::exact_trap_state
  llvm::PreservedAnalyses run(llvm::Function& function, llvm::FunctionAnalysisManager& analyses);
};

// Step 3 above, on an optimised module of wasm function bodies.
void sealTrappingAccesses(llvm::Module& module, llvm::TargetMachine& machine);

}  // namespace wasmaot::compiler::detail
