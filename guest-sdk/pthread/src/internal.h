/* Shared by the SDK's pthread implementation: the thread record, futex
 * wait/wake over wasm's memory.atomic.wait32/notify, and the word lock
 * every other primitive is built from. */
#ifndef WASMAOT_PTHREAD_INTERNAL_H
#define WASMAOT_PTHREAD_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

/* The main thread's id: thread-spawn gives spawned threads 1 .. 2^29-1. */
#define WASMAOT_MAIN_TID (1 << 29)

struct __pthread {
  /* Read by wasi_thread_start (wasi_thread_start.s) before any C runs:
   * keep these two first. */
  uintptr_t stack_top;
  uintptr_t tls_base;
  _Atomic int tid;
  _Atomic int done;      /* 0 running, 1 finished: joiners wait on it */
  _Atomic int detached;
  void *(*start)(void *);
  void *arg;
  void *result;
  void *block;           /* the malloc'd block holding this record, TLS and stack */
  struct __pthread *next_detached;
  void *keys[PTHREAD_KEYS_MAX];
};

/* The calling thread's record (the main thread's is static). */
struct __pthread *__wasmaot_self(void);
/* Runs key destructors (thread exit). */
void __wasmaot_run_key_destructors(struct __pthread *self);
/* Threads started and not yet finished, the main thread excluded
 * (pthread_exit in the main thread waits for it to reach 0). */
extern _Atomic int __wasmaot_running_threads;

/* Futex on a 32-bit word of shared memory. Returns 0 when woken, 1 when
 * *addr != expected, 2 on timeout. A negative timeout waits forever. */
static inline int __wasmaot_wait(_Atomic int *addr, int expected, int64_t timeout_ns) {
  return __builtin_wasm_memory_atomic_wait32((int *)addr, expected, timeout_ns);
}
static inline void __wasmaot_wake(_Atomic int *addr, unsigned count) {
  __builtin_wasm_memory_atomic_notify((int *)addr, count);
}
#define WASMAOT_WAKE_ALL 0xffffffffu

/* Nanoseconds from now until an absolute time on `clock` (REALTIME or
 * MONOTONIC); <= 0 when it has passed. */
int64_t __wasmaot_ns_until(clockid_t clock, const struct timespec *abstime);

/* A lock word: 0 free, 1 held, 2 held with waiters (Drepper's futex mutex).
 * Returns 0, or ETIMEDOUT if the absolute deadline passes first. */
int __wasmaot_lock_word(_Atomic int *word, clockid_t clock, const struct timespec *abstime);
static inline int __wasmaot_trylock_word(_Atomic int *word) {
  int expected = 0;
  return atomic_compare_exchange_strong(word, &expected, 1);
}
static inline void __wasmaot_unlock_word(_Atomic int *word) {
  if (atomic_exchange(word, 0) == 2) __wasmaot_wake(word, 1);
}

#endif
