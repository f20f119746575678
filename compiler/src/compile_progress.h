// Progress counters of a compile (CompileOptions::progress): each partition
// adds its functions as it translates, optimises and emits them, so a
// progress display on another thread sees the compile advance. The counting
// passes change nothing in the code.
#pragma once

#include <llvm/IR/PassManager.h>

#include <cstdint>

#include "wasmaot/compiler/compile.h"

namespace llvm {
class FunctionPass;
}

namespace wasmaot::compiler::detail {

// One partition's share of one counter: what it has added so far, so that
// it can add the rest when a stage ends (functions the optimiser inlined
// away never reach the later passes).
struct StageCounter {
  uint32_t* shared = nullptr;  // null: no progress wanted
  uint32_t added = 0;
  void add(uint32_t n);
  void finish(uint32_t expected) {
    if (added < expected) add(expected - added);
  }
};

// A new-PM function pass that counts the functions it sees.
struct CountFunctionsPass : llvm::PassInfoMixin<CountFunctionsPass> {
  StageCounter* counter;
  llvm::PreservedAnalyses run(llvm::Function& function, llvm::FunctionAnalysisManager&);
  static bool isRequired() { return true; }
};

// The same for the legacy pass manager of code generation: added after the
// code generator's passes, it runs once each function's machine code is out.
llvm::FunctionPass* createCountEmittedPass(StageCounter* counter);

}  // namespace wasmaot::compiler::detail
