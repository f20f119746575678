/* Guest: floating point through printf and libm. Exact IEEE operations
 * (+ - * / sqrt, conversions) are printed with all digits; transcendental
 * functions with 10 significant digits, so that a last-ulp difference
 * between the native libm and wasi-libc's does not show. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static double values[] = {0.0, -0.0, 1.0, -1.0, 0.5, 3.141592653589793, 2.718281828459045, 1e-300, 1e300,
                          123456.789, -98765.4321, 1.0 / 3.0, 0.1, 7.25, 1e-5, 42.0, -2.5, 1e10, 6.02214076e23,
                          DBL_MIN, DBL_MAX, DBL_EPSILON};

int main(void) {
  int n = (int)(sizeof values / sizeof values[0]);
  printf("exact arithmetic\n");
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j += 3) {
      double a = values[i], b = values[j];
      printf("%d,%d: %.17g %.17g %.17g %.17g\n", i, j, a + b, a - b, a * b, b != 0 ? a / b : 0.0);
    }
  }
  printf("sqrt and conversions\n");
  for (int i = 0; i < n; i++) {
    double a = fabs(values[i]);
    float f = (float)values[i];
    printf("%.17g %.9g %e %g %lld %d\n", sqrt(a), (double)sqrtf(fabsf(f)), values[i], (double)f,
           (long long)(a < 9e18 ? (long long)a : -1), (int)(a < 2e9 ? (int)a : -1));
  }
  printf("formatting\n");
  for (int i = 0; i < n; i++) printf("[%10.3f] [%-12.4e] [%+.0f] [%G]\n", values[i], values[i], values[i], values[i]);
  printf("libm\n");
  for (int k = -20; k <= 20; k++) {
    double x = k * 0.37 + 0.01;
    printf("x=%.2f sin=%.10g cos=%.10g tan=%.10g exp=%.10g atan=%.10g sinh=%.10g cbrt=%.10g\n", x, sin(x),
           cos(x), tan(x), exp(x), atan(x), sinh(x), cbrt(x));
    if (x > 0)
      printf("  log=%.10g log10=%.10g log2=%.10g pow=%.10g\n", log(x), log10(x), log2(x), pow(x, 1.7));
  }
  printf("rounding\n");
  for (int k = -10; k <= 10; k++) {
    double x = k * 0.75;
    printf("%.2f: floor=%g ceil=%g round=%g trunc=%g rint=%g fmod=%.17g\n", x, floor(x), ceil(x), round(x),
           trunc(x), rint(x), fmod(x, 1.3));
  }
  double sum = 0;
  for (int k = 1; k <= 100000; k++) sum += 1.0 / ((double)k * k);
  printf("basel partial sum %.17g\n", sum);
  float fsum = 0;
  for (int k = 1; k <= 10000; k++) fsum += 1.0f / (float)k;
  printf("harmonic float %.9g\n", (double)fsum);
  printf("nan %d inf %d\n", isnan(sqrt(-1.0)) != 0, isinf(1.0 / values[0]) != 0);
  return 0;
}
