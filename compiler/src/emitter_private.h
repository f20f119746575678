// Private state shared by the function-body emitter's translation units
// (function_emitter.cpp: driver and control flow; emit_numeric.cpp,
// emit_memory.cpp, emit_calls.cpp, emit_tables.cpp, emit_simd.cpp,
// emit_atomics.cpp: one opcode family each).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include "codegen_types.h"
#include "function_emitter.h"
#include "wasmaot/abi/vm_context.h"
#include "wasmaot/compiler/function_code.h"

namespace wasmaot::compiler::detail {

// One entry of the control stack: the function body, a block, a loop, an if
// or a try.
struct ControlFrame {
  enum class Kind : uint8_t { Function, Block, Loop, If, Try };
  Kind kind = Kind::Block;
  std::span<const abi::ValType> params;
  std::span<const abi::ValType> results;
  size_t stack_height = 0;  // value-stack size below the frame's params

  // Block/If/Function: where control continues after `end`, with one phi per result.
  llvm::BasicBlock* end_block = nullptr;
  std::vector<llvm::PHINode*> end_phis;
  // Loop: the header that branches jump back to, with one phi per param.
  llvm::BasicBlock* loop_header = nullptr;
  std::vector<llvm::PHINode*> loop_phis;
  // If: the else block and the params it starts with.
  llvm::BasicBlock* else_block = nullptr;
  std::vector<llvm::Value*> if_params;
  bool else_seen = false;
  // Try (emit_exceptions.cpp). Calls in the try's body unwind to
  // `landing_pad`, made at the first call; it fills `record` and goes to
  // `dispatch`, where the catches test the tag in order (`next_test` is
  // where the next test goes: null once a catch_all took the rest).
  bool in_handler = false;  // a catch or catch_all has begun
  llvm::BasicBlock* landing_pad = nullptr;
  llvm::Value* pad_exception = nullptr;  // the landing pad's exception pointer
  llvm::BasicBlock* dispatch = nullptr;
  llvm::BasicBlock* next_test = nullptr;
  llvm::AllocaInst* record = nullptr;

  // What a branch to this label carries and where it goes.
  size_t branchArity() const { return kind == Kind::Loop ? params.size() : results.size(); }
  llvm::BasicBlock* branchTarget() const { return kind == Kind::Loop ? loop_header : end_block; }
  std::vector<llvm::PHINode*>& branchPhis() { return kind == Kind::Loop ? loop_phis : end_phis; }
};

// TBAA tags: siblings under one root, so that linear memory never aliases the
// VM context, global cells, tables or FuncRefs. (Tags under *different* roots
// would be treated as may-alias by LLVM.)
struct AliasTags {
  llvm::MDNode* linear_memory = nullptr;
  llvm::MDNode* vmcontext = nullptr;     // VMContext fields and the arrays they point to
  llvm::MDNode* global_cell = nullptr;   // GlobalCell contents
  llvm::MDNode* table_state = nullptr;   // TableState and table element arrays
  llvm::MDNode* memory_state = nullptr;  // LinearMemoryState
  llvm::MDNode* funcref = nullptr;       // FuncRef contents
};

class FunctionEmitter {
 public:
  FunctionEmitter(llvm::Module& module, const abi::ModuleInfo& info, const FunctionCode& code,
                  llvm::Function* function, const FunctionEmitOptions& options);
  void emit();

  // ---- value stack ----
  void push(llvm::Value* value) { stack_.push_back(value); }
  llvm::Value* pop() {
    llvm::Value* value = stack_.back();
    stack_.pop_back();
    return value;
  }
  llvm::Value* top() const { return stack_.back(); }
  // Pops `count` values, returned in stack order (deepest first).
  std::vector<llvm::Value*> popValues(size_t count);

  // ---- blocks and traps ----
  llvm::BasicBlock* newBlock(const char* name);
  // Branches to a (lazily created, shared) cold trap block when `condition` is true.
  void trapIf(llvm::Value* condition, abi::TrapCode code);
  llvm::BasicBlock* trapBlock(abi::TrapCode code);
  // Conditional branch marked as "true is very unlikely".
  void unlikelyBranch(llvm::Value* condition, llvm::BasicBlock* if_true, llvm::BasicBlock* if_false);

