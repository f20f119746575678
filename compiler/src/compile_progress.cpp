#include "compile_progress.h"

#include <llvm/IR/Function.h>
#include <llvm/Pass.h>

#include <atomic>

namespace wasmaot::compiler::detail {
namespace {

class CountEmittedPass : public llvm::FunctionPass {
 public:
  static char ID;
  explicit CountEmittedPass(StageCounter* counter) : llvm::FunctionPass(ID), counter_(counter) {}
  bool runOnFunction(llvm::Function& function) override {
    if (!function.isDeclaration()) counter_->add(1);
    return false;
  }
  void getAnalysisUsage(llvm::AnalysisUsage& usage) const override { usage.setPreservesAll(); }
  llvm::StringRef getPassName() const override { return "wasmaot: count emitted functions"; }

 private:
  StageCounter* counter_;
};
char CountEmittedPass::ID = 0;

}  // namespace

void StageCounter::add(uint32_t n) {
  added += n;
  if (shared) std::atomic_ref<uint32_t>(*shared).fetch_add(n, std::memory_order_relaxed);
}

llvm::PreservedAnalyses CountFunctionsPass::run(llvm::Function& function, llvm::FunctionAnalysisManager&) {
  if (!function.isDeclaration()) counter->add(1);
  return llvm::PreservedAnalyses::all();
}

llvm::FunctionPass* createCountEmittedPass(StageCounter* counter) { return new CountEmittedPass(counter); }

}  // namespace wasmaot::compiler::detail
