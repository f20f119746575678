/* Example guest: greets whoever is named on the command line and computes a
 * few things, to show a C program running under wasmaot.
 *
 *   clang-19 --target=wasm32-wasi -O2 hello.c -o hello.wasm
 *   wasmaot compile hello.wasm -o hello.so
 *   wasmaot run hello.so Ada Grace
 */
#include <stdint.h>
#include <stdio.h>

static uint64_t fibonacci(unsigned n) {
  uint64_t a = 0, b = 1;
  for (unsigned i = 0; i < n; i++) {
    uint64_t next = a + b;
    a = b;
    b = next;
  }
  return a;
}

static unsigned count_primes_below(unsigned limit) {
  unsigned count = 0;
  for (unsigned n = 2; n < limit; n++) {
    int prime = 1;
    for (unsigned d = 2; d * d <= n; d++) {
      if (n % d == 0) {
        prime = 0;
        break;
      }
    }
    count += prime;
  }
  return count;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("Hello from WebAssembly, compiled ahead of time by wasmaot!\n");
  } else {
    for (int i = 1; i < argc; i++) printf("Hello, %s!\n", argv[i]);
  }
  printf("fibonacci(90) = %llu\n", (unsigned long long)fibonacci(90));
  printf("primes below 100000: %u\n", count_primes_below(100000));
  return 0;
}
