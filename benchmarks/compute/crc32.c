/* crc32: table-driven CRC-32 (IEEE 802.3 polynomial, reflected, one table
 * lookup per byte) over a 4 MiB buffer, repeated; the running CRC is
 * stirred back into the buffer between rounds.
 * argv[1] = MiB to checksum (default 192). Checksum: all round CRCs. */
#include "bench.h"

static uint32_t table[256];

static void make_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

int main(int argc, char **argv) {
  long mib = bench_size(argc, argv, 192);
  size_t len = 4u << 20;
  long rounds = (mib + 3) / 4;
  uint8_t *buf = malloc(len);
  uint64_t seed = 9;
  for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)bench_rand(&seed);
  make_table();
  uint64_t h = BENCH_CHECKSUM_INIT;
  double t0 = bench_now();
  uint32_t crc = 0;
  for (long r = 0; r < rounds; r++) {
    crc = crc32(crc, buf, len);
    buf[(crc >> 3) % len] ^= (uint8_t)crc;
    h = bench_mix(h, crc);
  }
  double t = bench_now() - t0;
  bench_report("crc32", t, h);
  free(buf);
  return 0;
}
