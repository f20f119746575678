// Function-body emitter driver: prologue (locals, stack check), the
// instruction loop with unreachable-code skipping, structured control flow
// (block/loop/if/else/br/br_if/br_table/return/unreachable, values carried
// through phis; try/catch/delegate in emit_exceptions.cpp), locals/globals/select/drop, and shared helpers (traps,
// VM-context loads, runtime helper calls).
#include "function_emitter.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>

#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include "emitter_private.h"

namespace wasmaot::compiler {

void emitFunctionBody(llvm::Module& module, const abi::ModuleInfo& info, const FunctionCode& code,
                      llvm::Function* function, const FunctionEmitOptions& options) {
  detail::FunctionEmitter emitter(module, info, code, function, options);
  emitter.emit();
}

namespace detail {
namespace {

// One entry per value type, so that a single-value block type can be a span.
constexpr abi::ValType kSingleValueTypes[] = {
    abi::ValType::I32,  abi::ValType::I64,     abi::ValType::F32,       abi::ValType::F64,
    abi::ValType::V128, abi::ValType::FuncRef, abi::ValType::ExternRef,
};

std::span<const abi::ValType> singleValue(abi::ValType type) {
  for (const abi::ValType& candidate : kSingleValueTypes) {
    if (candidate == type) return {&candidate, 1};
  }
  throw std::logic_error("function emitter: unknown block value type");
}

}  // namespace

FunctionEmitter::FunctionEmitter(llvm::Module& module, const abi::ModuleInfo& info,
                                 const FunctionCode& code, llvm::Function* function,
                                 const FunctionEmitOptions& options)
    : module_(module),
      context_(module.getContext()),
      info_(info),
      code_(code),
      function_(function),
      options_(options),
      builder_(module.getContext()),
      entry_builder_(module.getContext()),
      md_(module.getContext()) {
  i8_ = llvm::Type::getInt8Ty(context_);
  i32_ = llvm::Type::getInt32Ty(context_);
  i64_ = llvm::Type::getInt64Ty(context_);
  f32_ = llvm::Type::getFloatTy(context_);
  f64_ = llvm::Type::getDoubleTy(context_);
  ptr_ = llvm::PointerType::get(context_, 0);

  llvm::MDNode* root = md_.createTBAARoot("wasmaot");
  auto tag = [&](const char* name) {
    llvm::MDNode* type = md_.createTBAAScalarTypeNode(name, root);
    return md_.createTBAAStructTagNode(type, type, 0);
  };
  tags_.linear_memory = tag("wasm linear memory");
  tags_.vmcontext = tag("wasmaot vmcontext");
  tags_.global_cell = tag("wasmaot global cell");
  tags_.table_state = tag("wasmaot table");
  tags_.memory_state = tag("wasmaot memory state");
  tags_.funcref = tag("wasmaot funcref");
  invariant_md_ = llvm::MDNode::get(context_, {});

  global_cells_.assign(info.globals.size(), nullptr);
  table_states_.assign(info.tables.size(), nullptr);
  memory_states_.assign(info.memories.size(), nullptr);
  memory_bases_.assign(info.memories.size(), nullptr);
  for (uint32_t type_index : info.tags) {
    record_capacity_ = std::max(record_capacity_, static_cast<uint32_t>(abi::slotCount(info.types.at(type_index).params)));
  }
}

// ---------------------------------------------------------------------------
// Shared helpers

std::vector<llvm::Value*> FunctionEmitter::popValues(size_t count) {
  std::vector<llvm::Value*> values(stack_.end() - static_cast<std::ptrdiff_t>(count), stack_.end());
  stack_.resize(stack_.size() - count);
  return values;
}

llvm::BasicBlock* FunctionEmitter::newBlock(const char* name) {
  return llvm::BasicBlock::Create(context_, name, function_);
}

void FunctionEmitter::unlikelyBranch(llvm::Value* condition, llvm::BasicBlock* if_true,
                                     llvm::BasicBlock* if_false) {
  builder_.CreateCondBr(condition, if_true, if_false, md_.createUnlikelyBranchWeights());
}

llvm::BasicBlock* FunctionEmitter::trapBlock(abi::TrapCode code) {
  auto slot = static_cast<size_t>(code);
  if (slot >= trap_blocks_.size()) throw std::logic_error("function emitter: bad trap code");
  if (trap_blocks_[slot]) return trap_blocks_[slot];

  llvm::BasicBlock* block = newBlock("trap");
  llvm::IRBuilder<> trap_builder(block);
  auto* runtime_field = trap_builder.CreateConstInBoundsGEP1_64(
      i8_, vmctx_, offsetof(abi::VMContext, runtime));
  llvm::LoadInst* runtime = trap_builder.CreateLoad(ptr_, runtime_field, "runtime");
  runtime->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.vmcontext);
  runtime->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant_md_);
  static_assert(offsetof(abi::RuntimeFunctions, trap) == 0);
  llvm::LoadInst* trap_fn = trap_builder.CreateLoad(ptr_, runtime, "trap_fn");
  trap_fn->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.vmcontext);
  trap_fn->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant_md_);
  auto* trap_type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr_, i32_}, false);
  llvm::CallInst* call = trap_builder.CreateCall(
      trap_type, trap_fn, {vmctx_, llvm::ConstantInt::get(i32_, static_cast<uint32_t>(code))});
  call->setDoesNotReturn();
  call->addFnAttr(llvm::Attribute::Cold);
  trap_builder.CreateUnreachable();
  trap_blocks_[slot] = block;
  return block;
}

