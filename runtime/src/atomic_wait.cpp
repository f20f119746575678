// memory.atomic.wait32/wait64 and memory.atomic.notify (threads proposal).
// A 32-bit wait is a Linux futex wait on the host address (memory base +
// wasm address, so every instance sharing a memory agrees): the kernel
// compares and sleeps atomically, and a wake-up costs what it costs a native
// program. The kernel has no 64-bit futex, so wait64 parks in a fixed table
// of buckets, each a mutex and a FIFO list: the waiter compares under its
// bucket's lock, and a notifier takes the same lock after its store, so no
// wake-up between the compare and the sleep is lost. notify wakes futex
// waiters first, then parked ones, up to its count.
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
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
uint32_t parkedWait(uint8_t* host_address, T expected, int64_t timeout_ns) {
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

long futex(uint8_t* address, int op, uint32_t value, const struct timespec* timeout) {
  return syscall(SYS_futex, address, op | FUTEX_PRIVATE_FLAG, value, timeout, nullptr, 0);
}

int64_t nowNanoseconds() {
  struct timespec t {};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

uint32_t futexWait(uint8_t* address, uint32_t expected, int64_t timeout_ns) {
  const int64_t deadline = timeout_ns < 0 ? 0 : nowNanoseconds() + timeout_ns;
  for (int64_t left = timeout_ns;; left = deadline - nowNanoseconds()) {
    // The kernel compares first even with a zero timeout: "not-equal" wins.
    struct timespec relative {};
    if (timeout_ns >= 0) {
      if (left < 0) return 2;  // "timed-out" (after an interruption)
      relative.tv_sec = left / 1'000'000'000;
      relative.tv_nsec = left % 1'000'000'000;
    }
    if (futex(address, FUTEX_WAIT, expected, timeout_ns < 0 ? nullptr : &relative) == 0) return 0;  // "ok"
    if (errno == EAGAIN) return 1;     // "not-equal"
    if (errno == ETIMEDOUT) return 2;  // "timed-out"
    // EINTR (a signal): wait again for what is left.
  }
}

}  // namespace

uint32_t RuntimeHelpers::atomicWait32(abi::VMContext* ctx, uint64_t address, uint32_t expected, int64_t timeout_ns) {
  return futexWait(checkedAddress(ctx, address, 4), expected, timeout_ns);
}

uint32_t RuntimeHelpers::atomicWait64(abi::VMContext* ctx, uint64_t address, uint64_t expected, int64_t timeout_ns) {
  return parkedWait<uint64_t>(checkedAddress(ctx, address, 8), expected, timeout_ns);
}

uint32_t RuntimeHelpers::atomicNotify(abi::VMContext* ctx, uint64_t address, uint32_t count) {
  uint8_t* host_address = checkedAddress(ctx, address, 4);
  if (count == 0) return 0;
  const long futex_woken = futex(host_address, FUTEX_WAKE, count > INT32_MAX ? INT32_MAX : count, nullptr);
  uint32_t woken = futex_woken > 0 ? static_cast<uint32_t>(futex_woken) : 0;
  const auto key = reinterpret_cast<uintptr_t>(host_address);
  Bucket& bucket = bucketFor(key);
  std::lock_guard<std::mutex> lock(bucket.mutex);
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
