/* lu: in-place LU decomposition (Doolittle, no pivoting) of a diagonally
 * dominant N x N double matrix, then a forward/back substitution solve.
 * argv[1] = N (default 1200). Checksum: bits of the factors and the solution. */
#include "bench.h"

static void lu_factor(int n, double *restrict m) {
  for (int k = 0; k < n; k++) {
    double pivot = m[(size_t)k * n + k];
    for (int i = k + 1; i < n; i++) {
      double *ri = m + (size_t)i * n;
      const double *rk = m + (size_t)k * n;
      double f = ri[k] / pivot;
      ri[k] = f;
      for (int j = k + 1; j < n; j++) ri[j] -= f * rk[j];
    }
  }
}

static void lu_solve(int n, const double *m, const double *b, double *x) {
  for (int i = 0; i < n; i++) {          /* L y = b (unit diagonal) */
    double s = b[i];
    for (int j = 0; j < i; j++) s -= m[(size_t)i * n + j] * x[j];
    x[i] = s;
  }
  for (int i = n - 1; i >= 0; i--) {     /* U x = y */
    double s = x[i];
    for (int j = i + 1; j < n; j++) s -= m[(size_t)i * n + j] * x[j];
    x[i] = s / m[(size_t)i * n + i];
  }
}

int main(int argc, char **argv) {
  int n = (int)bench_size(argc, argv, 1200);
  double *m = malloc(sizeof(double) * n * n);
  double *b = malloc(sizeof(double) * n);
  double *x = malloc(sizeof(double) * n);
  uint64_t seed = 7;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) m[(size_t)i * n + j] = bench_rand_unit(&seed) - 0.5;
    m[(size_t)i * n + i] += n;           /* diagonally dominant: no pivoting needed */
    b[i] = bench_rand_unit(&seed);
  }
  double t0 = bench_now();
  lu_factor(n, m);
  lu_solve(n, m, b, x);
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT;
  for (long i = 0; i < (long)n * n; i += 7) h = bench_mix_double(h, m[i]);
  for (int i = 0; i < n; i++) h = bench_mix_double(h, x[i]);
  bench_report("lu", t, h);
  free(m); free(b); free(x);
  return 0;
}