void FunctionEmitter::trapIf(llvm::Value* condition, abi::TrapCode code) {
  if (auto* constant = llvm::dyn_cast<llvm::ConstantInt>(condition); constant && constant->isZero()) {
    return;
  }
  llvm::BasicBlock* continuation = newBlock("cont");
  unlikelyBranch(condition, trapBlock(code), continuation);
  builder_.SetInsertPoint(continuation);
}

llvm::Value* FunctionEmitter::bytePointer(llvm::Value* base, uint64_t offset) {
  if (offset == 0) return base;
  return builder_.CreateConstInBoundsGEP1_64(i8_, base, offset);
}

llvm::LoadInst* FunctionEmitter::load(llvm::Type* type, llvm::Value* pointer, llvm::MDNode* tag,
                                      bool invariant, const llvm::Twine& name) {
  llvm::LoadInst* value = builder_.CreateLoad(type, pointer, name);
  value->setMetadata(llvm::LLVMContext::MD_tbaa, tag);
  if (invariant) value->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant_md_);
  return value;
}

llvm::StoreInst* FunctionEmitter::store(llvm::Value* value, llvm::Value* pointer, llvm::MDNode* tag) {
  llvm::StoreInst* instruction = builder_.CreateStore(value, pointer);
  instruction->setMetadata(llvm::LLVMContext::MD_tbaa, tag);
  return instruction;
}

// A pointer the instance fixes before any of its code runs, `base + offset`,
// loaded once in the entry block (so LLVM may hoist and share it freely).
llvm::LoadInst* FunctionEmitter::loadInvariantPointer(llvm::Value* base, uint64_t offset, const char* name) {
  llvm::Value* slot = offset == 0 ? base : entry_builder_.CreateConstInBoundsGEP1_64(i8_, base, offset);
  llvm::LoadInst* value = entry_builder_.CreateLoad(ptr_, slot, name);
  value->setMetadata(llvm::LLVMContext::MD_tbaa, tags_.vmcontext);
  value->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant_md_);
  return value;
}

llvm::Value* FunctionEmitter::vmctxFieldInvariant(unsigned offset) {
  llvm::Value*& cached = vmctx_fields_.at(offset / 8);
  if (!cached) cached = loadInvariantPointer(vmctx_, offset, "");
  return cached;
}

llvm::Value* FunctionEmitter::globalCell(uint32_t global_index) {
  llvm::Value*& cached = global_cells_.at(global_index);
  if (!cached) {
    llvm::Value* globals = vmctxFieldInvariant(offsetof(abi::VMContext, globals));
    cached = loadInvariantPointer(globals, uint64_t{global_index} * 8, "global_cell");
  }
  return cached;
}

