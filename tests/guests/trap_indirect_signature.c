/* Trap guest: calls a function through a pointer of the wrong type, which
 * compiles to call_indirect with a mismatching signature. Expected: exit 70,
 * "indirect call type mismatch" on stderr. */
#include <stdio.h>

typedef int (*binary_fn)(int, int);

static int increment(int x) { return x + 1; }

static void *volatile stored = (void *)increment;

int main(void) {
  printf("calling through a mistyped pointer\n");
  fflush(stdout);
  binary_fn f = (binary_fn)stored;
  printf("%d\n", f(1, 2));
  return 0;
}
