/* editdist: Levenshtein edit distance by dynamic programming (two rows)
 * between pairs of pseudo-random strings of length L over a 4-letter
 * alphabet, the second string a mutated copy of the first.
 * argv[1] = L (default 8000); 4 pairs. Checksum: the distances. */
#include "bench.h"

static int edit_distance(const char *a, int la, const char *b, int lb, int *prev, int *cur) {
  for (int j = 0; j <= lb; j++) prev[j] = j;
  for (int i = 1; i <= la; i++) {
    cur[0] = i;
    char ca = a[i - 1];
    for (int j = 1; j <= lb; j++) {
      int sub = prev[j - 1] + (ca != b[j - 1]);
      int del = prev[j] + 1;
      int ins = cur[j - 1] + 1;
      int m = sub < del ? sub : del;
      cur[j] = m < ins ? m : ins;
    }
    int *t = prev; prev = cur; cur = t;
  }
  return prev[lb];
}

int main(int argc, char **argv) {
  int len = (int)bench_size(argc, argv, 8000);
  char *a = malloc(len), *b = malloc(len + len / 8 + 1);
  int *prev = malloc(sizeof(int) * (len + len / 8 + 2));
  int *cur = malloc(sizeof(int) * (len + len / 8 + 2));
  uint64_t seed = 17, h = BENCH_CHECKSUM_INIT;
  double total = 0;
  for (int pair = 0; pair < 4; pair++) {
    for (int i = 0; i < len; i++) a[i] = "ACGT"[bench_rand(&seed) & 3];
    int lb = 0;
    for (int i = 0; i < len; i++) {      /* mutate: substitute, drop, insert */
      uint64_t r = bench_rand(&seed) % 100;
      if (r < 5) b[lb++] = "ACGT"[bench_rand(&seed) & 3];
      else if (r < 8) continue;
      else if (r < 11) { b[lb++] = a[i]; b[lb++] = "ACGT"[bench_rand(&seed) & 3]; }
      else b[lb++] = a[i];
      if (lb >= len + len / 8 - 1) break;
    }
    double t0 = bench_now();
    int d = edit_distance(a, len, b, lb, prev, cur);
    total += bench_now() - t0;
    h = bench_mix(h, (uint64_t)d << 32 | (uint32_t)lb);
  }
  bench_report("editdist", total, h);
  free(a); free(b); free(prev); free(cur);
  return 0;
}
