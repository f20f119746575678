// Keeping out-of-bounds traps through LLVM's optimiser; the why is in
// trap_preservation.h.
#include "trap_preservation.h"

#include <stdexcept>
#include <vector>

#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Metadata.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/LowerMemIntrinsics.h>

namespace wasmaot::compiler::detail {
namespace {

constexpr const char* kAnchorBundle = "wasmaot.trap";

// Loads and stores of the runtime's own state (VM context, global cells,
// tables, funcrefs) carry TBAA types named "wasmaot ..." by the emitter and
// never fault. Every other access is treated as linear memory, including one
// whose tag an optimisation dropped, but not the function's own stack slots.
bool isLinearMemoryAccess(const llvm::Instruction& access) {
  if (llvm::isa<llvm::AllocaInst>(llvm::getUnderlyingObject(llvm::getLoadStorePointerOperand(&access)))) {
    return false;
  }
  const llvm::MDNode* tag = access.getMetadata(llvm::LLVMContext::MD_tbaa);
  if (tag == nullptr || tag->getNumOperands() == 0) return true;
  const auto* base_type = llvm::dyn_cast<llvm::MDNode>(tag->getOperand(0));
  if (base_type == nullptr || base_type->getNumOperands() == 0) return true;
  const auto* name = llvm::dyn_cast<llvm::MDString>(base_type->getOperand(0));
  return name == nullptr || !name->getString().starts_with("wasmaot ");
}

bool isAnchor(const llvm::User* user) {
  const auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(user);
  if (call == nullptr || call->getIntrinsicID() != llvm::Intrinsic::sideeffect) return false;
  return call->getNumOperandBundles() == 1 && call->getOperandBundleAt(0).getTagName() == kAnchorBundle;
}

bool onlyAnchorsUse(const llvm::Value& value) {
  for (const llvm::User* user : value.users()) {
    if (!isAnchor(user)) return false;
  }
  return true;
}

// Turns any llvm.memset/memcpy/memmove left in the wasm code into a plain
// loop of loads and stores. A library call would fault outside generated code,
// where the signal handler does not turn a fault into a trap. The emitter
// never creates these and "no-builtins" stops loop-idiom recognition from
// doing so; this is the backstop.
void expandMemoryIntrinsics(llvm::Function& function, llvm::TargetMachine& machine) {
  std::vector<llvm::MemIntrinsic*> calls;
  for (llvm::BasicBlock& block : function) {
    for (llvm::Instruction& instruction : block) {
      if (auto* call = llvm::dyn_cast<llvm::MemIntrinsic>(&instruction)) calls.push_back(call);
    }
  }
  if (calls.empty()) return;
  llvm::TargetTransformInfo target_info = machine.getTargetTransformInfo(function);
  for (llvm::MemIntrinsic* call : calls) {
    if (auto* set = llvm::dyn_cast<llvm::MemSetInst>(call)) {
      llvm::expandMemSetAsLoop(set);
    } else if (auto* copy = llvm::dyn_cast<llvm::MemCpyInst>(call)) {
      llvm::expandMemCpyAsLoop(copy, target_info);
    } else if (!llvm::expandMemMoveAsLoop(llvm::cast<llvm::MemMoveInst>(call), target_info)) {
      throw std::runtime_error("internal error: cannot expand a memmove in " + function.getName().str());
    }
    call->eraseFromParent();
  }
}

}  // namespace

void anchorTrappingLoad(llvm::IRBuilderBase& builder, llvm::Value* loaded) {
  llvm::Module* module = builder.GetInsertBlock()->getModule();
  llvm::Function* sideeffect = llvm::Intrinsic::getDeclaration(module, llvm::Intrinsic::sideeffect);
  llvm::OperandBundleDef bundle(kAnchorBundle, std::vector<llvm::Value*>{loaded});
  llvm::CallInst* anchor = builder.CreateCall(sideeffect, {}, {bundle});
  // A call with an operand bundle counts as touching all memory unless the
  // call site says otherwise; this one touches none the program can see.
  anchor->setMemoryEffects(llvm::MemoryEffects::inaccessibleMemOnly());
}

llvm::PreservedAnalyses PinBeforeVectorizers::run(llvm::Function& function, llvm::FunctionAnalysisManager&) {
  bool changed = false;
  for (llvm::BasicBlock& block : function) {
    for (llvm::Instruction& instruction : block) {
      auto* store = llvm::dyn_cast<llvm::StoreInst>(&instruction);
      if (pin_stores && store != nullptr && !store->isVolatile() && isLinearMemoryAccess(*store)) {
        store->setVolatile(true);
        changed = true;
      }
      auto* load = llvm::dyn_cast<llvm::LoadInst>(&instruction);
      if (load == nullptr || load->isVolatile() || !isLinearMemoryAccess(*load)) continue;
      if (!load->use_empty() && onlyAnchorsUse(*load)) {
        load->setVolatile(true);
        changed = true;
      }
    }
  }
  return changed ? llvm::PreservedAnalyses::none() : llvm::PreservedAnalyses::all();
}

void sealTrappingAccesses(llvm::Module& module, llvm::TargetMachine& machine) {
  for (llvm::Function& function : module) {
    if (!function.isDeclaration()) expandMemoryIntrinsics(function, machine);
  }
  std::vector<llvm::Instruction*> anchors;
  for (llvm::Function& function : module) {
    for (llvm::BasicBlock& block : function) {
      for (llvm::Instruction& instruction : block) {
        if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&instruction)) {
          if (isLinearMemoryAccess(*load)) load->setVolatile(true);
        } else if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&instruction)) {
          if (isLinearMemoryAccess(*store)) store->setVolatile(true);
        } else if (isAnchor(&instruction)) {
          anchors.push_back(&instruction);
        }
      }
    }
  }
  // An anchor may be the last use of an extractelement of a widened load;
  // deleting it deletes that too, never the (now volatile) load.
  for (llvm::Instruction* anchor : anchors) {
    llvm::Value* anchored = llvm::cast<llvm::CallInst>(anchor)->getOperandBundleAt(0).Inputs[0];
    anchor->eraseFromParent();
    llvm::RecursivelyDeleteTriviallyDeadInstructions(anchored);
  }
}

}  // namespace wasmaot::compiler::detail