llvm::Value* FunctionEmitter::tableState(uint32_t table_index) {
  llvm::Value*& cached = table_states_.at(table_index);
  if (!cached) {
    llvm::Value* tables = vmctxFieldInvariant(offsetof(abi::VMContext, tables));
    cached = loadInvariantPointer(tables, uint64_t{table_index} * 8, "table_state");
  }
  return cached;
}

llvm::CallInst* FunctionEmitter::callRuntime(size_t field_offset, llvm::Type* result,
                                             std::initializer_list<llvm::Value*> args) {
  llvm::Value* runtime = vmctxFieldInvariant(offsetof(abi::VMContext, runtime));
  llvm::Value* helper = load(ptr_, bytePointer(runtime, field_offset), tags_.vmcontext,
                             /*invariant=*/true);
  std::vector<llvm::Value*> call_args;
  std::vector<llvm::Type*> param_types;
  call_args.reserve(args.size() + 1);
  param_types.reserve(args.size() + 1);
  call_args.push_back(vmctx_);
  param_types.push_back(ptr_);
  for (llvm::Value* arg : args) {
    call_args.push_back(arg);
    param_types.push_back(arg->getType());
  }
  auto* type = llvm::FunctionType::get(result, param_types, false);
  return builder_.CreateCall(type, helper, call_args);
}

void FunctionEmitter::pushCallResults(llvm::Value* call, const abi::FuncType& type) {
  if (type.results.empty()) return;
  if (type.results.size() == 1) {
    push(call);
    return;
  }
  for (unsigned i = 0; i < type.results.size(); ++i) push(builder_.CreateExtractValue(call, {i}));
}

// ---------------------------------------------------------------------------
// Driver

void FunctionEmitter::emitPrologue() {
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(context_, "entry", function_);
  llvm::BasicBlock* body = llvm::BasicBlock::Create(context_, "body", function_);
  builder_.SetInsertPoint(entry);
  vmctx_ = function_->getArg(0);
  vmctx_->setName("vmctx");

  const abi::FuncType& type = info_.types.at(code_.type_index);
  locals_.reserve(code_.locals.size());
  for (size_t i = 0; i < code_.locals.size(); ++i) {
    llvm::Type* local_type = typeOf(code_.locals[i]);
    llvm::AllocaInst* slot = builder_.CreateAlloca(local_type, nullptr, "local");
    locals_.push_back(slot);
  }
  for (size_t i = 0; i < code_.locals.size(); ++i) {
    llvm::Value* initial = i < type.params.size()
                               ? static_cast<llvm::Value*>(function_->getArg(static_cast<unsigned>(i + 1)))
                               : llvm::Constant::getNullValue(locals_[i]->getAllocatedType());
    builder_.CreateStore(initial, locals_[i]);
  }
  llvm::BranchInst* to_body = builder_.CreateBr(body);
  entry_builder_.SetInsertPoint(to_body);

  // The memory base never moves: load it once and keep it in a register.
  if (!info_.memories.empty()) memory_base_ = vmctxFieldInvariant(offsetof(abi::VMContext, memory_base));

  // Stack check: one compare of the frame address against vmctx->stack_limit.
  builder_.SetInsertPoint(body);
  llvm::Value* frame = builder_.CreateIntrinsic(llvm::Intrinsic::frameaddress, {ptr_},
                                                {llvm::ConstantInt::get(i32_, 0)});
  llvm::Value* frame_address = builder_.CreatePtrToInt(frame, i64_);
  // The limit is set for the calling thread before any wasm code runs and
  // stays put while it runs (a nested entry on the same thread sets the
  // same value): invariant, so that once a callee is inlined its check,
  // with the same frame address and limit, folds into the caller's.
  llvm::Value* limit = load(i64_, bytePointer(vmctx_, offsetof(abi::VMContext, stack_limit)),
                            tags_.vmcontext, true, "stack_limit");
  trapIf(builder_.CreateICmpULT(frame_address, limit), abi::TrapCode::CallStackExhausted);

  // The runtime walks frame pointers for backtraces.
  function_->addFnAttr("frame-pointer", "all");
  // Unbounded wasm recursion must end in "call stack exhausted": keep every
  // call a real call (no tail-recursion-to-loop, no sibling-call jumps). In
  // a module with return_call the function must be able to jump, so there
  // each ordinary call is marked `notail` instead (emit_calls.cpp).
  if (!options_.tail_calls) function_->addFnAttr("disable-tail-calls", "true");
}

