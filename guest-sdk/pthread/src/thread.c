/* Thread lifetime: create, join, detach, exit, self, attributes. Each
 * thread's record, TLS block and stack are one malloc'd block; a joined
 * thread's is freed by its joiner, a detached one's by a later
 * pthread_create or pthread_detach once the thread has finished (a thread
 * cannot free the stack it is running on). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int32_t __imported_wasi_thread_spawn(int32_t start_arg)
    __attribute__((__import_module__("wasi"), __import_name__("thread-spawn")));
/* wasmaot's extension: ends the calling (spawned) thread, unwinding its wasm
 * frames as a trap would; only pthread_exit uses it. */
_Noreturn void __imported_wasmaot_thread_exit(void)
    __attribute__((__import_module__("wasmaot"), __import_name__("thread_exit")));

/* The entry point thread-spawn starts threads at (wasi_thread_start.s).
 * Referenced here so that linking pthread_create pulls it in (and its
 * export) from the archive. */
void wasi_thread_start(int tid, void *start_arg);
__attribute__((used)) static void (*const entry_point)(int, void *) = wasi_thread_start;

#define DEFAULT_STACK_SIZE (128 * 1024)

static struct __pthread main_thread = {.tid = WASMAOT_MAIN_TID};
static _Thread_local struct __pthread *current;
_Atomic int __wasmaot_running_threads;

/* Detached threads whose block is not freed yet. */
static _Atomic int detached_lock;
static struct __pthread *detached_list;

struct __pthread *__wasmaot_self(void) { return current ? current : &main_thread; }

pthread_t pthread_self(void) { return __wasmaot_self(); }

#undef pthread_equal
int pthread_equal(pthread_t a, pthread_t b) { return a == b; }

static void reap_detached(void) {
  __wasmaot_lock_word(&detached_lock, CLOCK_MONOTONIC, NULL);
  struct __pthread **link = &detached_list;
  while (*link) {
    struct __pthread *t = *link;
    if (atomic_load(&t->done)) {
      *link = t->next_detached;
      free(t->block);
    } else {
      link = &t->next_detached;
    }
  }
  __wasmaot_unlock_word(&detached_lock);
}

/* Called by wasi_thread_start once the stack pointer and TLS are set. */
void __wasmaot_thread_main(int tid, struct __pthread *self) {
  current = self;
  atomic_store(&self->tid, tid);
  self->result = self->start(self->arg);
  __wasmaot_run_key_destructors(self);
  atomic_fetch_sub(&__wasmaot_running_threads, 1);
  __wasmaot_wake(&__wasmaot_running_threads, WASMAOT_WAKE_ALL);
  /* The last touch of this thread's memory: after it the block may be freed. */
  atomic_store(&self->done, 1);
  __wasmaot_wake(&self->done, WASMAOT_WAKE_ALL);
}

int pthread_create(pthread_t *restrict out, const pthread_attr_t *restrict attr, void *(*start)(void *),
                   void *restrict arg) {
  reap_detached();
  size_t stack_size = attr && attr->__u.__s[0] ? attr->__u.__s[0] : DEFAULT_STACK_SIZE;
  int detached = attr ? attr->__u.__i[1] : 0;
  size_t tls_size = __builtin_wasm_tls_size();
  size_t tls_align = __builtin_wasm_tls_align();
  if (tls_align < 16) tls_align = 16;
  size_t record = (sizeof(struct __pthread) + tls_align - 1) & ~(tls_align - 1);
  size_t tls_room = (tls_size + 15) & ~(size_t)15;
  size_t total = record + tls_room + stack_size + tls_align;
  if (total < stack_size) return EAGAIN;
  void *block = malloc(total);
  if (!block) return EAGAIN;
  uintptr_t base = ((uintptr_t)block + tls_align - 1) & ~(uintptr_t)(tls_align - 1);
  struct __pthread *t = (struct __pthread *)base;
  memset(t, 0, sizeof *t);
  t->block = block;
  t->tls_base = base + record;
  t->stack_top = (base + record + tls_room + stack_size) & ~(uintptr_t)15;
  t->start = start;
  t->arg = arg;
  t->detached = detached;
  atomic_fetch_add(&__wasmaot_running_threads, 1);
  if (detached) {
    __wasmaot_lock_word(&detached_lock, CLOCK_MONOTONIC, NULL);
    t->next_detached = detached_list;
    detached_list = t;
    __wasmaot_unlock_word(&detached_lock);
  }
  int32_t tid = __imported_wasi_thread_spawn((int32_t)(uintptr_t)t);
  if (tid <= 0) {
    atomic_fetch_sub(&__wasmaot_running_threads, 1);
    if (detached) {
      atomic_store(&t->done, 1);  /* reaped (freed) by the next create */
    } else {
      free(block);
    }
    return EAGAIN;
  }
  *out = t;
  return 0;
}

