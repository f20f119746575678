/* Mutexes. pthread_mutex_t's words (all zero = a default mutex, as
 * PTHREAD_MUTEX_INITIALIZER): __vi[0] the lock word (internal.h),
 * __vi[1] the type, __vi[2] the owner's tid (recursive and error-checking
 * kinds), __vi[3] the recursion depth. Attributes: __attr = type. */
#include <errno.h>

#include "internal.h"

#define WORD(m) ((_Atomic int *)&(m)->__u.__vi[0])
#define TYPE(m) ((m)->__u.__i[1])
#define OWNER(m) ((_Atomic int *)&(m)->__u.__vi[2])
#define DEPTH(m) ((m)->__u.__i[3])

int pthread_mutex_init(pthread_mutex_t *restrict m, const pthread_mutexattr_t *restrict attr) {
  *m = (pthread_mutex_t){0};
  if (attr) TYPE(m) = (int)(attr->__attr & 3);
  return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m) { return 0; }

static int lock(pthread_mutex_t *m, const struct timespec *abstime, int try_only) {
  if (TYPE(m) != PTHREAD_MUTEX_NORMAL) {
    int me = atomic_load(&__wasmaot_self()->tid);
    if (atomic_load_explicit(OWNER(m), memory_order_relaxed) == me) {
      if (TYPE(m) == PTHREAD_MUTEX_ERRORCHECK) return EDEADLK;
      if (DEPTH(m) == 0x7fffffff) return EAGAIN;
      ++DEPTH(m);
      return 0;
    }
    int rc = try_only ? (__wasmaot_trylock_word(WORD(m)) ? 0 : EBUSY)
                      : __wasmaot_lock_word(WORD(m), CLOCK_REALTIME, abstime);
    if (rc) return rc;
    atomic_store_explicit(OWNER(m), me, memory_order_relaxed);
    DEPTH(m) = 1;
    return 0;
  }
  if (try_only) return __wasmaot_trylock_word(WORD(m)) ? 0 : EBUSY;
  return __wasmaot_lock_word(WORD(m), CLOCK_REALTIME, abstime);
}

int pthread_mutex_lock(pthread_mutex_t *m) { return lock(m, 0, 0); }
int pthread_mutex_trylock(pthread_mutex_t *m) { return lock(m, 0, 1); }
int pthread_mutex_timedlock(pthread_mutex_t *restrict m, const struct timespec *restrict abstime) {
  if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000) return EINVAL;
  return lock(m, abstime, 0);
}

int pthread_mutex_unlock(pthread_mutex_t *m) {
  if (TYPE(m) != PTHREAD_MUTEX_NORMAL) {
    if (atomic_load_explicit(OWNER(m), memory_order_relaxed) != atomic_load(&__wasmaot_self()->tid)) return EPERM;
    if (--DEPTH(m) > 0) return 0;
    atomic_store_explicit(OWNER(m), 0, memory_order_relaxed);
  }
  __wasmaot_unlock_word(WORD(m));
  return 0;
}

int pthread_mutexattr_init(pthread_mutexattr_t *a) {
  a->__attr = 0;
  return 0;
}
int pthread_mutexattr_destroy(pthread_mutexattr_t *a) { return 0; }
int pthread_mutexattr_gettype(const pthread_mutexattr_t *restrict a, int *restrict type) {
  *type = (int)(a->__attr & 3);
  return 0;
}
int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type) {
  if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ERRORCHECK) return EINVAL;
  a->__attr = (a->__attr & ~3u) | (unsigned)type;
  return 0;
}
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *restrict a, int *restrict pshared) {
  *pshared = PTHREAD_PROCESS_PRIVATE;
  return 0;
}
/* One process: "shared" is the same as private. */
int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int pshared) {
  return pshared == PTHREAD_PROCESS_PRIVATE || pshared == PTHREAD_PROCESS_SHARED ? 0 : EINVAL;
}
