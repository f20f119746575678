/* fft: iterative in-place complex radix-2 FFT (decimation in time, bit
 * reversal, precomputed twiddles) of 2^16 points; each pass runs a forward
 * transform then the inverse and scales by 1/N. Twiddles come from a
 * half-angle recurrence using only sqrt, so no libm sin/cos differences.
 * argv[1] = number of forward+inverse passes (default 100).
 * Checksum: bits of the final data. */
#include <math.h>
#include "bench.h"

#define LOGN 16
#define N (1 << LOGN)

static double wr[N / 2], wi[N / 2];

static void make_twiddles(void) {
  /* angle pi: cos = -1, sin = 0; halve down to 2*pi/N. */
  double c = -1.0, s = 0.0;
  for (int k = 1; k < LOGN; k++) {
    double c2 = sqrt((1.0 + c) * 0.5);
    double s2 = (k == 1) ? sqrt((1.0 - c) * 0.5) : s / (2.0 * c2);
    c = c2; s = s2;
  }
  /* w[k] = exp(-2*pi*i*k/N), built by complex multiplication. */
  double r = 1.0, i = 0.0;
  for (int k = 0; k < N / 2; k++) {
    wr[k] = r; wi[k] = i;
    double nr = r * c + i * s;           /* multiply by exp(-i*theta) */
    double ni = i * c - r * s;
    r = nr; i = ni;
  }
}

static void fft(double *restrict re, double *restrict im, int inverse) {
  for (unsigned i = 1, j = 0; i < N; i++) {      /* bit reversal */
    unsigned bit = N >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  double sign = inverse ? -1.0 : 1.0;
  for (int len = 2; len <= N; len <<= 1) {
    int half = len >> 1, stride = N / len;
    for (int base = 0; base < N; base += len) {
      for (int k = 0; k < half; k++) {
        double tr = wr[k * stride], ti = sign * wi[k * stride];
        int a = base + k, b = a + half;
        double xr = re[b] * tr - im[b] * ti;
        double xi = re[b] * ti + im[b] * tr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
  if (inverse) {
    double scale = 1.0 / N;
    for (int i = 0; i < N; i++) { re[i] *= scale; im[i] *= scale; }
  }
}

int main(int argc, char **argv) {
  int passes = (int)bench_size(argc, argv, 100);
  double *re = malloc(sizeof(double) * N), *im = malloc(sizeof(double) * N);
  uint64_t seed = 5;
  for (int i = 0; i < N; i++) {
    re[i] = bench_rand_unit(&seed) - 0.5;
    im[i] = bench_rand_unit(&seed) - 0.5;
  }
  uint64_t h = BENCH_CHECKSUM_INIT;
  double t0 = bench_now();
  make_twiddles();
  for (int p = 0; p < passes; p++) {
    fft(re, im, 0);
    h = bench_mix_double(h, re[p & (N - 1)]);   /* observe the spectrum */
    fft(re, im, 1);
  }
  double t = bench_now() - t0;
  for (int i = 0; i < N; i++) {
    h = bench_mix_double(h, re[i]);
    h = bench_mix_double(h, im[i]);
  }
  bench_report("fft", t, h);
  free(re); free(im);
  return 0;
}
