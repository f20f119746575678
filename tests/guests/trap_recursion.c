/* Trap guest: unbounded recursion that keeps its state in wasm locals (no
 * shadow-stack frames), so it exhausts the native call stack. Expected:
 * exit 70, "call stack exhausted" on stderr, no host crash. */
#include <stdio.h>

static volatile int depth_limit = -1;

__attribute__((noinline)) static int recurse(int n) {
  if (n == depth_limit) return 0;
  int r = recurse(n + 1);
  return r * 31 + n; /* not a tail call */
}

int main(void) {
  printf("recursing\n");
  fflush(stdout);
  printf("%d\n", recurse(0));
  return 0;
}
