/* gemm: dense double-precision matrix multiply C = alpha*A*B + beta*C,
 * N x N, i-k-j loop order (the inner loop streams rows, vectorizable).
 * argv[1] = N (default 1024). Checksum: bits of every element of C. */
#include "bench.h"

static void gemm(int n, double alpha, double beta, const double *restrict a,
                 const double *restrict b, double *restrict c) {
  for (int i = 0; i < n; i++) {
    double *ci = c + (size_t)i * n;
    for (int j = 0; j < n; j++) ci[j] *= beta;
    for (int k = 0; k < n; k++) {
      double aik = alpha * a[(size_t)i * n + k];
      const double *bk = b + (size_t)k * n;
      for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
    }
  }
}

int main(int argc, char **argv) {
  int n = (int)bench_size(argc, argv, 1024);
  double *a = malloc(sizeof(double) * n * n);
  double *b = malloc(sizeof(double) * n * n);
  double *c = malloc(sizeof(double) * n * n);
  uint64_t seed = 42;
  for (long i = 0; i < (long)n * n; i++) {
    a[i] = bench_rand_unit(&seed) - 0.5;
    b[i] = bench_rand_unit(&seed) - 0.5;
    c[i] = bench_rand_unit(&seed);
  }
  double t0 = bench_now();
  gemm(n, 1.5, 0.75, a, b, c);
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT;
  for (long i = 0; i < (long)n * n; i++) h = bench_mix_double(h, c[i]);
  bench_report("gemm", t, h);
  free(a); free(b); free(c);
  return 0;
}
