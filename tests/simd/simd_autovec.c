// Loops clang vectorizes into wasm SIMD at -O3 -msimd128: integer and float
// reductions, element-wise arithmetic, saturating byte work, min/max,
// conversions and a byte search. Prints checksums; the native build of the
// same file must print the same lines (and so must V8). Float sums are
// reassociated by neither compiler (no -ffast-math), so they match exactly.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 4099  // not a multiple of any vector width: the scalar tail runs too

static int32_t a32[N], b32[N], c32[N];
static int16_t a16[N], b16[N];
static uint8_t u8a[N], u8b[N], u8c[N];
static float fa[N], fb[N], fc[N];
static double da[N], db[N];
static int64_t a64[N];

static uint32_t rng = 12345;
static uint32_t next(void) {
  rng = rng * 1664525u + 1013904223u;
  return rng >> 8;
}

__attribute__((noinline)) static void add_mul(void) {
  for (int i = 0; i < N; ++i) c32[i] = a32[i] * 3 + b32[i] - (a32[i] >> 2);
}
__attribute__((noinline)) static int64_t dot16(void) {
  int64_t sum = 0;
  for (int i = 0; i < N; ++i) sum += (int32_t)a16[i] * b16[i];
  return sum;
}
__attribute__((noinline)) static void blend_bytes(void) {
  for (int i = 0; i < N; ++i) {
    unsigned s = (unsigned)u8a[i] + u8b[i];
    u8c[i] = s > 255 ? 255 : (uint8_t)s;  // saturating add
  }
}
__attribute__((noinline)) static void avg_bytes(void) {
  for (int i = 0; i < N; ++i) u8c[i] = (uint8_t)((u8a[i] + u8b[i] + 1) >> 1);
}
__attribute__((noinline)) static void saxpy(float k) {
  for (int i = 0; i < N; ++i) fc[i] = k * fa[i] + fb[i];
}
__attribute__((noinline)) static void clamp_floats(void) {
  for (int i = 0; i < N; ++i) {
    float v = fa[i];
    fc[i] = v < -0.5f ? -0.5f : (v > 0.5f ? 0.5f : v);
  }
}
__attribute__((noinline)) static void int_to_float(void) {
  for (int i = 0; i < N; ++i) fc[i] = (float)a32[i] * 0.25f;
}
__attribute__((noinline)) static void float_to_int(void) {
  for (int i = 0; i < N; ++i) c32[i] = (int32_t)(fa[i] * 1000.0f);
}
__attribute__((noinline)) static int32_t max_abs(void) {
  int32_t m = 0;
  for (int i = 0; i < N; ++i) {
    int32_t v = a32[i] < 0 ? -a32[i] : a32[i];
    m = v > m ? v : m;
  }
  return m;
}
__attribute__((noinline)) static void scale_doubles(void) {
  for (int i = 0; i < N; ++i) db[i] = da[i] * 1.5 - db[i];
}
__attribute__((noinline)) static int64_t sum64(void) {
  int64_t s = 0;
  for (int i = 0; i < N; ++i) s += a64[i] ^ (a64[i] << 3);
  return s;
}
__attribute__((noinline)) static int count_byte(uint8_t needle) {
  int count = 0;
  for (int i = 0; i < N; ++i) count += u8a[i] == needle;
  return count;
}
__attribute__((noinline)) static void widen(void) {
  for (int i = 0; i < N; ++i) c32[i] = (int32_t)u8a[i] * (int32_t)a16[i];
}

static uint32_t hash_bytes(const void* p, size_t n) {
  const uint8_t* b = p;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 16777619u;
  return h;
}

int main(void) {
  for (int i = 0; i < N; ++i) {
    a32[i] = (int32_t)next() - (1 << 23);
    b32[i] = (int32_t)next();
    a16[i] = (int16_t)next();
    b16[i] = (int16_t)next();
    u8a[i] = (uint8_t)next();
    u8b[i] = (uint8_t)next();
    fa[i] = (float)((int32_t)next() - (1 << 23)) / 8388608.0f;
    fb[i] = (float)next() / 65536.0f;
    da[i] = (double)next() / 1024.0;
    db[i] = (double)((int32_t)next() - (1 << 23));
    a64[i] = ((int64_t)next() << 24) ^ next();
  }
  add_mul();
  printf("add_mul %08x\n", hash_bytes(c32, sizeof c32));
  printf("dot16 %lld\n", (long long)dot16());
  blend_bytes();
  printf("blend_bytes %08x\n", hash_bytes(u8c, sizeof u8c));
  avg_bytes();
  printf("avg_bytes %08x\n", hash_bytes(u8c, sizeof u8c));
  saxpy(1.75f);
  printf("saxpy %08x\n", hash_bytes(fc, sizeof fc));
  clamp_floats();
  printf("clamp_floats %08x\n", hash_bytes(fc, sizeof fc));
  int_to_float();
  printf("int_to_float %08x\n", hash_bytes(fc, sizeof fc));
  float_to_int();
  printf("float_to_int %08x\n", hash_bytes(c32, sizeof c32));
  printf("max_abs %d\n", max_abs());
  scale_doubles();
  printf("scale_doubles %08x\n", hash_bytes(db, sizeof db));
  printf("sum64 %lld\n", (long long)sum64());
  printf("count_byte %d\n", count_byte(0x5a));
  widen();
  printf("widen %08x\n", hash_bytes(c32, sizeof c32));
  return 0;
}
