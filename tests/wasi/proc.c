// The process face: arguments, environment, monotonic and realtime clocks,
// clock resolution, nanosleep (poll_oneoff on a clock), getentropy, sched_yield
// and the exit status (argv[1]). Output is compared with proc.expected.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

static int64_t ns(clockid_t c) {
  struct timespec ts;
  if (clock_gettime(c, &ts) != 0) return -1;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  const char* names[] = {"GREETING", "EMPTY", "FROM_POLICY", "HOME_SHOULD_BE_UNSET"};
  for (int i = 0; i < 4; ++i) {
    const char* v = getenv(names[i]);
    printf("%s=%s\n", names[i], v ? (*v ? v : "(empty)") : "(unset)");
  }

  int64_t real = ns(CLOCK_REALTIME);
  printf("realtime after 2020: %s\n", real > 1577836800LL * 1000000000 ? "yes" : "no");
  struct timespec res;
  printf("monotonic resolution ok: %s\n",
         clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 ? "yes" : "no");
  int64_t t0 = ns(CLOCK_MONOTONIC);
  struct timespec req = {0, 50 * 1000 * 1000};
  int rc = nanosleep(&req, NULL);
  int64_t t1 = ns(CLOCK_MONOTONIC);
  printf("nanosleep 50ms: rc=%d slept>=50ms: %s under 2s: %s\n", rc, t1 - t0 >= 50000000 ? "yes" : "no",
         t1 - t0 < 2000000000 ? "yes" : "no");
  // Many short sleeps are never early.
  int early = 0;
  for (int i = 0; i < 20; ++i) {
    int64_t a = ns(CLOCK_MONOTONIC);
    usleep(300);
    if (ns(CLOCK_MONOTONIC) - a < 300000) ++early;
  }
  printf("usleep(300) early: %d\n", early);
  printf("monotonic never goes back: %s\n", ns(CLOCK_MONOTONIC) >= t1 ? "yes" : "no");
  int64_t c0 = ns(CLOCK_PROCESS_CPUTIME_ID);
  printf("process cputime readable: %s\n", c0 >= 0 ? "yes" : "no");

  unsigned char a[32], b[32];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  printf("getentropy: %d %d\n", getentropy(a, sizeof a), getentropy(b, sizeof b));
  printf("random differs: %s\n", memcmp(a, b, sizeof a) != 0 ? "yes" : "no");
  printf("sched_yield: %d\n", sched_yield());
  fflush(stdout);
  fprintf(stderr, "to stderr\n");
  return argc > 1 ? atoi(argv[1]) : 0;
}
