// The VM context: the one structure that generated code and the runtime both
// read and write. Every compiled function takes a VMContext* as its first
// argument. The field offsets are pinned below with static_assert because the
// compiler bakes them into machine code; change one and bump kAbiVersion.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wasmaot/abi/trap_codes.h"

namespace wasmaot::abi {

struct VMContext;

// A function reference: what a funcref value points to, what a funcref table
// slot points to, and how imported functions are bound. Calling it means
// `code(ctx, params...)` with the native signature of its wasm type.
struct FuncRef {
  void* code;          // native entry point (C calling convention)
  VMContext* ctx;      // first argument to pass (callee instance, or host closure)
  uint32_t type_id;    // process-wide canonical id of the function type
  uint32_t reserved;
  // The same function's `tailcc` body when its module uses tail calls
  // (return_call_indirect jumps there), else null.
  void* tail_code;
};
static_assert(sizeof(FuncRef) == 32);
static_assert(offsetof(FuncRef, code) == 0);
static_assert(offsetof(FuncRef, ctx) == 8);
static_assert(offsetof(FuncRef, type_id) == 16);
static_assert(offsetof(FuncRef, tail_code) == 24);

// A table. funcref tables hold FuncRef* (null = ref.null); externref tables
// hold opaque host pointers (null = ref.null). `elements` may move on grow.
struct TableState {
  void** elements;
  uint32_t size;
  uint32_t max;  // UINT32_MAX when unbounded
};
static_assert(offsetof(TableState, elements) == 0);
static_assert(offsetof(TableState, size) == 8);

// A linear memory. `base` never moves: the whole 32-bit index space plus a
// guard region is reserved up front, and growth only changes protection.
struct LinearMemoryState {
  uint8_t* base;
  uint64_t size_bytes;  // current size, a multiple of 64 KiB
};
static_assert(offsetof(LinearMemoryState, base) == 0);
static_assert(offsetof(LinearMemoryState, size_bytes) == 8);

// Storage for one global; shared between instances when imported/exported.
// i32/f32 live in the low 4 bytes, i64/f64/references in the low 8.
struct alignas(16) GlobalCell {
  uint64_t bits;
  uint64_t high;  // reserved for v128
};

// Out-of-line helpers that generated code calls through VMContext::runtime.
// Any of them may trap; a trap never returns to the caller.
struct RuntimeFunctions {
  [[noreturn]] void (*trap)(VMContext* ctx, uint32_t trap_code);
  // Returns the old size in pages, or -1 (as uint32) on failure.
  uint32_t (*memory_grow)(VMContext* ctx, uint32_t memory_index, uint32_t delta_pages);
  void (*memory_copy)(VMContext* ctx, uint32_t dst, uint32_t src, uint32_t len);
  void (*memory_fill)(VMContext* ctx, uint32_t dst, uint32_t value, uint32_t len);
  void (*memory_init)(VMContext* ctx, uint32_t segment, uint32_t dst, uint32_t src, uint32_t len);
  void (*data_drop)(VMContext* ctx, uint32_t segment);
  void* (*table_get)(VMContext* ctx, uint32_t table, uint32_t index);
  void (*table_set)(VMContext* ctx, uint32_t table, uint32_t index, void* value);
  uint32_t (*table_grow)(VMContext* ctx, uint32_t table, void* init, uint32_t delta);
  void (*table_fill)(VMContext* ctx, uint32_t table, uint32_t index, void* value, uint32_t count);
  void (*table_copy)(VMContext* ctx, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                     uint32_t src, uint32_t count);
  void (*table_init)(VMContext* ctx, uint32_t table, uint32_t segment, uint32_t dst, uint32_t src,
                     uint32_t count);
  void (*elem_drop)(VMContext* ctx, uint32_t segment);
  // Threads: memory 0's memory.atomic.wait32/wait64 (0 woken, 1 not equal,
  // 2 timed out; timeout in ns, negative = forever) and notify (how many
  // waiters were woken). `address` is the effective, aligned, in-bounds
  // address; the memory is shared (generated code traps otherwise).
  uint32_t (*atomic_wait32)(VMContext* ctx, uint64_t address, uint32_t expected, int64_t timeout_ns);
  uint32_t (*atomic_wait64)(VMContext* ctx, uint64_t address, uint64_t expected, int64_t timeout_ns);
  uint32_t (*atomic_notify)(VMContext* ctx, uint64_t address, uint32_t count);
  // Exception handling (docs/ARCHITECTURE.md, "Exceptions"). An exception
  // is a C++ exception of the runtime's, unwound through generated frames by
  // the system unwinder; `tag` is a VMContext::tags entry. A *record* is
  // what a landing pad keeps of a caught exception: record[0] the tag, then
  // the payload's slots (slot convention), room for `capacity` slots.
  // throw: raises tag with payload slots (as many as the tag's params take).
  [[noreturn]] void (*exception_throw)(VMContext* ctx, void* tag, const uint64_t* payload);
  // Raises the exception a record holds again (rethrow; no catch matched).
  [[noreturn]] void (*exception_rethrow)(VMContext* ctx, const uint64_t* record, uint32_t capacity);
  // In a landing pad: ends the C++ catch of `exception` (the landing pad's
  // exception pointer) and fills the record.
  void (*exception_catch)(VMContext* ctx, void* exception, uint64_t* record, uint32_t capacity);
  // Multi-memory: bulk memory on any memory (memory 0 uses the entries
  // above); same checks and traps.
  void (*memory_copy_between)(VMContext* ctx, uint32_t dst_memory, uint32_t src_memory, uint32_t dst, uint32_t src,
                              uint32_t len);
  void (*memory_fill_in)(VMContext* ctx, uint32_t memory, uint32_t dst, uint32_t value, uint32_t len);
  void (*memory_init_in)(VMContext* ctx, uint32_t memory, uint32_t segment, uint32_t dst, uint32_t src,
                         uint32_t len);
};

// Field order matters: see the offsets below.
struct VMContext {
  uint8_t* memory_base;              // base of memory 0 (null if the module has none)
  LinearMemoryState* memory;         // memory 0's state (size)
  uintptr_t stack_limit;             // trap "call stack exhausted" when the frame address is below this
  const RuntimeFunctions* runtime;   // helper entry points
  FuncRef* functions;                // one per function index (imports bound, defined ones point at their code)
  TableState** tables;               // one per table index
  GlobalCell** globals;              // one per global index
  const uint32_t* type_ids;          // canonical id per type index of this module
  void* instance;                    // the runtime's Instance; opaque to generated code
  void* const* tags;                 // one per tag index: the tag's identity (imports bound)
  LinearMemoryState* const* memories;  // one per memory index (memory 0 is also `memory` above)
};
static_assert(offsetof(VMContext, memory_base) == 0);
static_assert(offsetof(VMContext, memory) == 8);
static_assert(offsetof(VMContext, stack_limit) == 16);
static_assert(offsetof(VMContext, runtime) == 24);
static_assert(offsetof(VMContext, functions) == 32);
static_assert(offsetof(VMContext, tables) == 40);
static_assert(offsetof(VMContext, globals) == 48);
static_assert(offsetof(VMContext, type_ids) == 56);
static_assert(offsetof(VMContext, instance) == 64);
static_assert(offsetof(VMContext, tags) == 72);
static_assert(offsetof(VMContext, memories) == 80);

// A host function with a signature the runtime does not know natively
// (spec-test imports, embedder callbacks) is bound as FuncRef{ code =
// descriptor.host_adapters[type], ctx = (VMContext*)closure }. The adapter
// stores its arguments into 64-bit slots, calls closure->callback(closure,
// slots) and loads the results from the same slots.
struct HostClosure {
  void (*callback)(HostClosure* self, uint64_t* slots);
};
static_assert(offsetof(HostClosure, callback) == 0);

// Entry trampoline, one per type index in the .so: calls `code(ctx, args...)`
// with arguments read from slots[0..params) and writes the results to
// slots[0..results). Slots hold the value bits zero-extended to 64 bits.
using EntryTrampoline = void (*)(void* code, VMContext* ctx, uint64_t* slots);

}  // namespace wasmaot::abi