  // ---- VM context access (loads of invariant pointers are hoisted into the entry block) ----
  llvm::Value* vmctxFieldInvariant(unsigned offset);  // cached per offset, ptr-typed
  llvm::LoadInst* loadInvariantPointer(llvm::Value* base, uint64_t offset, const char* name);
  llvm::Value* globalCell(uint32_t global_index);     // cached, ptr to GlobalCell
  llvm::Value* tableState(uint32_t table_index);      // cached, ptr to TableState
  llvm::Value* memoryBase() const { return memory_base_; }
  // Loads/stores tagged with a TBAA access tag; `invariant` adds !invariant.load.
  llvm::LoadInst* load(llvm::Type* type, llvm::Value* pointer, llvm::MDNode* tag,
                       bool invariant = false, const llvm::Twine& name = "");
  llvm::StoreInst* store(llvm::Value* value, llvm::Value* pointer, llvm::MDNode* tag);
  llvm::Value* bytePointer(llvm::Value* base, uint64_t offset);  // base + offset (i8 GEP)
  // The address of an `access_bytes`-wide access at wasm address `index32` +
  // `offset` in memory `memory` (emit_memory.cpp; bounds-checked only with
  // FunctionEmitOptions::bounds_checks, else the guard pages catch it).
  llvm::Value* linearMemoryAddress(llvm::Value* index32, uint64_t offset, unsigned access_bytes,
                                   uint32_t memory = 0);
  // Memory `memory`'s LinearMemoryState and base (memory 0: the cached ones).
  llvm::Value* memoryState(uint32_t memory);
  llvm::Value* memoryBaseOf(uint32_t memory);
  // Calls vmctx->runtime-><field at offset>(vmctx, args...).
  llvm::CallInst* callRuntime(size_t field_offset, llvm::Type* result,
                              std::initializer_list<llvm::Value*> args);

  // ---- type helpers ----
  llvm::Type* typeOf(abi::ValType type) const { return llvmType(context_, type); }
  llvm::Value* boolToI32(llvm::Value* flag) { return builder_.CreateZExt(flag, i32_); }
  llvm::Value* quietNaN(llvm::Value* value);  // emit_numeric.cpp
  llvm::Value* roundWithoutSse41(llvm::Intrinsic::ID id, llvm::Value* x);  // emit_numeric.cpp

  // ---- opcode families: each returns false if `ins` is not one of its opcodes ----
  bool emitNumeric(const Instruction& ins);    // emit_numeric.cpp
  bool emitConversion(const Instruction& ins); // emit_numeric.cpp
  bool emitMemory(const Instruction& ins);     // emit_memory.cpp
  bool emitCall(const Instruction& ins);       // emit_calls.cpp
  llvm::FunctionCallee definedCallee(uint32_t function_index, llvm::FunctionType* native_type);
  llvm::Value* importRef(uint32_t index);
  llvm::Value* checkedTableRef(uint32_t type_index, uint32_t table_index, llvm::Value* element_index);
  // `handled`: an exception from the callee may be caught in this function
  // (an invoke inside a try); false for the calls of return_call.
  llvm::CallBase* callThroughRef(llvm::Value* ref, llvm::FunctionType* native_type, std::vector<llvm::Value*> args,
                                 bool invariant, bool handled = true);
  void returnCallResults(llvm::CallInst* call);
  bool emitException(const Instruction& ins);  // emit_exceptions.cpp: try, catch, throw, rethrow, delegate
  // A call that may throw: an invoke when a try of this function encloses
  // it (the builder continues in the normal successor), else a call.
  llvm::CallBase* createThrowingCall(llvm::FunctionType* type, llvm::Value* callee,
                                     llvm::ArrayRef<llvm::Value*> args);
  // Where an exception raised here goes: a landing pad, or null (the caller).
  llvm::BasicBlock* unwindDestination();
  // A Try frame's end: a pad that no catch matched (or that had none) raises
  // the exception again outward.
  void finishTryHandlers(ControlFrame& frame);
  bool emitTableOrReference(const Instruction& ins);  // emit_tables.cpp
  bool emitSimd(const Instruction& ins);       // emit_simd.cpp
  void emitSimdMemory(const Instruction& ins, uint32_t sub);  // emit_simd.cpp
  bool emitAtomic(const Instruction& ins);     // emit_atomics.cpp
  llvm::Value* alignedAtomicAddress(llvm::Value* index32, uint64_t offset, unsigned bytes);  // emit_atomics.cpp