void FunctionEmitter::emit() {
  emitPrologue();

  ControlFrame frame;
  frame.kind = ControlFrame::Kind::Function;
  frame.results = info_.types.at(code_.type_index).results;
  frame.stack_height = 0;
  frame.end_block = newBlock("return");
  for (abi::ValType result : frame.results) {
    frame.end_phis.push_back(llvm::PHINode::Create(typeOf(result), 2, "", frame.end_block));
  }
  control_.push_back(std::move(frame));

  for (const Instruction& ins : code_.instructions) {
    if (control_.empty()) throw std::logic_error("function emitter: instructions after the final end");
    if (!reachable_) {
      switch (ins.op) {
        case Opcode::Block:
        case Opcode::Loop:
        case Opcode::If:
        case Opcode::Try: ++dead_depth_; break;
        case Opcode::Else:
          if (dead_depth_ == 0) emitElse();
          break;
        case Opcode::Catch:
        case Opcode::CatchAll:
          if (dead_depth_ == 0) emitCatch(ins);
          break;
        case Opcode::End:
        case Opcode::Delegate:  // ends its try like `end`
          if (dead_depth_ == 0) {
            ins.op == Opcode::End ? emitEnd() : emitDelegate(ins.a);
          } else {
            --dead_depth_;
          }
          break;
        default: break;
      }
      continue;
    }
    emitInstruction(ins);
  }
  if (!control_.empty()) throw std::logic_error("function emitter: missing final end");
}

void FunctionEmitter::emitInstruction(const Instruction& ins) {
  switch (ins.op) {
    case Opcode::Unreachable:
      builder_.CreateBr(trapBlock(abi::TrapCode::Unreachable));
      markUnreachable();
      return;
    case Opcode::Nop: return;
    case Opcode::Block: emitBlock(ins); return;
    case Opcode::Loop: emitLoop(ins); return;
    case Opcode::If: emitIf(ins); return;
    case Opcode::Else: emitElse(); return;
    case Opcode::End: emitEnd(); return;
    case Opcode::Br: emitBr(ins.a); return;
    case Opcode::BrIf: emitBrIf(ins.a); return;
    case Opcode::BrTable: emitBrTable(ins); return;
    case Opcode::Return: emitBr(static_cast<uint32_t>(control_.size() - 1)); return;
    default: break;
  }
  if (emitVariable(ins) || emitNumeric(ins) || emitConversion(ins) || emitMemory(ins) ||
      emitCall(ins) || emitTableOrReference(ins) || emitSimd(ins) || emitAtomic(ins) || emitException(ins)) {
    return;
  }
  throw std::runtime_error(std::string("function emitter: unsupported instruction ") +
                           opcodeName(ins.op));
}

// Locals, globals, drop and select.
bool FunctionEmitter::emitVariable(const Instruction& ins) {
  switch (ins.op) {
    case Opcode::Drop: pop(); return true;
    case Opcode::Select:
    case Opcode::SelectTyped: {
      llvm::Value* condition = pop();
      llvm::Value* if_false = pop();
      llvm::Value* if_true = pop();
      push(builder_.CreateSelect(builder_.CreateICmpNE(condition, llvm::ConstantInt::get(i32_, 0)),
                                 if_true, if_false));
      return true;
    }
    case Opcode::LocalGet: {
      llvm::AllocaInst* slot = locals_.at(ins.a);
      push(builder_.CreateLoad(slot->getAllocatedType(), slot));
      return true;
    }
    case Opcode::LocalSet: builder_.CreateStore(pop(), locals_.at(ins.a)); return true;
    case Opcode::LocalTee: builder_.CreateStore(top(), locals_.at(ins.a)); return true;
    case Opcode::GlobalGet: {
      const abi::GlobalType& type = info_.globals.at(ins.a).type;
      // An immutable global's value is fixed before any code of the instance runs.
      push(load(typeOf(type.type), globalCell(ins.a), tags_.global_cell, !type.is_mutable, "global"));
      return true;
    }
    case Opcode::GlobalSet:
      // Volatile, so the store is neither kept in a register across a loop
      // nor merged with a later one: a trap in between must leave the value
      // the wasm program had stored (docs/ARCHITECTURE.md, traps).
      store(pop(), globalCell(ins.a), tags_.global_cell)->setVolatile(true);
      return true;
    default: return false;
  }
}

