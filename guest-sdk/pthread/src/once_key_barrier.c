/* pthread_once, spin locks, barriers and thread-specific keys. */
#include <errno.h>
#include <stddef.h>

#include "internal.h"

/* once: 0 not run, 1 running, 2 done (PTHREAD_ONCE_INIT is 0). */
int pthread_once(pthread_once_t *once, void (*init)(void)) {
  _Atomic int *state = (_Atomic int *)once;
  int s = atomic_load(state);
  if (s == 2) return 0;
  s = 0;
  if (atomic_compare_exchange_strong(state, &s, 1)) {
    init();
    atomic_store(state, 2);
    __wasmaot_wake(state, WASMAOT_WAKE_ALL);
    return 0;
  }
  while ((s = atomic_load(state)) == 1) __wasmaot_wait(state, 1, -1);
  return 0;
}

int pthread_spin_init(pthread_spinlock_t *l, int pshared) {
  *l = 0;
  return 0;
}
int pthread_spin_destroy(pthread_spinlock_t *l) { return 0; }
int pthread_spin_lock(pthread_spinlock_t *l) {
  while (atomic_exchange((_Atomic int *)l, 1)) {
    while (atomic_load_explicit((_Atomic int *)l, memory_order_relaxed)) {
    }
  }
  return 0;
}
int pthread_spin_trylock(pthread_spinlock_t *l) { return atomic_exchange((_Atomic int *)l, 1) ? EBUSY : 0; }
int pthread_spin_unlock(pthread_spinlock_t *l) {
  atomic_store((_Atomic int *)l, 0);
  return 0;
}

/* Barriers: __vi[0] a lock word, __i[1] the count, __i[2] arrived so far,
 * __vi[3] the generation, which the last arrival bumps to release the rest. */
#define B_LOCK(b) ((_Atomic int *)&(b)->__u.__vi[0])
#define B_COUNT(b) ((b)->__u.__i[1])
#define B_ARRIVED(b) ((b)->__u.__i[2])
#define B_GENERATION(b) ((_Atomic int *)&(b)->__u.__vi[3])

int pthread_barrier_init(pthread_barrier_t *restrict b, const pthread_barrierattr_t *restrict a, unsigned count) {
  if (count == 0 || count > 0x7fffffff) return EINVAL;
  *b = (pthread_barrier_t){0};
  B_COUNT(b) = (int)count;
  return 0;
}
int pthread_barrier_destroy(pthread_barrier_t *b) { return 0; }
int pthread_barrier_wait(pthread_barrier_t *b) {
  __wasmaot_lock_word(B_LOCK(b), CLOCK_MONOTONIC, NULL);
  int generation = atomic_load(B_GENERATION(b));
  if (++B_ARRIVED(b) == B_COUNT(b)) {
    B_ARRIVED(b) = 0;
    atomic_fetch_add(B_GENERATION(b), 1);
    __wasmaot_unlock_word(B_LOCK(b));
    __wasmaot_wake(B_GENERATION(b), WASMAOT_WAKE_ALL);
    return PTHREAD_BARRIER_SERIAL_THREAD;
  }
  __wasmaot_unlock_word(B_LOCK(b));
  while (atomic_load(B_GENERATION(b)) == generation) __wasmaot_wait(B_GENERATION(b), generation, -1);
  return 0;
}
int pthread_barrierattr_init(pthread_barrierattr_t *a) {
  a->__attr = 0;
  return 0;
}
int pthread_barrierattr_destroy(pthread_barrierattr_t *a) { return 0; }

/* Keys: a process-wide table of destructors; each thread's values live in
 * its record. A key's generation changes when it is deleted, so a value set
 * under an old key is not seen under a new key with the same number. */
static _Atomic int keys_lock;
static struct {
  int used;
  void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
  __wasmaot_lock_word(&keys_lock, CLOCK_MONOTONIC, NULL);
  for (unsigned k = 0; k < PTHREAD_KEYS_MAX; ++k) {
    if (!keys[k].used) {
      keys[k].used = 1;
      keys[k].destructor = destructor;
      __wasmaot_unlock_word(&keys_lock);
      /* A fresh key reads as null in the calling thread; other threads'
       * stale values are POSIX's undefined behaviour (key reuse after delete). */
      __wasmaot_self()->keys[k] = NULL;
      *key = k;
      return 0;
    }
  }
  __wasmaot_unlock_word(&keys_lock);
  return EAGAIN;
}

int pthread_key_delete(pthread_key_t key) {
  if (key >= PTHREAD_KEYS_MAX) return EINVAL;
  __wasmaot_lock_word(&keys_lock, CLOCK_MONOTONIC, NULL);
  int was_used = keys[key].used;
  keys[key].used = 0;
  keys[key].destructor = NULL;
  __wasmaot_unlock_word(&keys_lock);
  return was_used ? 0 : EINVAL;
}

void *pthread_getspecific(pthread_key_t key) { return key < PTHREAD_KEYS_MAX ? __wasmaot_self()->keys[key] : NULL; }

int pthread_setspecific(pthread_key_t key, const void *value) {
  if (key >= PTHREAD_KEYS_MAX || !keys[key].used) return EINVAL;
  __wasmaot_self()->keys[key] = (void *)value;
  return 0;
}

void __wasmaot_run_key_destructors(struct __pthread *self) {
  for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; ++round) {
    int ran = 0;
    for (unsigned k = 0; k < PTHREAD_KEYS_MAX; ++k) {
      void *value = self->keys[k];
      void (*destructor)(void *) = keys[k].used ? keys[k].destructor : NULL;
      if (value && destructor) {
        self->keys[k] = NULL;
        destructor(value);
        ran = 1;
      }
    }
    if (!ran) return;
  }
}
