/* hashmap: open-addressing hash map (uint64 -> uint64, linear probing,
 * backward-shift deletion, power-of-two capacity kept under 50 % full)
 * driven by a deterministic mix of 50 % lookups, 30 % inserts/updates and
 * 20 % deletes over a key space of N/2 keys.
 * argv[1] = number of operations N (default 8000000).
 * Checksum: sum of looked-up values, final size, a table probe. */
#include "bench.h"

typedef struct {
  uint64_t *keys, *vals;     /* key 0 marks an empty slot; keys are never 0 */
  uint64_t mask, size;
} map;

static uint64_t hash(uint64_t k) {
  k ^= k >> 33; k *= 0xFF51AFD7ED558CCDULL; k ^= k >> 33;
  return k;
}

static void map_init(map *m, uint64_t cap) {
  m->keys = calloc(cap, sizeof(uint64_t));
  m->vals = calloc(cap, sizeof(uint64_t));
  m->mask = cap - 1;
  m->size = 0;
}

static void map_put(map *m, uint64_t k, uint64_t v) {
  uint64_t i = hash(k) & m->mask;
  while (m->keys[i] != 0) {
    if (m->keys[i] == k) { m->vals[i] = v; return; }
    i = (i + 1) & m->mask;
  }
  m->keys[i] = k; m->vals[i] = v; m->size++;
}

static int map_get(const map *m, uint64_t k, uint64_t *v) {
  uint64_t i = hash(k) & m->mask;
  while (m->keys[i] != 0) {
    if (m->keys[i] == k) { *v = m->vals[i]; return 1; }
    i = (i + 1) & m->mask;
  }
  return 0;
}

static void map_del(map *m, uint64_t k) {
  uint64_t i = hash(k) & m->mask;
  while (m->keys[i] != k) {
    if (m->keys[i] == 0) return;
    i = (i + 1) & m->mask;
  }
  /* backward-shift: pull later entries of the cluster into the hole */
  uint64_t j = i;
  for (;;) {
    j = (j + 1) & m->mask;
    if (m->keys[j] == 0) break;
    uint64_t home = hash(m->keys[j]) & m->mask;
    if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
      m->keys[i] = m->keys[j]; m->vals[i] = m->vals[j]; i = j;
    }
  }
  m->keys[i] = 0; m->vals[i] = 0; m->size--;
}

int main(int argc, char **argv) {
  long ops = bench_size(argc, argv, 8000000);
  uint64_t key_space = ops / 2 + 1, cap = 1;
  while (cap < key_space * 2) cap <<= 1;
  map m;
  map_init(&m, cap);
  uint64_t seed = 23, sum = 0, found = 0;
  double t0 = bench_now();
  for (long n = 0; n < ops; n++) {
    uint64_t r = bench_rand(&seed);
    uint64_t k = (r >> 8) % key_space + 1;
    unsigned op = (unsigned)(r & 0xFF) % 10;
    if (op < 5) {
      uint64_t v;
      if (map_get(&m, k, &v)) { sum += v; found++; }
    } else if (op < 8) {
      map_put(&m, k, r ^ (uint64_t)n);
    } else {
      map_del(&m, k);
    }
  }
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT;
  h = bench_mix(h, sum); h = bench_mix(h, found); h = bench_mix(h, m.size);
  for (uint64_t i = 0; i <= m.mask; i += 1 + (m.mask >> 10)) h = bench_mix(h, m.keys[i]);
  bench_report("hashmap", t, h);
  free(m.keys); free(m.vals);
  return 0;
}