// ---------------------------------------------------------------------------
// Control flow

void FunctionEmitter::resolveBlockType(const BlockType& block_type,
                                       std::span<const abi::ValType>* params,
                                       std::span<const abi::ValType>* results) const {
  switch (block_type.kind) {
    case BlockType::Kind::Empty:
      *params = {};
      *results = {};
      return;
    case BlockType::Kind::Value:
      *params = {};
      *results = singleValue(block_type.value);
      return;
    case BlockType::Kind::TypeIndex: {
      const abi::FuncType& type = info_.types.at(block_type.type_index);
      *params = type.params;
      *results = type.results;
      return;
    }
  }
}

void FunctionEmitter::pushFrame(ControlFrame::Kind kind, const BlockType& block_type) {
  ControlFrame frame;
  frame.kind = kind;
  resolveBlockType(block_type, &frame.params, &frame.results);
  frame.stack_height = stack_.size() - frame.params.size();
  if (kind != ControlFrame::Kind::Loop) {
    frame.end_block = newBlock(kind == ControlFrame::Kind::If ? "if.end" : "block.end");
    frame.end_phis.reserve(frame.results.size());
    for (abi::ValType result : frame.results) {
      frame.end_phis.push_back(llvm::PHINode::Create(typeOf(result), 2, "", frame.end_block));
    }
  }
  control_.push_back(std::move(frame));
}

void FunctionEmitter::addIncoming(std::vector<llvm::PHINode*>& phis,
                                  std::span<llvm::Value* const> values, llvm::BasicBlock* from) {
  for (size_t i = 0; i < phis.size(); ++i) phis[i]->addIncoming(values[i], from);
}

void FunctionEmitter::addBranchIncoming(ControlFrame& frame) {
  size_t arity = frame.branchArity();
  std::span<llvm::Value* const> values(stack_.data() + stack_.size() - arity, arity);
  addIncoming(frame.branchPhis(), values, builder_.GetInsertBlock());
}

void FunctionEmitter::emitBlock(const Instruction& ins) {
  pushFrame(ControlFrame::Kind::Block, ins.block_type);
}

void FunctionEmitter::emitLoop(const Instruction& ins) {
  pushFrame(ControlFrame::Kind::Loop, ins.block_type);
  ControlFrame& frame = control_.back();
  frame.loop_header = newBlock("loop");
  for (size_t i = 0; i < frame.params.size(); ++i) {
    frame.loop_phis.push_back(
        llvm::PHINode::Create(typeOf(frame.params[i]), 2, "", frame.loop_header));
  }
  addBranchIncoming(frame);
  builder_.CreateBr(frame.loop_header);
  builder_.SetInsertPoint(frame.loop_header);
  for (size_t i = 0; i < frame.params.size(); ++i) {
    stack_[frame.stack_height + i] = frame.loop_phis[i];
  }
}

void FunctionEmitter::emitIf(const Instruction& ins) {
  llvm::Value* condition = pop();
  pushFrame(ControlFrame::Kind::If, ins.block_type);
  ControlFrame& frame = control_.back();
  frame.if_params.assign(stack_.begin() + static_cast<std::ptrdiff_t>(frame.stack_height),
                         stack_.end());
  llvm::BasicBlock* then_block = newBlock("if.then");
  frame.else_block = newBlock("if.else");
  builder_.CreateCondBr(builder_.CreateICmpNE(condition, llvm::ConstantInt::get(i32_, 0)),
                        then_block, frame.else_block);
  builder_.SetInsertPoint(then_block);
}

void FunctionEmitter::emitElse() {
  ControlFrame& frame = control_.back();
  if (reachable_) {
    addBranchIncoming(frame);
    builder_.CreateBr(frame.end_block);
  }
  stack_.resize(frame.stack_height);
  stack_.insert(stack_.end(), frame.if_params.begin(), frame.if_params.end());
  frame.else_seen = true;
  builder_.SetInsertPoint(frame.else_block);
  reachable_ = true;
}

