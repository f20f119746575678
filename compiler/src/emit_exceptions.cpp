// Legacy exception handling: try, catch, catch_all, delegate, throw and
// rethrow, on LLVM's native (zero-cost) unwinding.
//
// A wasm exception is a C++ exception of the runtime's
// (runtime/src/exceptions.cpp). Inside a try's body every call that may
// throw is an `invoke` whose unwind edge goes to the try's landing pad: one
// `landingpad { ptr, i32 } catch ptr null` (catch-all) per try, under the
// .so's personality routine, which forwards to the C++ one. The landing
// pad calls RuntimeFunctions::exception_catch to copy the tag and payload
// into the try's *record* (a stack slot) and jumps to the dispatch: one
// comparison of the record's tag with the tag of each `catch`, in order,
// then the catch_all. When nothing matches, the record is raised again to
// the next enclosing handler (exception_rethrow). Code that never throws
// runs exactly as without exception handling: nothing is registered on
// entry to a try and nothing is checked after a call.
//
// `delegate L` sends the exceptions of its try's body to the handlers that
// enclose label L: its landing pad fills the record of that handler's try
// and jumps straight to its dispatch (or, if no try of this function
// encloses L, raises the exception to the caller). A catch body is not
// inside its try's body, so exceptions there go outward. `return_call`
// replaces the frame, so its call is never an invoke.
#include <algorithm>
#include <cstddef>
#include <stdexcept>

#include <llvm/IR/Constants.h>

#include "emitter_private.h"

namespace wasmaot::compiler::detail {

bool FunctionEmitter::emitException(const Instruction& ins) {
  switch (ins.op) {
    case Opcode::Try: pushFrame(ControlFrame::Kind::Try, ins.block_type); return true;
    case Opcode::Catch:
    case Opcode::CatchAll: emitCatch(ins); return true;
    case Opcode::Delegate: emitDelegate(ins.a); return true;
    case Opcode::Throw: emitThrow(ins.a); return true;
    case Opcode::Rethrow: emitRethrow(ins.a); return true;
    default: return false;
  }
}

ControlFrame* FunctionEmitter::enclosingTryBody(size_t index) {
  for (size_t i = index + 1; i-- > 0;) {
    if (control_[i].kind == ControlFrame::Kind::Try && !control_[i].in_handler) return &control_[i];
  }
  return nullptr;
}

llvm::BasicBlock* FunctionEmitter::unwindDestination() {
  ControlFrame* frame = control_.empty() ? nullptr : enclosingTryBody(control_.size() - 1);
  return frame ? landingPadOf(*frame) : nullptr;
}

llvm::CallBase* FunctionEmitter::createThrowingCall(llvm::FunctionType* type, llvm::Value* callee,
                                                    llvm::ArrayRef<llvm::Value*> args) {
  return callUnwindingTo(unwindDestination(), type, callee, args);
}

llvm::CallBase* FunctionEmitter::callUnwindingTo(llvm::BasicBlock* pad, llvm::FunctionType* type,
                                                 llvm::Value* callee, llvm::ArrayRef<llvm::Value*> args) {
  if (!pad) return builder_.CreateCall(type, callee, args);
  llvm::BasicBlock* normal = newBlock("invoke.cont");
  llvm::InvokeInst* invoke = builder_.CreateInvoke(type, callee, normal, pad, args);
  builder_.SetInsertPoint(normal);
  return invoke;
}

// The landing pad itself: only the landingpad instruction until the try's
// body ends and it is known where the exception goes (fillLandingPad).
llvm::BasicBlock* FunctionEmitter::landingPadOf(ControlFrame& frame) {
  if (frame.landing_pad) return frame.landing_pad;
  if (!function_->hasPersonalityFn()) {
    llvm::FunctionCallee personality = module_.getOrInsertFunction(kPersonalitySymbol, personalityFunctionType(context_));
    auto* declared = llvm::cast<llvm::Function>(personality.getCallee());
    declared->setVisibility(llvm::GlobalValue::HiddenVisibility);
    declared->setDSOLocal(true);
    function_->setPersonalityFn(declared);
  }
  frame.landing_pad = newBlock("landing_pad");
  llvm::IRBuilder<> pad(frame.landing_pad);
  llvm::LandingPadInst* landing = pad.CreateLandingPad(llvm::StructType::get(context_, {ptr_, i32_}), 1);
  landing->addClause(llvm::ConstantPointerNull::get(ptr_));  // catch-all: the tags are compared afterwards
  frame.pad_exception = pad.CreateExtractValue(landing, 0, "exception");
  return frame.landing_pad;
}

namespace {

llvm::AllocaInst* recordSlot(llvm::IRBuilder<>& entry, llvm::Type* i64, uint32_t capacity, const char* name) {
  return entry.CreateAlloca(llvm::ArrayType::get(i64, 1 + capacity), nullptr, name);
}

}  // namespace

// `frame`'s landing pad catches into `handler`'s record and continues at
// its dispatch; without a handler it raises the exception to the caller.
void FunctionEmitter::fillLandingPad(ControlFrame& frame, ControlFrame* handler) {
  llvm::IRBuilderBase::InsertPointGuard keep(builder_);
  ControlFrame& into = handler ? *handler : frame;
  if (!into.record) into.record = recordSlot(entry_builder_, i64_, record_capacity_, "caught");
  builder_.SetInsertPoint(frame.landing_pad);
  llvm::Value* capacity = llvm::ConstantInt::get(i32_, record_capacity_);
  auto* catch_type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr_, ptr_, ptr_, i32_}, false);
  builder_.CreateCall(catch_type, runtimeHelperHere(offsetof(abi::RuntimeFunctions, exception_catch)),
                      {vmctx_, frame.pad_exception, into.record, capacity});
  if (!handler) {
    callRethrow(into.record, nullptr);
    return;
  }
  if (!handler->dispatch) handler->dispatch = newBlock("catch.dispatch");
  builder_.CreateBr(handler->dispatch);
}

