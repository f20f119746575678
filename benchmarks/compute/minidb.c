/* minidb: a database-like workload, larger than the kernels: a table of
 * orders (id, customer, amount, day) indexed by a B+-tree on a random
 * 64-bit key, then a query mix over it: point lookups through the index,
 * range scans along the leaves summing amounts, and a hash join of the
 * orders with a customers table grouped by region (a GROUP BY with SUM and
 * COUNT). Pointer-chasing, branchy code with irregular memory access, as a
 * storage engine's.
 * argv[1] = number of orders N (default 1000000). Checksum: every query's
 * results. */
#include "bench.h"

enum { ORDER = 32 };  /* keys per node */

typedef struct node {
  int leaf;
  int count;
  uint64_t keys[ORDER];
  union {
    struct node *child[ORDER + 1];
    uint32_t row[ORDER];
  } u;
  struct node *next;  /* leaves: the next leaf, for range scans */
} node;

typedef struct {
  uint64_t id;
  uint32_t customer;
  uint32_t amount;
  uint16_t day;
} order;

static node *new_node(int leaf) {
  node *n = calloc(1, sizeof(node));
  n->leaf = leaf;
  return n;
}

static int find_slot(const node *n, uint64_t key) {
  int lo = 0, hi = n->count;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (n->keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Inserts into the subtree `n`; on a split returns the new right sibling and
 * its separator key. */
static node *insert_rec(node *n, uint64_t key, uint32_t row, uint64_t *sep) {
  int i = find_slot(n, key);
  if (n->leaf) {
    memmove(&n->keys[i + 1], &n->keys[i], (size_t)(n->count - i) * sizeof(uint64_t));
    memmove(&n->u.row[i + 1], &n->u.row[i], (size_t)(n->count - i) * sizeof(uint32_t));
    n->keys[i] = key;
    n->u.row[i] = row;
    if (++n->count < ORDER) return NULL;
    node *right = new_node(1);
    int half = ORDER / 2;
    right->count = n->count - half;
    memcpy(right->keys, &n->keys[half], (size_t)right->count * sizeof(uint64_t));
    memcpy(right->u.row, &n->u.row[half], (size_t)right->count * sizeof(uint32_t));
    n->count = half;
    right->next = n->next;
    n->next = right;
    *sep = right->keys[0];
    return right;
  }
  if (i < n->count && n->keys[i] == key) ++i;
  uint64_t child_sep;
  node *split = insert_rec(n->u.child[i], key, row, &child_sep);
  if (!split) return NULL;
  memmove(&n->keys[i + 1], &n->keys[i], (size_t)(n->count - i) * sizeof(uint64_t));
  memmove(&n->u.child[i + 2], &n->u.child[i + 1], (size_t)(n->count - i) * sizeof(node *));
  n->keys[i] = child_sep;
  n->u.child[i + 1] = split;
  if (++n->count < ORDER) return NULL;
  node *right = new_node(0);
  int half = ORDER / 2;
  *sep = n->keys[half];
  right->count = n->count - half - 1;
  memcpy(right->keys, &n->keys[half + 1], (size_t)right->count * sizeof(uint64_t));
  memcpy(right->u.child, &n->u.child[half + 1], (size_t)(right->count + 1) * sizeof(node *));
  n->count = half;
  return right;
}

static node *insert(node *root, uint64_t key, uint32_t row) {
  uint64_t sep;
  node *split = insert_rec(root, key, row, &sep);
  if (!split) return root;
  node *top = new_node(0);
  top->count = 1;
  top->keys[0] = sep;
  top->u.child[0] = root;
  top->u.child[1] = split;
  return top;
}

/* The leaf that holds `key` (or where it would be). */
static const node *leaf_for(const node *n, uint64_t key, int *slot) {
  while (!n->leaf) {
    int i = find_slot(n, key);
    if (i < n->count && n->keys[i] == key) ++i;
    n = n->u.child[i];
  }
  *slot = find_slot(n, key);
  return n;
}

int main(int argc, char **argv) {
  const long n = bench_size(argc, argv, 1000000);
  const uint32_t customers = (uint32_t)(n / 20 + 1), regions = 16;
  order *orders = malloc((size_t)n * sizeof(order));
  uint8_t *region_of = malloc(customers);
  uint64_t rng = 7;
  for (uint32_t c = 0; c < customers; ++c) region_of[c] = (uint8_t)(bench_rand(&rng) % regions);
  for (long i = 0; i < n; ++i) {
    orders[i].id = bench_rand(&rng) | 1;
    orders[i].customer = (uint32_t)(bench_rand(&rng) % customers);
    orders[i].amount = (uint32_t)(bench_rand(&rng) % 10000);
    orders[i].day = (uint16_t)(bench_rand(&rng) % 3650);
  }

  double t0 = bench_now();
  node *root = new_node(1);
  for (long i = 0; i < n; ++i) root = insert(root, orders[i].id, (uint32_t)i);

  uint64_t h = 0;
  /* Point lookups: half of them keys that exist. */
  uint64_t found = 0, amount_sum = 0;
  for (long q = 0; q < n; ++q) {
    uint64_t key = (q & 1) ? orders[bench_rand(&rng) % (uint64_t)n].id : (bench_rand(&rng) | 1);
    int slot;
    const node *leaf = leaf_for(root, key, &slot);
    if (slot < leaf->count && leaf->keys[slot] == key) {
      ++found;
      amount_sum += orders[leaf->u.row[slot]].amount;
    }
  }
  h = bench_mix(bench_mix(h, found), amount_sum);

  /* Range scans: 64 consecutive keys from a random start, orders of the last year. */
  uint64_t scanned = 0, recent = 0;
  for (long q = 0; q < n / 16; ++q) {
    int slot;
    const node *leaf = leaf_for(root, bench_rand(&rng), &slot);
    for (int k = 0; k < 64 && leaf; ++k) {
      if (slot == leaf->count) {
        leaf = leaf->next;
        slot = 0;
        if (!leaf) break;
      }
      const order *o = &orders[leaf->u.row[slot++]];
      ++scanned;
      if (o->day >= 3285) recent += o->amount;
    }
  }
  h = bench_mix(bench_mix(h, scanned), recent);

  /* Hash join with the customers, GROUP BY region: SUM(amount), COUNT(*). */
  uint32_t buckets = 1;
  while (buckets < customers * 2) buckets <<= 1;
  uint32_t *table_key = malloc(buckets * sizeof(uint32_t));
  uint8_t *table_region = malloc(buckets);
  memset(table_key, 0xFF, buckets * sizeof(uint32_t));
  for (uint32_t c = 0; c < customers; ++c) {
    uint32_t b = (c * 2654435761u) & (buckets - 1);
    while (table_key[b] != UINT32_MAX) b = (b + 1) & (buckets - 1);
    table_key[b] = c;
    table_region[b] = region_of[c];
  }
  uint64_t sum[16] = {0}, count[16] = {0};
  for (long i = 0; i < n; ++i) {
    uint32_t c = orders[i].customer;
    uint32_t b = (c * 2654435761u) & (buckets - 1);
    while (table_key[b] != c) b = (b + 1) & (buckets - 1);
    sum[table_region[b]] += orders[i].amount;
    ++count[table_region[b]];
  }
  for (uint32_t r = 0; r < regions; ++r) h = bench_mix(bench_mix(h, sum[r]), count[r]);
  double seconds = bench_now() - t0;
  bench_report("minidb", seconds, h);
  return 0;
}