  // Pushes the results of a call returning `type`'s results (void, scalar or struct).
  void pushCallResults(llvm::Value* call, const abi::FuncType& type);

  llvm::Module& module_;
  llvm::LLVMContext& context_;
  const abi::ModuleInfo& info_;
  const FunctionCode& code_;
  llvm::Function* function_;
  FunctionEmitOptions options_;
  llvm::IRBuilder<> builder_;
  llvm::IRBuilder<> entry_builder_;  // inserts before the entry block's terminator
  llvm::MDBuilder md_;

  llvm::Type* i8_;
  llvm::Type* i32_;
  llvm::Type* i64_;
  llvm::Type* f32_;
  llvm::Type* f64_;
  llvm::PointerType* ptr_;
  AliasTags tags_;
  llvm::MDNode* invariant_md_ = nullptr;  // empty node for !invariant.load

  llvm::Value* vmctx_ = nullptr;
  llvm::Value* memory_base_ = nullptr;
  std::vector<llvm::AllocaInst*> locals_;
  std::vector<llvm::Value*> stack_;
  std::vector<ControlFrame> control_;
  std::array<llvm::BasicBlock*, 16> trap_blocks_{};
  std::array<llvm::Value*, 16> vmctx_fields_{};  // by offset / 8
  std::vector<llvm::Value*> global_cells_;
  std::vector<llvm::Value*> table_states_;
  std::vector<llvm::Value*> memory_states_;  // multi-memory: per memory index, cached
  std::vector<llvm::Value*> memory_bases_;

 private:
  // function_emitter.cpp: control flow and variables.
  void emitPrologue();
  void emitInstruction(const Instruction& ins);
  bool emitVariable(const Instruction& ins);
  void pushFrame(ControlFrame::Kind kind, const BlockType& block_type);
  void emitBlock(const Instruction& ins);
  void emitLoop(const Instruction& ins);
  void emitIf(const Instruction& ins);
  void emitElse();
  void emitEnd();
  void emitBr(uint32_t depth);
  void emitBrIf(uint32_t depth);
  void emitBrTable(const Instruction& ins);
  void emitReturn();
  // Adds the top branchArity() values as incoming values of `frame`'s target phis
  // from the current block (does not pop or branch).
  void addBranchIncoming(ControlFrame& frame);
  void addIncoming(std::vector<llvm::PHINode*>& phis, std::span<llvm::Value* const> values,
                   llvm::BasicBlock* from);
  ControlFrame& frameAt(uint32_t depth) { return control_[control_.size() - 1 - depth]; }
  void markUnreachable() {
    reachable_ = false;
    dead_depth_ = 0;
  }
  void resolveBlockType(const BlockType& block_type, std::span<const abi::ValType>* params,
                        std::span<const abi::ValType>* results) const;

  // emit_exceptions.cpp
  void emitCatch(const Instruction& ins);
  void emitDelegate(uint32_t depth);
  void emitThrow(uint32_t tag_index);
  void emitRethrow(uint32_t depth);
  llvm::BasicBlock* landingPadOf(ControlFrame& frame);
  llvm::Value* tagPointer(uint32_t tag_index);
  llvm::Value* runtimeHelperHere(size_t offset);
  void callRethrow(llvm::Value* record, llvm::BasicBlock* pad);
  llvm::CallBase* callUnwindingTo(llvm::BasicBlock* pad, llvm::FunctionType* type, llvm::Value* callee,
                                  llvm::ArrayRef<llvm::Value*> args);
  void fillLandingPad(ControlFrame& frame, ControlFrame* handler);
  // The innermost Try frame at or outside control_[index] whose body (not a
  // handler) encloses it, or null.
  ControlFrame* enclosingTryBody(size_t index);

  bool reachable_ = true;
  uint32_t dead_depth_ = 0;  // nesting depth of blocks opened inside unreachable code
  uint32_t record_capacity_ = 0;               // payload slots of this module's largest tag
  llvm::AllocaInst* throw_buffer_ = nullptr;   // a thrown payload's slots (entry block)
};

}  // namespace wasmaot::compiler::detail
