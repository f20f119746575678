/* A malloc that several threads may call at once: wasi-libc's dlmalloc
 * (built without threads) behind one lock. `wasmaot-cc -pthread` links
 * with -Wl,--wrap for each entry point below, so every call to malloc & co.
 * in the program and in libc itself comes here first. One lock is simple
 * and correct; an allocation-heavy program on many threads serialises on
 * it (guest-sdk/pthread/README.md). */
#include <stddef.h>

#include "internal.h"

void *__real_malloc(size_t);
void __real_free(void *);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__real_aligned_alloc(size_t, size_t);
int __real_posix_memalign(void **, size_t, size_t);
size_t __real_malloc_usable_size(void *);
void *__real___libc_malloc(size_t);
void __real___libc_free(void *);
void *__real___libc_calloc(size_t, size_t);

static _Atomic int heap_lock;

static void lock(void) { __wasmaot_lock_word(&heap_lock, CLOCK_MONOTONIC, NULL); }
static void unlock(void) { __wasmaot_unlock_word(&heap_lock); }

void *__wrap_malloc(size_t n) {
  lock();
  void *p = __real_malloc(n);
  unlock();
  return p;
}
void *__wrap___libc_malloc(size_t n) {
  lock();
  void *p = __real___libc_malloc(n);
  unlock();
  return p;
}
void *__wrap_calloc(size_t n, size_t size) {
  lock();
  void *p = __real_calloc(n, size);
  unlock();
  return p;
}
void *__wrap___libc_calloc(size_t n, size_t size) {
  lock();
  void *p = __real___libc_calloc(n, size);
  unlock();
  return p;
}
void *__wrap_realloc(void *old, size_t n) {
  lock();
  void *p = __real_realloc(old, n);
  unlock();
  return p;
}
void *__wrap_aligned_alloc(size_t align, size_t n) {
  lock();
  void *p = __real_aligned_alloc(align, n);
  unlock();
  return p;
}
int __wrap_posix_memalign(void **out, size_t align, size_t n) {
  lock();
  int rc = __real_posix_memalign(out, align, n);
  unlock();
  return rc;
}
size_t __wrap_malloc_usable_size(void *p) {
  lock();
  size_t n = __real_malloc_usable_size(p);
  unlock();
  return n;
}

void __wrap_free(void *p) {
  if (!p) return;
  lock();
  __real_free(p);
  unlock();
}
void __wrap___libc_free(void *p) {
  if (!p) return;
  lock();
  __real___libc_free(p);
  unlock();
}