// Exception handling's pointers are loaded where they are used, in cold
// code, and not hoisted into the entry block as the hot paths' invariant
// pointers are: the normal path then spends no register and no load on
// them.
llvm::Value* FunctionEmitter::runtimeHelperHere(size_t offset) {
  llvm::Value* runtime = load(ptr_, bytePointer(vmctx_, offsetof(abi::VMContext, runtime)), tags_.vmcontext, true);
  return load(ptr_, bytePointer(runtime, offset), tags_.vmcontext, true);
}

llvm::Value* FunctionEmitter::tagPointer(uint32_t tag_index) {
  llvm::Value* tags = load(ptr_, bytePointer(vmctx_, offsetof(abi::VMContext, tags)), tags_.vmcontext, true);
  return load(ptr_, bytePointer(tags, uint64_t{tag_index} * sizeof(void*)), tags_.vmcontext, true, "tag");
}

// Raises the exception `record` holds, to the landing pad `pad` (null: to
// the caller).
void FunctionEmitter::callRethrow(llvm::Value* record, llvm::BasicBlock* pad) {
  llvm::Value* helper = runtimeHelperHere(offsetof(abi::RuntimeFunctions, exception_rethrow));
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr_, ptr_, i32_}, false);
  llvm::CallBase* call =
      callUnwindingTo(pad, type, helper, {vmctx_, record, llvm::ConstantInt::get(i32_, record_capacity_)});
  call->setDoesNotReturn();
  builder_.CreateUnreachable();
}

