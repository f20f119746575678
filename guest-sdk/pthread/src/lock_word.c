/* The word lock and the clock arithmetic every primitive shares. */
#include <errno.h>

#include "internal.h"

int64_t __wasmaot_ns_until(clockid_t clock, const struct timespec *abstime) {
  struct timespec now;
  clock_gettime(clock, &now);
  int64_t ns = (int64_t)(abstime->tv_sec - now.tv_sec) * 1000000000 + (abstime->tv_nsec - now.tv_nsec);
  return ns;
}

int __wasmaot_lock_word(_Atomic int *word, clockid_t clock, const struct timespec *abstime) {
  int expected = 0;
  if (atomic_compare_exchange_strong(word, &expected, 1)) return 0;
  /* A short spin: most critical sections are shorter than a futex round trip. */
  for (int i = 0; i < 100; ++i) {
    expected = 0;
    if (atomic_load_explicit(word, memory_order_relaxed) == 0 && atomic_compare_exchange_strong(word, &expected, 1))
      return 0;
  }
  /* From here on the word says "held with waiters" while anyone waits. */
  while (atomic_exchange(word, 2) != 0) {
    int64_t timeout = -1;
    if (abstime) {
      timeout = __wasmaot_ns_until(clock, abstime);
      if (timeout <= 0) return ETIMEDOUT;
    }
    __wasmaot_wait(word, 2, timeout);
  }
  return 0;
}