void FunctionEmitter::emitEnd() {
  ControlFrame& frame = control_.back();
  if (frame.kind == ControlFrame::Kind::Loop) {
    // Falling out of a loop keeps its results on the stack; nothing branches to its end.
    if (!reachable_) stack_.resize(frame.stack_height);
    control_.pop_back();
    return;
  }

  if (reachable_) {
    addBranchIncoming(frame);
    builder_.CreateBr(frame.end_block);
  }
  if (frame.kind == ControlFrame::Kind::If && !frame.else_seen) {
    // The implicit else passes the params through as the results.
    builder_.SetInsertPoint(frame.else_block);
    addIncoming(frame.end_phis, frame.if_params, frame.else_block);
    builder_.CreateBr(frame.end_block);
  }
  if (frame.kind == ControlFrame::Kind::Try) finishTryHandlers(frame);
  stack_.resize(frame.stack_height);

  llvm::BasicBlock* end_block = frame.end_block;
  if (end_block->hasNPredecessors(0)) {
    for (llvm::PHINode* phi : frame.end_phis) phi->eraseFromParent();
    end_block->eraseFromParent();
    markUnreachable();
  } else {
    builder_.SetInsertPoint(end_block);
    for (llvm::PHINode* phi : frame.end_phis) {
      // A phi whose incoming values are all the same value is just that value.
      llvm::Value* only = phi->getIncomingValue(0);
      for (llvm::Value* incoming : phi->incoming_values()) {
        if (incoming != only) {
          only = nullptr;
          break;
        }
      }
      if (only) {
        phi->eraseFromParent();
        push(only);
      } else {
        push(phi);
      }
    }
    reachable_ = true;
  }

  bool is_function = frame.kind == ControlFrame::Kind::Function;
  size_t result_count = frame.results.size();
  control_.pop_back();
  if (!is_function || !reachable_) return;

  // The function's final end: return the results (a literal struct when several).
  std::vector<llvm::Value*> results = popValues(result_count);
  if (results.empty()) {
    builder_.CreateRetVoid();
  } else if (results.size() == 1) {
    builder_.CreateRet(results[0]);
  } else {
    llvm::Value* aggregate = llvm::PoisonValue::get(function_->getReturnType());
    for (unsigned i = 0; i < results.size(); ++i) {
      aggregate = builder_.CreateInsertValue(aggregate, results[i], {i});
    }
    builder_.CreateRet(aggregate);
  }
  markUnreachable();
}

void FunctionEmitter::emitBr(uint32_t depth) {
  ControlFrame& frame = frameAt(depth);
  addBranchIncoming(frame);
  builder_.CreateBr(frame.branchTarget());
  markUnreachable();
}

void FunctionEmitter::emitBrIf(uint32_t depth) {
  llvm::Value* condition = pop();
  ControlFrame& frame = frameAt(depth);
  addBranchIncoming(frame);
  llvm::BasicBlock* continuation = newBlock("br_if.cont");
  builder_.CreateCondBr(builder_.CreateICmpNE(condition, llvm::ConstantInt::get(i32_, 0)),
                        frame.branchTarget(), continuation);
  builder_.SetInsertPoint(continuation);
}

void FunctionEmitter::emitBrTable(const Instruction& ins) {
  llvm::Value* index = pop();
  const uint32_t* labels = code_.br_table_labels.data() + ins.a;
  uint32_t case_count = ins.b - 1;  // the last label is the default
  ControlFrame& default_frame = frameAt(labels[case_count]);
  llvm::SwitchInst* dispatch =
      builder_.CreateSwitch(index, default_frame.branchTarget(), case_count);
  // One phi entry per CFG edge: the default edge plus one per case.
  addBranchIncoming(default_frame);
  for (uint32_t i = 0; i < case_count; ++i) {
    ControlFrame& frame = frameAt(labels[i]);
    dispatch->addCase(llvm::ConstantInt::get(llvm::cast<llvm::IntegerType>(i32_), i),
                      frame.branchTarget());
    addBranchIncoming(frame);
  }
  markUnreachable();
}

}  // namespace detail
}  // namespace wasmaot::compiler