void FunctionEmitter::emitCatch(const Instruction& ins) {
  ControlFrame& frame = control_.back();
  if (reachable_) {
    addBranchIncoming(frame);
    builder_.CreateBr(frame.end_block);
  }
  stack_.resize(frame.stack_height);
  if (!frame.in_handler) {  // the try's body ends here
    frame.in_handler = true;
    if (frame.landing_pad) fillLandingPad(frame, &frame);
    frame.next_test = frame.dispatch;  // null when no exception can reach this try
  }
  if (!frame.next_test) {  // unreachable handler (no call in the body, or after a catch_all)
    markUnreachable();
    return;
  }
  builder_.SetInsertPoint(frame.next_test);
  reachable_ = true;
  if (ins.op == Opcode::CatchAll) {
    frame.next_test = nullptr;
    return;
  }
  llvm::Value* caught = builder_.CreateLoad(ptr_, frame.record, "caught_tag");
  llvm::BasicBlock* body = newBlock("catch");
  frame.next_test = newBlock("catch.next");
  builder_.CreateCondBr(builder_.CreateICmpEQ(caught, tagPointer(ins.a)), body, frame.next_test);
  builder_.SetInsertPoint(body);
  // The payload, one value per slot (a v128 takes two), after the tag.
  const abi::FuncType& type = info_.types.at(info_.tags.at(ins.a));
  uint64_t slot = 1;
  for (abi::ValType t : type.params) {
    llvm::Value* address = builder_.CreateConstInBoundsGEP1_64(i64_, frame.record, slot);
    push(builder_.CreateLoad(typeOf(t), address, "payload"));
    slot += t == abi::ValType::V128 ? 2 : 1;
  }
}

void FunctionEmitter::finishTryHandlers(ControlFrame& frame) {
  if (!frame.in_handler) {  // `try ... end`: a body and no handler
    frame.in_handler = true;
    if (frame.landing_pad) fillLandingPad(frame, &frame);
    frame.next_test = frame.dispatch;
  }
  if (!frame.next_test) return;
  llvm::IRBuilderBase::InsertPointGuard keep(builder_);
  builder_.SetInsertPoint(frame.next_test);
  callRethrow(frame.record, unwindDestination());  // no catch matched: on to the enclosing handler
  frame.next_test = nullptr;
}

void FunctionEmitter::emitDelegate(uint32_t depth) {
  ControlFrame& frame = control_.back();
  frame.in_handler = true;  // the body is over; the try has no handler of its own
  // `depth` counts from the block enclosing the try.
  ControlFrame* handler = enclosingTryBody(control_.size() - 2 - depth);
  if (frame.landing_pad) fillLandingPad(frame, handler);
  if (frame.dispatch) {
    // Inner delegates sent exceptions to this try: on to the same handler.
    llvm::IRBuilderBase::InsertPointGuard keep(builder_);
    builder_.SetInsertPoint(frame.dispatch);
    callRethrow(frame.record, handler ? landingPadOf(*handler) : nullptr);
  }
  emitEnd();
}

void FunctionEmitter::emitThrow(uint32_t tag_index) {
  const abi::FuncType& type = info_.types.at(info_.tags.at(tag_index));
  std::vector<llvm::Value*> values = popValues(type.params.size());
  if (!throw_buffer_) {
    throw_buffer_ = entry_builder_.CreateAlloca(llvm::ArrayType::get(i64_, std::max(1u, record_capacity_)), nullptr,
                                                "thrown_payload");
  }
  // Slot convention: i32 and f32 zero-extended to 64 bits, a v128 in two.
  uint64_t slot = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    llvm::Value* value = values[i];
    if (type.params[i] == abi::ValType::F32) value = builder_.CreateBitCast(value, i32_);
    if (value->getType() == i32_) value = builder_.CreateZExt(value, i64_);
    builder_.CreateStore(value, builder_.CreateConstInBoundsGEP1_64(i64_, throw_buffer_, slot));
    slot += type.params[i] == abi::ValType::V128 ? 2 : 1;
  }
  llvm::Value* helper = runtimeHelperHere(offsetof(abi::RuntimeFunctions, exception_throw));
  auto* helper_type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr_, ptr_, ptr_}, false);
  llvm::CallBase* call = createThrowingCall(helper_type, helper, {vmctx_, tagPointer(tag_index), throw_buffer_});
  call->setDoesNotReturn();
  builder_.CreateUnreachable();
  markUnreachable();
}

void FunctionEmitter::emitRethrow(uint32_t depth) {
  ControlFrame& frame = frameAt(depth);
  if (!frame.record) throw std::logic_error("function emitter: rethrow of a handler no exception reaches");
  callRethrow(frame.record, unwindDestination());
  markUnreachable();
}

}  // namespace wasmaot::compiler::detail
