/* mandelbrot: escape-time Mandelbrot set on an N x N grid over
 * [-2.2, 0.8] x [-1.5, 1.5], at most 500 iterations per point.
 * argv[1] = N (default 1000). Checksum: hash of the iteration counts. */
#include "bench.h"

static int escape(double cr, double ci, int max_iter) {
  double zr = 0, zi = 0;
  int it = 0;
  while (it < max_iter) {
    double zr2 = zr * zr, zi2 = zi * zi;
    if (zr2 + zi2 > 4.0) break;
    zi = 2.0 * zr * zi + ci;
    zr = zr2 - zi2 + cr;
    it++;
  }
  return it;
}

int main(int argc, char **argv) {
  int n = (int)bench_size(argc, argv, 1000);
  int *iters = malloc(sizeof(int) * n * n);
  double t0 = bench_now();
  for (int y = 0; y < n; y++) {
    double ci = -1.5 + 3.0 * y / n;
    for (int x = 0; x < n; x++) iters[y * n + x] = escape(-2.2 + 3.0 * x / n, ci, 500);
  }
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT;
  for (long i = 0; i < (long)n * n; i++) h = bench_mix(h, (uint64_t)iters[i]);
  bench_report("mandelbrot", t, h);
  free(iters);
  return 0;
}
