// trap_preservation: anchored loads survive LLVM's -O2 pipeline even when
// their value is unused; sealing makes linear-memory accesses volatile,
// leaves runtime-state accesses alone, removes the anchors and turns
// memset/memcpy back into loops.
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include "trap_preservation.h"

using namespace wasmaot::compiler;

namespace {

// Two tags as the emitter makes them: linear memory and runtime state.
constexpr const char* kModule = R"(
define void @dropped(ptr %base, ptr %vmctx) {
  %address = getelementptr inbounds i8, ptr %base, i64 2147483648
  %unused = load i32, ptr %address, align 1, !tbaa !3
  %state = load i64, ptr %vmctx, align 8, !tbaa !4
  ret void
}
define i32 @dead_in_branch(ptr %base, i1 %c) {
entry:
  br i1 %c, label %then, label %join
then:
  %address = getelementptr inbounds i8, ptr %base, i64 4294967222
  %unused = load i8, ptr %address, align 1, !tbaa !3
  br label %join
join:
  %r = phi i32 [ 1, %then ], [ -7, %entry ]
  ret i32 %r
}
define void @fill(ptr %base, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %address = getelementptr inbounds i8, ptr %base, i64 %i
  store i8 0, ptr %address, align 1, !tbaa !3
  %next = add i64 %i, 1
  %done = icmp eq i64 %next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}
!0 = !{!"wasmaot"}
!1 = !{!"wasm linear memory", !0, i64 0}
!2 = !{!"wasmaot vmcontext", !0, i64 0}
!3 = !{!1, !1, i64 0}
!4 = !{!2, !2, i64 0}
)";

std::unique_ptr<llvm::TargetMachine> hostMachine() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getDefaultTargetTriple(), error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  REQUIRE(target != nullptr);
  return std::unique_ptr<llvm::TargetMachine>(
      target->createTargetMachine(triple, "x86-64", "", llvm::TargetOptions(), llvm::Reloc::PIC_));
}

std::unique_ptr<llvm::Module> parse(llvm::LLVMContext& context, const char* text) {
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(text, diagnostic, context);
  REQUIRE(module != nullptr);
  return module;
}

// Anchors every load of linear memory the way the emitter does.
void anchorLinearMemoryLoads(llvm::Module& module) {
  for (llvm::Function& function : module) {
    for (llvm::BasicBlock& block : function) {
      for (llvm::Instruction& instruction : block) {
        auto* load = llvm::dyn_cast<llvm::LoadInst>(&instruction);
        if (load == nullptr || load->getType()->isIntegerTy(64)) continue;  // the vmctx load
        llvm::IRBuilder<> builder(load->getNextNode());
        detail::anchorTrappingLoad(builder, load);
      }
    }
  }
}

void optimizeAtO2(llvm::Module& module, llvm::TargetMachine& machine, bool no_builtins) {
  if (no_builtins) {
    for (llvm::Function& function : module) function.addFnAttr("no-builtins");
  }
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgsccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgsccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgsccs, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
}

int countLoads(llvm::Function& function, bool volatile_only) {
  int count = 0;
  for (llvm::BasicBlock& block : function) {
    for (llvm::Instruction& instruction : block) {
      auto* load = llvm::dyn_cast<llvm::LoadInst>(&instruction);
      if (load != nullptr && (!volatile_only || load->isVolatile())) ++count;
    }
  }
  return count;
}

template <typename T>
int count(llvm::Module& module) {
  int found = 0;
  for (llvm::Function& function : module) {
    for (llvm::BasicBlock& block : function) {
      for (llvm::Instruction& instruction : block) found += llvm::isa<T>(instruction) ? 1 : 0;
    }
  }
  return found;
}

int countAnchors(llvm::Module& module) {
  int found = 0;
  for (llvm::Function& function : module) {
    for (llvm::BasicBlock& block : function) {
      for (llvm::Instruction& instruction : block) {
        auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(&instruction);
        found += call != nullptr && call->getIntrinsicID() == llvm::Intrinsic::sideeffect ? 1 : 0;
      }
    }
  }
  return found;
}

}  // namespace

TEST_CASE("without an anchor -O2 deletes an unused load, with one it stays") {
  auto machine = hostMachine();
  llvm::LLVMContext context;
  auto plain = parse(context, kModule);
  optimizeAtO2(*plain, *machine, true);
  CHECK(countLoads(*plain->getFunction("dropped"), false) == 0);

  auto anchored = parse(context, kModule);
  anchorLinearMemoryLoads(*anchored);
  optimizeAtO2(*anchored, *machine, true);
  CHECK(countLoads(*anchored->getFunction("dropped"), false) == 1);
  // SimplifyCFG turns the branch into a select; a load an llvm.assume kept
  // alive would be dropped with it (found by the differential test).
  CHECK(countLoads(*anchored->getFunction("dead_in_branch"), false) == 1);
}

TEST_CASE("sealing makes linear-memory accesses volatile and removes the anchors") {
  auto machine = hostMachine();
  llvm::LLVMContext context;
  auto module = parse(context, kModule);
  anchorLinearMemoryLoads(*module);
  CHECK(countAnchors(*module) == 2);
  detail::sealTrappingAccesses(*module, *machine);
  CHECK(countAnchors(*module) == 0);
  // The linear-memory load is volatile, the VM-context load is not.
  CHECK(countLoads(*module->getFunction("dropped"), false) == 2);
  CHECK(countLoads(*module->getFunction("dropped"), true) == 1);
  for (llvm::BasicBlock& block : *module->getFunction("fill")) {
    for (llvm::Instruction& instruction : block) {
      if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&instruction)) CHECK(store->isVolatile());
    }
  }
}

TEST_CASE("a memset LLVM recognised becomes a loop of volatile stores again") {
  auto machine = hostMachine();
  llvm::LLVMContext context;
  auto module = parse(context, kModule);
  optimizeAtO2(*module, *machine, /*no_builtins=*/false);  // lets loop-idiom form a memset
  REQUIRE(count<llvm::MemSetInst>(*module) == 1);
  detail::sealTrappingAccesses(*module, *machine);
  CHECK(count<llvm::MemIntrinsic>(*module) == 0);
  int volatile_stores = 0;
  for (llvm::BasicBlock& block : *module->getFunction("fill")) {
    for (llvm::Instruction& instruction : block) {
      auto* store = llvm::dyn_cast<llvm::StoreInst>(&instruction);
      if (store != nullptr && store->isVolatile()) ++volatile_stores;
    }
  }
  CHECK(volatile_stores >= 1);
}

TEST_CASE("no-builtins keeps -O2 from turning a store loop into a memset") {
  auto machine = hostMachine();
  llvm::LLVMContext context;
  auto module = parse(context, kModule);
  optimizeAtO2(*module, *machine, /*no_builtins=*/true);
  CHECK(count<llvm::MemIntrinsic>(*module) == 0);
}
