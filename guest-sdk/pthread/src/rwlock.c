/* Read-write locks. pthread_rwlock_t's words: __vi[0] the state (0 free,
 * n > 0 held by n readers, -1 held by a writer), __vi[1] how many wait.
 * Waiters sleep on the state word and retry when it changes. */
#include <errno.h>

#include "internal.h"

#define STATE(l) ((_Atomic int *)&(l)->__u.__vi[0])
#define WAITERS(l) ((_Atomic int *)&(l)->__u.__vi[1])

int pthread_rwlock_init(pthread_rwlock_t *restrict l, const pthread_rwlockattr_t *restrict attr) {
  *l = (pthread_rwlock_t){0};
  return 0;
}
int pthread_rwlock_destroy(pthread_rwlock_t *l) { return 0; }

static int try_read(pthread_rwlock_t *l) {
  int s = atomic_load(STATE(l));
  while (s >= 0) {
    if (s == 0x7fffffff) return EAGAIN;
    if (atomic_compare_exchange_weak(STATE(l), &s, s + 1)) return 0;
  }
  return EBUSY;
}

static int try_write(pthread_rwlock_t *l) {
  int expected = 0;
  return atomic_compare_exchange_strong(STATE(l), &expected, -1) ? 0 : EBUSY;
}

static int acquire(pthread_rwlock_t *l, int (*attempt)(pthread_rwlock_t *), const struct timespec *abstime) {
  if (abstime && (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000)) return EINVAL;
  for (;;) {
    int rc = attempt(l);
    if (rc != EBUSY) return rc;
    int64_t timeout = -1;
    if (abstime) {
      timeout = __wasmaot_ns_until(CLOCK_REALTIME, abstime);
      if (timeout <= 0) return ETIMEDOUT;
    }
    atomic_fetch_add(WAITERS(l), 1);
    int s = atomic_load(STATE(l));
    if (s != 0 && (attempt == try_write || s < 0)) __wasmaot_wait(STATE(l), s, timeout);
    atomic_fetch_sub(WAITERS(l), 1);
  }
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l) { return acquire(l, try_read, 0); }
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l) { return try_read(l); }
int pthread_rwlock_timedrdlock(pthread_rwlock_t *restrict l, const struct timespec *restrict t) {
  return acquire(l, try_read, t);
}
int pthread_rwlock_wrlock(pthread_rwlock_t *l) { return acquire(l, try_write, 0); }
int pthread_rwlock_trywrlock(pthread_rwlock_t *l) { return try_write(l); }
int pthread_rwlock_timedwrlock(pthread_rwlock_t *restrict l, const struct timespec *restrict t) {
  return acquire(l, try_write, t);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l) {
  int s = atomic_load(STATE(l));
  if (s == -1) {
    atomic_store(STATE(l), 0);
  } else if (s > 0) {
    atomic_fetch_sub(STATE(l), 1);
  } else {
    return EPERM;
  }
  if (atomic_load(WAITERS(l))) __wasmaot_wake(STATE(l), WASMAOT_WAKE_ALL);
  return 0;
}

int pthread_rwlockattr_init(pthread_rwlockattr_t *a) {
  *a = (pthread_rwlockattr_t){0};
  return 0;
}
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a) { return 0; }
