// Trap codes shared by generated code and the runtime. The numbers are part of
// the ABI (generated code passes them to RuntimeFunctions::trap); the
// messages are the spec's wording, which the spec tests match against.
#pragma once

#include <cstdint>

namespace wasmaot::abi {

enum class TrapCode : uint32_t {
  None = 0,
  Unreachable = 1,
  IntegerDivideByZero = 2,
  IntegerOverflow = 3,
  InvalidConversionToInteger = 4,
  OutOfBoundsMemoryAccess = 5,
  OutOfBoundsTableAccess = 6,
  UndefinedElement = 7,        // call_indirect index past the table's end
  UninitializedElement = 8,    // call_indirect through a null entry
  IndirectCallTypeMismatch = 9,
  CallStackExhausted = 10,
  OutOfBoundsDataSegmentAccess = 11,  // reported with the memory message, kept apart for clarity
  HostTrap = 12,               // raised by a host function (message supplied by it)
  UnalignedAtomic = 13,        // an atomic access whose address is not a multiple of its size
  ExpectedSharedMemory = 14,   // memory.atomic.wait on a memory that is not shared
  UncaughtException = 15,      // a wasm exception left the outermost wasm frame
};

constexpr const char* trapMessage(TrapCode code) {
  switch (code) {
    case TrapCode::None: return "no trap";
    case TrapCode::Unreachable: return "unreachable";
    case TrapCode::IntegerDivideByZero: return "integer divide by zero";
    case TrapCode::IntegerOverflow: return "integer overflow";
    case TrapCode::InvalidConversionToInteger: return "invalid conversion to integer";
    case TrapCode::OutOfBoundsMemoryAccess: return "out of bounds memory access";
    case TrapCode::OutOfBoundsTableAccess: return "out of bounds table access";
    case TrapCode::UndefinedElement: return "undefined element";
    case TrapCode::UninitializedElement: return "uninitialized element";
    case TrapCode::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapCode::CallStackExhausted: return "call stack exhausted";
    case TrapCode::OutOfBoundsDataSegmentAccess: return "out of bounds memory access";
    case TrapCode::HostTrap: return "host trap";
    case TrapCode::UnalignedAtomic: return "unaligned atomic";
    case TrapCode::ExpectedSharedMemory: return "expected shared memory";
    case TrapCode::UncaughtException: return "uncaught exception";
  }
  return "unknown trap";
}

// Exit status of `wasmaot run` when the guest traps: distinct from 0, from a
// compile error (1), a usage error (2), timeout(1)'s 124 and signal deaths (128+N).
constexpr int kTrapExitStatus = 70;

}  // namespace wasmaot::abi
