/* Condition variables: a sequence word that every signal bumps. A waiter
 * reads it before releasing the mutex and sleeps only while it is
 * unchanged, so no signal sent after the mutex is released can be missed.
 * pthread_cond_t's words: __vi[0] the sequence, __i[1] the clock
 * (0 realtime, 1 monotonic). Wakeups may be spurious, as POSIX allows. */
#include <errno.h>

#include "internal.h"

#define SEQ(c) ((_Atomic int *)&(c)->__u.__vi[0])
#define CLOCK_KIND(c) ((c)->__u.__i[1])

int pthread_cond_init(pthread_cond_t *restrict c, const pthread_condattr_t *restrict attr) {
  *c = (pthread_cond_t){0};
  if (attr) CLOCK_KIND(c) = (int)(attr->__attr & 1);
  return 0;
}

int pthread_cond_destroy(pthread_cond_t *c) { return 0; }

static int wait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m, const struct timespec *restrict abstime) {
  if (abstime && (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000)) return EINVAL;
  int seq = atomic_load(SEQ(c));
  /* A recursive mutex is released and re-taken whole. */
  int depth = m->__u.__i[1] != PTHREAD_MUTEX_NORMAL ? m->__u.__i[3] : 0;
  if (depth > 1) m->__u.__i[3] = 1;
  int rc = pthread_mutex_unlock(m);
  if (rc) return rc;
  clockid_t clock = CLOCK_KIND(c) ? CLOCK_MONOTONIC : CLOCK_REALTIME;
  int timed_out = 0;
  int64_t timeout = -1;
  if (abstime) {
    timeout = __wasmaot_ns_until(clock, abstime);
    if (timeout <= 0) timed_out = 1;
  }
  if (!timed_out) timed_out = __wasmaot_wait(SEQ(c), seq, timeout) == 2;
  pthread_mutex_lock(m);
  if (depth > 1) m->__u.__i[3] = depth;
  return timed_out ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m) { return wait(c, m, 0); }
int pthread_cond_timedwait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m,
                           const struct timespec *restrict abstime) {
  return wait(c, m, abstime);
}

int pthread_cond_signal(pthread_cond_t *c) {
  atomic_fetch_add(SEQ(c), 1);
  __wasmaot_wake(SEQ(c), 1);
  return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c) {
  atomic_fetch_add(SEQ(c), 1);
  __wasmaot_wake(SEQ(c), WASMAOT_WAKE_ALL);
  return 0;
}

int pthread_condattr_init(pthread_condattr_t *a) {
  a->__attr = 0;
  return 0;
}
int pthread_condattr_destroy(pthread_condattr_t *a) { return 0; }
int pthread_condattr_getclock(const pthread_condattr_t *restrict a, clockid_t *restrict clock) {
  *clock = (a->__attr & 1) ? CLOCK_MONOTONIC : CLOCK_REALTIME;
  return 0;
}
int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock) {
  if (clock == CLOCK_MONOTONIC) a->__attr |= 1;
  else if (clock == CLOCK_REALTIME) a->__attr &= ~1u;
  else return EINVAL;
  return 0;
}
int pthread_condattr_getpshared(const pthread_condattr_t *restrict a, int *restrict pshared) {
  *pshared = PTHREAD_PROCESS_PRIVATE;
  return 0;
}
int pthread_condattr_setpshared(pthread_condattr_t *a, int pshared) {
  return pshared == PTHREAD_PROCESS_PRIVATE || pshared == PTHREAD_PROCESS_SHARED ? 0 : EINVAL;
}
