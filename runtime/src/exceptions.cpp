// Wasm exceptions (legacy exception handling) as C++ exceptions.
//
// A wasm `throw` calls exceptionThrow, which throws a GuestException. The
// system unwinder (libgcc's, the one C++ uses) walks the generated frames
// with the .eh_frame tables LLVM emitted for them. Every wasm `try` whose
// body contains a call becomes, in LLVM, a landing pad with a catch-all
// clause under the C++ personality routine (libstdc++'s
// __gxx_personality_v0); the landing pad calls exceptionCatch, which ends
// the C++ catch and copies tag and payload into the frame's record, and
// generated code then compares the tag with each `catch` in turn. Nothing
// runs on the normal path: no registration, no per-call check.
//
// An exception that no wasm frame catches reaches callGuarded (the guard
// of every entry from the host into wasm), which turns it into the trap
// "uncaught exception". So an exception never crosses a host function: a
// host function that calls back into wasm sees the callee trap.
#include <cxxabi.h>
#include <unwind.h>

#include <cstring>
#include <typeinfo>
#include <unordered_map>

#include "runtime_private.h"

extern "C" _Unwind_Reason_Code __gxx_personality_v0(int, _Unwind_Action, _Unwind_Exception_Class,
                                                    _Unwind_Exception*, _Unwind_Context*);

namespace wasmaot::runtime {
namespace {

// The exception object. Payloads of up to kInlineSlots slots (every tag
// clang emits has one i32) are stored inline.
class GuestException {
 public:
  GuestException(const Tag* tag, const uint64_t* payload) : tag_(tag) {
    if (tag->slot_count > kInlineSlots) overflow_.assign(payload, payload + tag->slot_count);
    else std::memcpy(inline_, payload, tag->slot_count * sizeof(uint64_t));
  }
  const Tag* tag() const { return tag_; }
  const uint64_t* payload() const { return overflow_.empty() ? inline_ : overflow_.data(); }

 private:
  static constexpr uint32_t kInlineSlots = 4;
  const Tag* tag_;
  uint64_t inline_[kInlineSlots] = {};
  std::vector<uint64_t> overflow_;
};

// A record has room for the largest payload among the tags of its own
// module. An exception of another module's tag can be larger; such a
// payload is kept here, under the record's address, for a later rethrow
// of that record. exceptionCatch refreshes or erases the entry every time
// it fills the record, so a stale entry is never read.
thread_local std::unordered_map<const uint64_t*, std::vector<uint64_t>> t_oversize_payloads;

}  // namespace

void RuntimeHelpers::exceptionThrow(abi::VMContext*, void* tag, const uint64_t* payload) {
  throw GuestException(static_cast<const Tag*>(tag), payload);
}

void RuntimeHelpers::exceptionRethrow(abi::VMContext*, const uint64_t* record, uint32_t capacity) {
  const auto* tag = reinterpret_cast<const Tag*>(record[0]);
  if (tag->slot_count <= capacity) throw GuestException(tag, record + 1);
  auto it = t_oversize_payloads.find(record);
  if (it == t_oversize_payloads.end()) raiseTrap(abi::TrapCode::HostTrap, "rethrow of an exception that was not caught");
  std::vector<uint64_t> payload = std::move(it->second);
  t_oversize_payloads.erase(it);
  throw GuestException(tag, payload.data());
}

void RuntimeHelpers::exceptionCatch(abi::VMContext*, void* exception, uint64_t* record, uint32_t capacity) {
  void* object = __cxxabiv1::__cxa_begin_catch(exception);
  const std::type_info* type = __cxxabiv1::__cxa_current_exception_type();
  if (type == nullptr || *type != typeid(GuestException)) {
    // Host functions catch their own C++ exceptions (host_function.cpp), so
    // only a foreign unwind (e.g. a thread cancellation) can get here.
    __cxxabiv1::__cxa_end_catch();
    raiseTrap(abi::TrapCode::HostTrap, "a non-wasm exception reached wasm code");
  }
  const auto* guest = static_cast<const GuestException*>(object);
  const Tag* tag = guest->tag();
  record[0] = reinterpret_cast<uint64_t>(tag);
  if (tag->slot_count <= capacity) {
    std::memcpy(record + 1, guest->payload(), tag->slot_count * sizeof(uint64_t));
    if (!t_oversize_payloads.empty()) t_oversize_payloads.erase(record);
  } else {
    t_oversize_payloads[record].assign(guest->payload(), guest->payload() + tag->slot_count);
  }
  __cxxabiv1::__cxa_end_catch();
}

void* exceptionPersonality() { return reinterpret_cast<void*>(&__gxx_personality_v0); }

bool callCatchingGuestExceptions(void (*fn)(void*), void* arg, std::string* uncaught_tag) {
  try {
    fn(arg);
    return true;
  } catch (const GuestException& e) {
    *uncaught_tag = e.tag()->name;
    return false;
  }
}

}  // namespace wasmaot::runtime
