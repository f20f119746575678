/* Guest: dense linear algebra — matrix multiply, LU decomposition with
 * partial pivoting, a solve and a determinant. Floating point results are
 * bit-identical to the native build when no operation is contracted. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 96 };

static double a[N][N], b[N][N], c[N][N], lu[N][N];

int main(void) {
  unsigned seed = 1;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      seed = seed * 1103515245u + 12345u;
      a[i][j] = (double)((seed >> 16) % 1000) / 100.0 - 5.0;
      b[i][j] = (double)((i * 7 + j * 3) % 17) / 4.0;
    }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
  double trace = 0, total = 0;
  for (int i = 0; i < N; i++) {
    trace += c[i][i];
    for (int j = 0; j < N; j++) total += c[i][j];
  }
  printf("matmul trace=%.17g total=%.17g c[3][5]=%.17g\n", trace, total, c[3][5]);

  int perm[N];
  for (int i = 0; i < N; i++) {
    perm[i] = i;
    for (int j = 0; j < N; j++) lu[i][j] = a[i][j];
  }
  double det = 1;
  for (int k = 0; k < N; k++) {
    int pivot = k;
    for (int i = k + 1; i < N; i++)
      if (fabs(lu[i][k]) > fabs(lu[pivot][k])) pivot = i;
    if (pivot != k) {
      for (int j = 0; j < N; j++) {
        double t = lu[k][j];
        lu[k][j] = lu[pivot][j];
        lu[pivot][j] = t;
      }
      int t = perm[k];
      perm[k] = perm[pivot];
      perm[pivot] = t;
      det = -det;
    }
    det *= lu[k][k];
    for (int i = k + 1; i < N; i++) {
      lu[i][k] /= lu[k][k];
      for (int j = k + 1; j < N; j++) lu[i][j] -= lu[i][k] * lu[k][j];
    }
  }
  printf("lu det=%.17g\n", det);

  double rhs[N], x[N], y[N];
  for (int i = 0; i < N; i++) rhs[i] = (double)(i % 5) - 2.0;
  for (int i = 0; i < N; i++) {
    double s = rhs[perm[i]];
    for (int j = 0; j < i; j++) s -= lu[i][j] * y[j];
    y[i] = s;
  }
  for (int i = N - 1; i >= 0; i--) {
    double s = y[i];
    for (int j = i + 1; j < N; j++) s -= lu[i][j] * x[j];
    x[i] = s / lu[i][i];
  }
  double residual = 0;
  for (int i = 0; i < N; i++) {
    double s = 0;
    for (int j = 0; j < N; j++) s += a[i][j] * x[j];
    residual += fabs(s - rhs[i]);
  }
  printf("solve x[0]=%.17g x[%d]=%.17g residual<1e-9: %d\n", x[0], N - 1, x[N - 1], residual < 1e-9);

  float fa[64][64], fc[64][64];
  for (int i = 0; i < 64; i++)
    for (int j = 0; j < 64; j++) fa[i][j] = (float)((i * 31 + j * 17) % 23) * 0.125f - 1.0f;
  for (int i = 0; i < 64; i++)
    for (int j = 0; j < 64; j++) {
      float s = 0;
      for (int k = 0; k < 64; k++) s += fa[i][k] * fa[j][k];
      fc[i][j] = s;
    }
  float fsum = 0;
  for (int i = 0; i < 64; i++) fsum += fc[i][(i * 5) % 64];
  printf("float gram sum=%.9g\n", (double)fsum);
  return 0;
}
