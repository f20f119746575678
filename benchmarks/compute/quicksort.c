/* quicksort: our own quicksort (median-of-three pivot, Hoare partition,
 * recursion on the smaller side, insertion sort below 16 elements) of N
 * pseudo-random 32-bit integers. argv[1] = N (default 4000000).
 * Checksum: order check plus a hash of every 97th element. */
#include "bench.h"

static void insertion_sort(uint32_t *a, long n) {
  for (long i = 1; i < n; i++) {
    uint32_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

static void swap(uint32_t *a, uint32_t *b) { uint32_t t = *a; *a = *b; *b = t; }

static void qsort_u32(uint32_t *a, long n) {
  while (n > 16) {
    long mid = n / 2;
    if (a[mid] < a[0]) swap(&a[mid], &a[0]);
    if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
    uint32_t pivot = a[mid];
    long i = -1, j = n;
    for (;;) {
      do i++; while (a[i] < pivot);
      do j--; while (a[j] > pivot);
      if (i >= j) break;
      swap(&a[i], &a[j]);
    }
    long left = j + 1;                   /* [0, j] and [j+1, n) */
    if (left < n - left) { qsort_u32(a, left); a += left; n -= left; }
    else { qsort_u32(a + left, n - left); n = left; }
  }
  insertion_sort(a, n);
}

int main(int argc, char **argv) {
  long n = bench_size(argc, argv, 4000000);
  uint32_t *a = malloc(sizeof(uint32_t) * n);
  uint64_t seed = 13;
  for (long i = 0; i < n; i++) a[i] = (uint32_t)bench_rand(&seed);
  for (long i = 0; i < n; i += 5) a[i] &= 0xFFFF;    /* some duplicates */
  double t0 = bench_now();
  qsort_u32(a, n);
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT, bad = 0;
  for (long i = 1; i < n; i++) bad += a[i - 1] > a[i];
  for (long i = 0; i < n; i += 97) h = bench_mix(h, a[i]);
  h = bench_mix(h, bad);
  bench_report("quicksort", t, h);
  free(a);
  return 0;
}
