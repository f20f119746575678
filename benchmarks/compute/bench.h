/* Shared helpers for the compute kernels (benchmarks/compute/<kernel>.c).
 *
 * Every kernel is a standalone C program built twice — natively with
 * `clang-19 -O2` and as wasm32-wasi with `clang-19 --target=wasm32-wasi -O2` —
 * and must print exactly one line
 *     kernel=<name> seconds=<t> checksum=<hex>
 * where <t> covers only the compute section (CLOCK_MONOTONIC, which WASI
 * provides) and <hex> must be identical for both builds. argv[1], when given,
 * is the problem size N (kernel-specific meaning, see each file's header); the
 * default size takes roughly 0.3-1 s natively. No libm calls other than sqrt
 * (correctly rounded everywhere), so floating-point results are bit-identical.
 */
#ifndef WASMAOT_BENCH_H
#define WASMAOT_BENCH_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline long bench_size(int argc, char **argv, long def) {
  if (argc > 1) {
    long n = strtol(argv[1], NULL, 10);
    if (n > 0) return n;
  }
  return def;
}

static inline void bench_report(const char *name, double seconds, uint64_t checksum) {
  printf("kernel=%s seconds=%.6f checksum=%016llx\n", name, seconds,
         (unsigned long long)checksum);
}

/* Deterministic PRNG (splitmix64). */
static inline uint64_t bench_rand(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* Uniform double in [0, 1) from the PRNG. */
static inline double bench_rand_unit(uint64_t *state) {
  return (double)(bench_rand(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* FNV-1a style 64-bit mixing of words into a running checksum. */
static inline uint64_t bench_mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x100000001B3ULL;
  h ^= h >> 29;
  return h;
}

static inline uint64_t bench_mix_double(uint64_t h, double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bench_mix(h, bits);
}

#define BENCH_CHECKSUM_INIT 0xCBF29CE484222325ULL
#endif
