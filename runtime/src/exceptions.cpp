// Wasm exceptions (legacy exception handling) on the system unwinder.
//
// Generated code turns every wasm `try` whose body contains a call into an
// LLVM landing pad (compiler/src/emit_exceptions.cpp); LLVM describes the
// frames in .eh_frame and the landing pads in the usual LSDA tables, under
// the .so's personality routine, which forwards to guestPersonality below.
//
// A throw (exceptionThrow) raises the calling thread's one in-flight
// exception with _Unwind_ForcedUnwind: a single walk up the stack (an
// ordinary C++ throw walks it twice, once to search and once to unwind).
// At each frame guestPersonality looks the return address up in the
// frame's call-site table; a call inside a try has a landing pad, which
// it enters. The landing pad calls exceptionCatch, which copies tag and
// payload into the try's record, and generated code compares the tag with
// each `catch` in turn. Nothing runs on the normal path: no registration
// on entry to a try, no check after a call.
//
// At most one exception is in flight per thread: between a throw and the
// landing pad that takes it no wasm code runs. So the exception object is
// thread-local and a throw allocates nothing.
//
// An exception that no wasm frame takes would unwind past the guard of the
// call from the host into wasm (trap_handler.cpp); the unwinder's stop
// function sees the frame before that happens and ends the call with the
// trap "uncaught exception (tag ...)". So an exception never crosses a host
// function: a host function that calls back into wasm sees its call trap.
#include <unwind.h>

#include <cstring>
#include <unordered_map>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

constexpr _Unwind_Exception_Class kGuestExceptionClass = 0x5741534d414f5400;  // "WASMAOT\0"

struct GuestException {
  _Unwind_Exception header;  // what the unwinder and the landing pad see
  const Tag* tag = nullptr;
  std::vector<uint64_t> payload;  // keeps its capacity: no allocation once warm
};

thread_local GuestException t_in_flight;
thread_local std::string t_uncaught_message;

// A record has room for the largest payload among the tags of its own
// module. An exception of another module's tag can be larger; such a
// payload is kept here, under the record's address, for a later rethrow
// of that record. exceptionCatch refreshes or erases the entry every time
// it fills the record, so a stale entry is never read.
thread_local std::unordered_map<const uint64_t*, std::vector<uint64_t>> t_oversize_payloads;

void noCleanup(_Unwind_Reason_Code, _Unwind_Exception*) {}

// Called by the unwinder for each frame before its personality routine.
_Unwind_Reason_Code stopAtGuard(int, _Unwind_Action actions, _Unwind_Exception_Class, _Unwind_Exception*,
                                _Unwind_Context* context, void*) {
  if ((actions & _UA_END_OF_STACK) || _Unwind_GetCFA(context) > currentGuardFrameAddress()) {
    t_uncaught_message = "uncaught exception (" + t_in_flight.tag->name + ")";
    raiseTrap(abi::TrapCode::UncaughtException, t_uncaught_message.c_str());
  }
  return _URC_NO_REASON;
}

// Inlined into the throw helpers: every frame costs the unwinder about
// 1,400 instructions (benchmarks/exceptions), so no extra one.
[[noreturn, gnu::always_inline]] inline void raiseInFlight() {
  GuestException& e = t_in_flight;
  std::memset(&e.header, 0, sizeof e.header);
  e.header.exception_class = kGuestExceptionClass;
  e.header.exception_cleanup = noCleanup;
  _Unwind_ForcedUnwind(&e.header, stopAtGuard, nullptr);
  raiseTrap(abi::TrapCode::HostTrap, "wasm exception: the stack could not be unwound");
}

// ---- the call-site table of a frame's LSDA (the format GCC and LLVM emit)

uint64_t readUleb(const uint8_t*& p) {
  uint64_t value = 0;
  for (unsigned shift = 0;; shift += 7) {
    const uint8_t byte = *p++;
    if (shift < 64) value |= uint64_t{byte & 0x7Fu} << shift;
    if (!(byte & 0x80)) return value;
  }
}

// A value in DWARF pointer encoding `encoding`; false for an encoding
// LLVM does not use in call-site tables.
bool readEncoded(const uint8_t*& p, uint8_t encoding, uint64_t* out) {
  if (encoding == 0xFF) return false;  // DW_EH_PE_omit
  if ((encoding & 0x70) != 0) return false;  // relative forms: not in call-site tables
  switch (encoding & 0x0F) {
    case 0x00:  // absptr
    case 0x04: std::memcpy(out, p, 8); p += 8; return true;  // udata8
    case 0x01: *out = readUleb(p); return true;              // uleb128
    case 0x03: { uint32_t v; std::memcpy(&v, p, 4); p += 4; *out = v; return true; }  // udata4
    case 0x0B: { int32_t v; std::memcpy(&v, p, 4); p += 4; *out = static_cast<uint64_t>(int64_t{v}); return true; }
    default: return false;
  }
}

