// memory.atomic.wait32/wait64 and memory.atomic.notify (threads proposal).
// Waiters are parked by host address (memory base + wasm address, so every
// instance sharing a memory agrees) in a fixed table of buckets, each a
// mutex and a FIFO list. A waiter compares the value under its bucket's
// lock, and a notifier takes the same lock after its store, so no wake-up
// between the compare and the sleep is lost. notify wakes the oldest
// waiters first, as the spec's queue does.
#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

struct Waiter {
  uintptr_t key;
  std::condition_variable wake;
  bool woken = false;
};

struct Bucket {
  std::mutex mutex;
  std::list<Waiter*> waiters;  // oldest first
};

constexpr size_t kBuckets = 256;
Bucket g_buckets[kBuckets];

Bucket& bucketFor(uintptr_t key) { return g_buckets[(key >> 2) % kBuckets]; }

// The host address of an `bytes`-wide access at `address`; traps when it is
// out of bounds (before any C++ object is alive in the caller's frame).
uint8_t* checkedAddress(abi::VMContext* ctx, uint64_t address, unsigned bytes) {
  const uint64_t size = ctx->memory ? ctx->memory->size_bytes : 0;
  if (address + bytes > size) raiseTrap(abi::TrapCode::OutOfBoundsMemoryAccess);
  return ctx->memory_base + address;
}

template <typename T>
uint32_t wait(uint8_t* host_address, T expected, int64_t timeout_ns) {
  const auto key = reinterpret_cast<uintptr_t>(host_address);
  Bucket& bucket = bucketFor(key);
  std::unique_lock<std::mutex> lock(bucket.mutex);
  if (__atomic_load_n(reinterpret_cast<T*>(host_address), __ATOMIC_SEQ_CST) != expected) return 1;  // "not-equal"
  Waiter self{key, {}, false};
  auto position = bucket.waiters.insert(bucket.waiters.end(), &self);
  if (timeout_ns < 0) {
    self.wake.wait(lock, [&] { return self.woken; });
    return 0;  // "ok"
  }
  if (self.wake.wait_for(lock, std::chrono::nanoseconds(timeout_ns), [&] { return self.woken; })) return 0;
  bucket.waiters.erase(position);
  return 2;  // "timed-out"
}

}  // namespace

uint32_t RuntimeHelpers::atomicWait32(abi::VMContext* ctx, uint64_t address, uint32_t expected, int64_t timeout_ns) {
  return wait<uint32_t>(checkedAddress(ctx, address, 4), expected, timeout_ns);
}

uint32_t RuntimeHelpers::atomicWait64(abi::VMContext* ctx, uint64_t address, uint64_t expected, int64_t timeout_ns) {
  return wait<uint64_t>(checkedAddress(ctx, address, 8), expected, timeout_ns);
}

uint32_t RuntimeHelpers::atomicNotify(abi::VMContext* ctx, uint64_t address, uint32_t count) {
  const auto key = reinterpret_cast<uintptr_t>(checkedAddress(ctx, address, 4));
  Bucket& bucket = bucketFor(key);
  std::lock_guard<std::mutex> lock(bucket.mutex);
  uint32_t woken = 0;
  for (auto it = bucket.waiters.begin(); it != bucket.waiters.end() && woken < count;) {
    if ((*it)->key != key) {
      ++it;
      continue;
    }
    (*it)->woken = true;
    (*it)->wake.notify_one();
    it = bucket.waiters.erase(it);
    ++woken;
  }
  return woken;
}

}  // namespace wasmaot::runtime
