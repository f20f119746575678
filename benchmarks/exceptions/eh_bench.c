/*
 * What exception handling costs, natively and as wasm (benchmarks/exceptions/run.py).
 *
 *   eh_bench MODE ITERATIONS   prints "MODE <ns per iteration> <checksum>"
 *
 *   longjmp    one setjmp/longjmp round trip: setjmp, then a call three
 *              frames deep that longjmps back (wasm: a throw of __c_longjmp
 *              caught in the setjmp's function)
 *   protected  a call-heavy loop in a function that has called setjmp and
 *              never longjmps (wasm: each call is inside a try)
 *   plain      the same loop in a function without setjmp
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static jmp_buf env;
static volatile int sink;

__attribute__((noinline)) static void level3(int i) {
  if (i >= 0) longjmp(env, (i & 7) + 1);
  sink = i;
}
__attribute__((noinline)) static void level2(int i) { level3(i); sink = i; }
__attribute__((noinline)) static void level1(int i) { level2(i); sink = i; }

static long round_trips(long n) {
  long sum = 0;
  for (volatile long i = 0; i < n; ++i) {
    int value = setjmp(env);
    if (value == 0) level1((int)i);
    sum += value;
  }
  return sum;
}

/* Called through a pointer, so that neither loop's call can be inlined
 * (wasm has no noinline: the AOT compiler could inline a direct call). */
__attribute__((noinline)) static long step(long x) { return x * 3 + 1; }
static long (*volatile step_pointer)(long) = step;

__attribute__((noinline)) static long loop_plain(long n) {
  long acc = 0;
  for (long i = 0; i < n; ++i) acc = step_pointer(acc ^ i) & 0xFFFFFF;
  return acc;
}

__attribute__((noinline)) static long loop_protected(long n) {
  jmp_buf local;
  if (setjmp(local) != 0) return -1;
  long acc = 0;
  for (long i = 0; i < n; ++i) acc = step_pointer(acc ^ i) & 0xFFFFFF;
  return acc;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: eh_bench longjmp|protected|plain ITERATIONS\n");
    return 2;
  }
  const char *mode = argv[1];
  long n = atol(argv[2]);
  double t0 = now_ns();
  long checksum;
  if (strcmp(mode, "longjmp") == 0) {
    checksum = round_trips(n);
  } else if (strcmp(mode, "protected") == 0) {
    checksum = loop_protected(n);
  } else if (strcmp(mode, "plain") == 0) {
    checksum = loop_plain(n);
  } else {
    fprintf(stderr, "eh_bench: unknown mode %s\n", mode);
    return 2;
  }
  double t1 = now_ns();
  printf("%s %.3f %ld\n", mode, (t1 - t0) / (double)n, checksum);
  return 0;
}