// The landing pad of the call that `ip` returns to, or 0.
uintptr_t landingPadFor(const uint8_t* lsda, uintptr_t function_start, uintptr_t ip) {
  uintptr_t landing_base = function_start;
  const uint8_t lpstart_encoding = *lsda++;
  if (lpstart_encoding != 0xFF) {
    uint64_t lpstart = 0;
    if (!readEncoded(lsda, lpstart_encoding, &lpstart)) return 0;
    landing_base = lpstart;
  }
  if (*lsda++ != 0xFF) readUleb(lsda);  // the type table's offset (our catches are all catch-all)
  const uint8_t call_site_encoding = *lsda++;
  const uint64_t table_length = readUleb(lsda);
  const uint8_t* end = lsda + table_length;
  while (lsda < end) {
    uint64_t start = 0, length = 0, pad = 0;
    if (!readEncoded(lsda, call_site_encoding, &start) || !readEncoded(lsda, call_site_encoding, &length) ||
        !readEncoded(lsda, call_site_encoding, &pad)) {
      return 0;
    }
    readUleb(lsda);  // action
    if (ip < function_start + start) return 0;  // sorted by start
    if (ip < function_start + start + length) return pad == 0 ? 0 : landing_base + pad;
  }
  return 0;
}

// The personality of every landing pad in generated code.
_Unwind_Reason_Code guestPersonality(int version, _Unwind_Action actions, _Unwind_Exception_Class exception_class,
                                     _Unwind_Exception* exception, _Unwind_Context* context) {
  if (version != 1) return _URC_FATAL_PHASE1_ERROR;
  // Only our exceptions enter wasm landing pads (a foreign forced unwind,
  // e.g. a thread cancellation, passes through).
  if (exception_class != kGuestExceptionClass) return _URC_CONTINUE_UNWIND;
  const auto* lsda = static_cast<const uint8_t*>(_Unwind_GetLanguageSpecificData(context));
  if (lsda == nullptr) return _URC_CONTINUE_UNWIND;
  int before_call = 0;
  uintptr_t ip = _Unwind_GetIPInfo(context, &before_call);
  if (!before_call) --ip;  // a return address: look up the call itself
  const uintptr_t pad = landingPadFor(lsda, _Unwind_GetRegionStart(context), ip);
  if (pad == 0) return _URC_CONTINUE_UNWIND;
  if (actions & _UA_SEARCH_PHASE) return _URC_HANDLER_FOUND;
  _Unwind_SetGR(context, __builtin_eh_return_data_regno(0), reinterpret_cast<uintptr_t>(exception));
  _Unwind_SetGR(context, __builtin_eh_return_data_regno(1), 1);  // the selector: our pads ignore it
  _Unwind_SetIP(context, pad);
  return _URC_INSTALL_CONTEXT;
}

}  // namespace

void RuntimeHelpers::exceptionThrow(abi::VMContext*, void* tag, const uint64_t* payload) {
  GuestException& e = t_in_flight;
  e.tag = static_cast<const Tag*>(tag);
  e.payload.assign(payload, payload + e.tag->slot_count);
  raiseInFlight();
}

void RuntimeHelpers::exceptionRethrow(abi::VMContext*, const uint64_t* record, uint32_t capacity) {
  GuestException& e = t_in_flight;
  e.tag = reinterpret_cast<const Tag*>(record[0]);
  if (e.tag->slot_count <= capacity) {
    e.payload.assign(record + 1, record + 1 + e.tag->slot_count);
  } else {
    auto it = t_oversize_payloads.find(record);
    if (it == t_oversize_payloads.end()) raiseTrap(abi::TrapCode::HostTrap, "rethrow of an exception never caught");
    e.payload.swap(it->second);
    t_oversize_payloads.erase(it);
  }
  raiseInFlight();
}

void RuntimeHelpers::exceptionCatch(abi::VMContext*, void* exception, uint64_t* record, uint32_t capacity) {
  const GuestException& e = t_in_flight;
  if (exception != &e.header) raiseTrap(abi::TrapCode::HostTrap, "a non-wasm exception reached a wasm landing pad");
  record[0] = reinterpret_cast<uint64_t>(e.tag);
  if (e.tag->slot_count <= capacity) {
    std::memcpy(record + 1, e.payload.data(), e.tag->slot_count * sizeof(uint64_t));
    if (!t_oversize_payloads.empty()) t_oversize_payloads.erase(record);
  } else {
    t_oversize_payloads[record] = e.payload;
  }
}

void* exceptionPersonality() { return reinterpret_cast<void*>(&guestPersonality); }

}  // namespace wasmaot::runtime
