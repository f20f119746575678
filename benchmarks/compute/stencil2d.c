/* stencil2d: Jacobi iteration of the 2-D heat equation on an N x N grid
 * with fixed boundary, ping-ponging between two buffers for T = N/2 steps.
 * argv[1] = N (default 1024). Checksum: bits of the final grid. */
#include "bench.h"

static void step(int n, const double *restrict in, double *restrict out) {
  for (int i = 1; i < n - 1; i++) {
    const double *up = in + (size_t)(i - 1) * n;
    const double *mid = in + (size_t)i * n;
    const double *dn = in + (size_t)(i + 1) * n;
    double *o = out + (size_t)i * n;
    for (int j = 1; j < n - 1; j++)
      o[j] = 0.2 * (mid[j] + mid[j - 1] + mid[j + 1] + up[j] + dn[j]);
  }
}

int main(int argc, char **argv) {
  int n = (int)bench_size(argc, argv, 1024);
  int steps = n / 2 < 2 ? 2 : n / 2;
  double *a = malloc(sizeof(double) * n * n);
  double *b = malloc(sizeof(double) * n * n);
  uint64_t seed = 3;
  for (long i = 0; i < (long)n * n; i++) a[i] = b[i] = bench_rand_unit(&seed);
  for (int i = 0; i < n; i++) {           /* hot top edge, cold bottom edge */
    a[i] = b[i] = 100.0;
    a[(size_t)(n - 1) * n + i] = b[(size_t)(n - 1) * n + i] = 0.0;
  }
  double t0 = bench_now();
  for (int s = 0; s < steps; s += 2) {
    step(n, a, b);
    step(n, b, a);
  }
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT;
  for (long i = 0; i < (long)n * n; i++) h = bench_mix_double(h, a[i]);
  bench_report("stencil2d", t, h);
  free(a); free(b);
  return 0;
}
