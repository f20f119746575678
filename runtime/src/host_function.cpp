// Host functions made from std::function callbacks. Generated code reaches
// them through the importing module's host adapter for the function type,
// which packs the arguments into 64-bit slots and calls the closure's C
// callback. A Trap the callback returns (or an exception it throws) is
// raised only after every C++ object of the call is destroyed, so the
// longjmp to the entry guard skips nothing with a destructor.
#include <algorithm>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

// What makeHostFunction returns in Function::ref.ctx (code stays null until
// an importing instance binds it).
struct HostFunctionClosure : abi::HostClosure {
  abi::FuncType type;
  HostCallback host_callback;
};

// One per (importing instance, host function): knows its caller.
struct BoundHostClosure : abi::HostClosure {
  HostFunctionClosure* function;
  Instance* caller;
};

thread_local std::string t_host_trap_message;

// Runs the callback; on a trap, leaves the message in t_host_trap_message
// and returns the trap code. Every C++ temporary dies before it returns.
__attribute__((noinline)) abi::TrapCode runCallback(BoundHostClosure* bound, uint64_t* slots) {
  HostFunctionClosure* fn = bound->function;
  size_t slot_count = std::max(abi::slotCount(fn->type.params), abi::slotCount(fn->type.results));
  try {
    std::optional<Trap> trap = fn->host_callback(bound->caller, std::span<uint64_t>(slots, slot_count));
    if (!trap) return abi::TrapCode::None;
    t_host_trap_message = trap->message.empty() ? abi::trapMessage(trap->code) : trap->message;
    return trap->code == abi::TrapCode::None ? abi::TrapCode::HostTrap : trap->code;
  } catch (const std::exception& e) {
    t_host_trap_message = std::string("host function threw an exception: ") + e.what();
  } catch (...) {
    t_host_trap_message = "host function threw an exception";
  }
  return abi::TrapCode::HostTrap;
}

void hostEntry(abi::HostClosure* self, uint64_t* slots) {
  abi::TrapCode code = runCallback(static_cast<BoundHostClosure*>(self), slots);
  if (code != abi::TrapCode::None) raiseTrap(code, t_host_trap_message.c_str());
}

void unboundEntry(abi::HostClosure*, uint64_t*) {
  raiseTrap(abi::TrapCode::HostTrap, "host function called without being bound to an importing instance");
}

}  // namespace

Function makeHostFunction(abi::FuncType type, HostCallback callback) {
  auto closure = std::make_shared<HostFunctionClosure>();
  closure->callback = unboundEntry;
  closure->type = type;
  closure->host_callback = std::move(callback);
  Function f;
  f.type = std::move(type);
  f.ref.code = nullptr;  // marks a host function: bound per importing module
  f.ref.ctx = reinterpret_cast<abi::VMContext*>(static_cast<abi::HostClosure*>(closure.get()));
  f.ref.type_id = canonicalTypeId(f.type);
  f.owner = closure;
  return f;
}

bool bindHostFunction(const Function& function, Instance* caller, void* adapter, abi::FuncRef* out,
                      std::shared_ptr<void>* owner) {
  if (function.ref.code != nullptr || function.ref.ctx == nullptr) return false;
  auto* base = reinterpret_cast<abi::HostClosure*>(function.ref.ctx);
  if (base->callback != unboundEntry) return false;
  auto* fn = static_cast<HostFunctionClosure*>(base);
  auto bound = std::make_shared<BoundHostClosure>();
  bound->callback = hostEntry;
  bound->function = fn;
  bound->caller = caller;
  out->code = adapter;
  out->ctx = reinterpret_cast<abi::VMContext*>(static_cast<abi::HostClosure*>(bound.get()));
  out->type_id = function.ref.type_id;
  out->reserved = 0;
  out->tail_code = nullptr;
  // The bound closure must keep the original (and its std::function) alive.
  struct Both {
    std::shared_ptr<void> bound, original;
  };
  *owner = std::make_shared<Both>(Both{std::move(bound), function.owner});
  return true;
}

}  // namespace wasmaot::runtime
