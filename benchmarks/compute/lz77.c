/* lz77: a compression workload, larger than the kernels: an LZ77 compressor
 * with hash chains (as zlib's and LZ4's match finders work: a 64 KiB window,
 * lazy evaluation of the next position, a chain depth limit) over a
 * generated English-like text, then the decompressor, checked against the
 * input. The text is words drawn with a skewed (Zipf-like) distribution
 * from a fixed vocabulary, with punctuation and line breaks, so matches are
 * plentiful but irregular.
 * argv[1] = text size in KiB (default 6144). Checksum: the compressed bytes,
 * their count, and the round trip's result. */
#include "bench.h"

enum { WINDOW = 1 << 16, HASH_BITS = 15, MIN_MATCH = 4, MAX_MATCH = 258, MAX_CHAIN = 48 };

static const char *const kWords[] = {
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had",
    "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if",
    "more", "when", "will", "would", "who", "so", "no", "compiler", "memory", "socket", "module",
    "function", "instruction", "runtime", "benchmark", "native", "register", "pointer", "address",
    "translation", "optimisation", "interpreter", "compression", "dictionary", "window", "sequence"};

static size_t generate_text(uint8_t *out, size_t size) {
  uint64_t rng = 42;
  size_t n = 0;
  const size_t words = sizeof kWords / sizeof kWords[0];
  while (n < size) {
    /* Zipf-like: the minimum of two uniform draws favours small indices. */
    size_t a = bench_rand(&rng) % words, b = bench_rand(&rng) % words;
    const char *w = kWords[a < b ? a : b];
    for (size_t i = 0; w[i] && n < size; ++i) out[n++] = (uint8_t)w[i];
    if (n < size) {
      uint64_t r = bench_rand(&rng) % 16;
      out[n++] = r == 0 ? '\n' : r == 1 ? ',' : r == 2 ? '.' : ' ';
    }
  }
  return n;
}

static inline uint32_t hash4(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* The longest match for position `pos` along its hash chain. */
static size_t longest_match(const uint8_t *in, size_t pos, size_t end, const int32_t *head, const int32_t *prev,
                            size_t *distance) {
  size_t best = 0;
  size_t limit = end - pos < MAX_MATCH ? end - pos : MAX_MATCH;
  int32_t cand = head[hash4(in + pos)];
  for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; ++chain) {
    size_t c = (size_t)cand;
    if (pos - c > WINDOW) break;
    if (in[c + best] == in[pos + best]) {
      size_t len = 0;
      while (len < limit && in[c + len] == in[pos + len]) ++len;
      if (len > best) {
        best = len;
        *distance = pos - c;
        if (len == limit) break;
      }
    }
    cand = prev[c & (WINDOW - 1)];
  }
  return best;
}

static void insert(const uint8_t *in, size_t pos, int32_t *head, int32_t *prev) {
  uint32_t h = hash4(in + pos);
  prev[pos & (WINDOW - 1)] = head[h];
  head[h] = (int32_t)pos;
}

/* Literal runs of in[from, to) at out + o (at most 255 bytes each); the new o. */
static size_t put_literals(const uint8_t *in, size_t from, size_t to, uint8_t *out, size_t o) {
  while (from < to) {
    size_t run = to - from > 255 ? 255 : to - from;
    out[o++] = 0;
    out[o++] = (uint8_t)run;
    memcpy(out + o, in + from, run);
    o += run;
    from += run;
  }
  return o;
}

/* Output: a literal run is 0x00, a length byte and the bytes; a match is
 * 0x01, a length byte (len - MIN_MATCH) and a 2-byte distance. */
static size_t compress(const uint8_t *in, size_t size, uint8_t *out, int32_t *head, int32_t *prev) {
  for (size_t i = 0; i < (1u << HASH_BITS); ++i) head[i] = -1;
  size_t o = 0, pos = 0, lit_start = 0;
  while (pos + MIN_MATCH <= size) {
    size_t dist = 0, dist_next = 0;
    size_t len = longest_match(in, pos, size, head, prev, &dist);
    insert(in, pos, head, prev);
    if (len >= MIN_MATCH && pos + 1 + MIN_MATCH <= size) {
      /* Lazy evaluation: a longer match one byte later wins. */
      size_t next = longest_match(in, pos + 1, size, head, prev, &dist_next);
      if (next > len) {
        ++pos;
        continue;
      }
    }
    if (len < MIN_MATCH) {
      ++pos;
      continue;
    }
    o = put_literals(in, lit_start, pos, out, o);
    out[o++] = 1;
    out[o++] = (uint8_t)(len - MIN_MATCH);
    out[o++] = (uint8_t)(dist & 0xFF);
    out[o++] = (uint8_t)(dist >> 8);
    for (size_t k = 1; k < len && pos + k + MIN_MATCH <= size; ++k) insert(in, pos + k, head, prev);
    pos += len;
    lit_start = pos;
  }
  return put_literals(in, lit_start, size, out, o);
}

static size_t decompress(const uint8_t *in, size_t size, uint8_t *out) {
  size_t i = 0, o = 0;
  while (i < size) {
    if (in[i] == 0) {
      size_t run = in[i + 1];
      memcpy(out + o, in + i + 2, run);
      o += run;
      i += 2 + run;
    } else {
      size_t len = (size_t)in[i + 1] + MIN_MATCH;
      size_t dist = (size_t)in[i + 2] | ((size_t)in[i + 3] << 8);
      if (dist == 0) dist = WINDOW;  /* a 65536-byte distance wraps to 0 in two bytes */
      for (size_t k = 0; k < len; ++k, ++o) out[o] = out[o - dist];  /* may overlap */
      i += 4;
    }
  }
  return o;
}

int main(int argc, char **argv) {
  size_t size = (size_t)bench_size(argc, argv, 6144) * 1024;
  uint8_t *text = malloc(size), *packed = malloc(size + size / 128 + 16), *back = malloc(size);
  int32_t *head = malloc(sizeof(int32_t) << HASH_BITS), *prev = malloc(sizeof(int32_t) * WINDOW);
  generate_text(text, size);
  double t0 = bench_now();
  size_t packed_size = compress(text, size, packed, head, prev);
  size_t back_size = decompress(packed, packed_size, back);
  double seconds = bench_now() - t0;
  uint64_t h = bench_mix(0, packed_size);
  for (size_t i = 0; i < packed_size; ++i) h = bench_mix(h, packed[i]);
  h = bench_mix(h, back_size == size && memcmp(back, text, size) == 0);
  bench_report("lz77", seconds, h);
  return 0;
}