int pthread_join(pthread_t t, void **result) {
  if (t == __wasmaot_self()) return EDEADLK;
  if (atomic_load(&t->detached)) return EINVAL;
  while (!atomic_load(&t->done)) __wasmaot_wait(&t->done, 0, -1);
  if (result) *result = t->result;
  free(t->block);
  return 0;
}

int pthread_detach(pthread_t t) {
  if (t == &main_thread) return 0;
  int expected = 0;
  if (!atomic_compare_exchange_strong(&t->detached, &expected, 1)) return EINVAL;
  __wasmaot_lock_word(&detached_lock, CLOCK_MONOTONIC, NULL);
  t->next_detached = detached_list;
  detached_list = t;
  __wasmaot_unlock_word(&detached_lock);
  reap_detached();
  return 0;
}

_Noreturn void pthread_exit(void *result) {
  struct __pthread *self = __wasmaot_self();
  if (self == &main_thread) {
    /* The process lives on until the other threads are done, then exits 0. */
    __wasmaot_run_key_destructors(self);
    int n;
    while ((n = atomic_load(&__wasmaot_running_threads)) > 0) __wasmaot_wait(&__wasmaot_running_threads, n, -1);
    exit(0);
  }
  self->result = result;
  __wasmaot_run_key_destructors(self);
  atomic_fetch_sub(&__wasmaot_running_threads, 1);
  __wasmaot_wake(&__wasmaot_running_threads, WASMAOT_WAKE_ALL);
  atomic_store(&self->done, 1);
  __wasmaot_wake(&self->done, WASMAOT_WAKE_ALL);
  __imported_wasmaot_thread_exit();
}

int pthread_cancel(pthread_t t) { return ENOSYS; }
int pthread_setcancelstate(int state, int *old) {
  if (old) *old = PTHREAD_CANCEL_ENABLE;
  return 0;
}
int pthread_setcanceltype(int type, int *old) {
  if (old) *old = PTHREAD_CANCEL_DEFERRED;
  return 0;
}
void pthread_testcancel(void) {}
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void)) { return 0; }

/* Attributes: __s[0] stack size (0 = default), __i[1] detach state,
 * __i[2] guard size (accepted, unused: wasm stacks have no guard page). */
int pthread_attr_init(pthread_attr_t *a) {
  memset(a, 0, sizeof *a);
  return 0;
}
int pthread_attr_destroy(pthread_attr_t *a) { return 0; }
int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state) {
  *state = a->__u.__i[1];
  return 0;
}
int pthread_attr_setdetachstate(pthread_attr_t *a, int state) {
  if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED) return EINVAL;
  a->__u.__i[1] = state;
  return 0;
}
int pthread_attr_getstacksize(const pthread_attr_t *restrict a, size_t *restrict size) {
  *size = a->__u.__s[0] ? a->__u.__s[0] : DEFAULT_STACK_SIZE;
  return 0;
}
int pthread_attr_setstacksize(pthread_attr_t *a, size_t size) {
  if (size < PTHREAD_STACK_MIN) return EINVAL;
  a->__u.__s[0] = size;
  return 0;
}
int pthread_attr_getguardsize(const pthread_attr_t *restrict a, size_t *restrict size) {
  *size = (size_t)a->__u.__i[2];
  return 0;
}
int pthread_attr_setguardsize(pthread_attr_t *a, size_t size) {
  a->__u.__i[2] = (int)size;
  return 0;
}
