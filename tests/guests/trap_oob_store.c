/* Trap guest: a store far past the end of linear memory. Expected: exit 70,
 * "out of bounds memory access" on stderr. */
#include <stdint.h>
#include <stdio.h>

static volatile uintptr_t target = 0xfffffff0u;

int main(void) {
  printf("storing out of bounds\n");
  fflush(stdout);
  *(volatile int *)target = 42;
  printf("not reached\n");
  return 0;
}
