/* nbody: all-pairs gravitational N-body simulation (structure of arrays,
 * softened, symplectic Euler), N bodies for 20 steps.
 * argv[1] = N (default 2000). Checksum: bits of final positions/velocities. */
#include <math.h>
#include "bench.h"

typedef struct {
  double *x, *y, *z, *vx, *vy, *vz, *m;
} bodies;

static void advance(int n, bodies *b, double dt) {
  for (int i = 0; i < n; i++) {
    double ax = 0, ay = 0, az = 0;
    double xi = b->x[i], yi = b->y[i], zi = b->z[i];
    for (int j = 0; j < n; j++) {
      double dx = b->x[j] - xi, dy = b->y[j] - yi, dz = b->z[j] - zi;
      double d2 = dx * dx + dy * dy + dz * dz + 1e-3;
      double inv = 1.0 / (d2 * sqrt(d2));
      double s = b->m[j] * inv;
      ax += dx * s; ay += dy * s; az += dz * s;
    }
    b->vx[i] += dt * ax; b->vy[i] += dt * ay; b->vz[i] += dt * az;
  }
  for (int i = 0; i < n; i++) {
    b->x[i] += dt * b->vx[i]; b->y[i] += dt * b->vy[i]; b->z[i] += dt * b->vz[i];
  }
}

int main(int argc, char **argv) {
  int n = (int)bench_size(argc, argv, 2000);
  bodies b;
  double **f[] = {&b.x, &b.y, &b.z, &b.vx, &b.vy, &b.vz, &b.m};
  for (int k = 0; k < 7; k++) *f[k] = malloc(sizeof(double) * n);
  uint64_t seed = 11;
  for (int i = 0; i < n; i++) {
    b.x[i] = bench_rand_unit(&seed) * 10 - 5;
    b.y[i] = bench_rand_unit(&seed) * 10 - 5;
    b.z[i] = bench_rand_unit(&seed) * 10 - 5;
    b.vx[i] = b.vy[i] = b.vz[i] = 0;
    b.m[i] = 0.5 + bench_rand_unit(&seed);
  }
  double t0 = bench_now();
  for (int s = 0; s < 20; s++) advance(n, &b, 0.001);
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT;
  for (int k = 0; k < 6; k++)
    for (int i = 0; i < n; i++) h = bench_mix_double(h, (*f[k])[i]);
  bench_report("nbody", t, h);
  for (int k = 0; k < 7; k++) free(*f[k]);
  return 0;
}
