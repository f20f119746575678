// wasm_simd128.h intrinsics, one family per line of output: shuffles and
// swizzles (indices >= 16 included), saturating and averaging arithmetic,
// narrowing and widening, bitmasks, dot and q15mulr products, float min/max
// with NaN and signed zeros, conversions with out-of-range values, lane
// loads and stores. Only V8 can be the reference (no native build of these
// intrinsics): run_simd_guest.py compares wasmaot's output with node's.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasm_simd128.h>

// Every input goes through memory clang cannot see into, so that clang does
// not fold the intrinsics at compile time: each operation runs in wasmaot.
static v128_t opaque(v128_t v) {
  volatile v128_t copy = v;
  return copy;
}

static void show(const char* name, v128_t v) {
  uint8_t b[16];
  wasm_v128_store(b, v);
  printf("%-22s", name);
  for (int i = 15; i >= 0; --i) printf("%02x%s", b[i], i % 4 == 0 && i ? "_" : "");
  printf("\n");
}

// f32 lanes, a NaN printed as "nan": a NaN result's sign and payload are the
// engine's choice (the spec allows any canonical NaN), so only "it is NaN"
// is compared.
static void show_f32(const char* name, v128_t v) {
  float lanes[4];
  wasm_v128_store(lanes, v);
  printf("%-22s", name);
  for (int i = 3; i >= 0; --i) {
    uint32_t bits;
    memcpy(&bits, &lanes[i], 4);
    if (lanes[i] != lanes[i]) printf("nan     %s", i ? "_" : "");
    else printf("%08x%s", bits, i ? "_" : "");
  }
  printf("\n");
}

int main(void) {
  const v128_t bytes = opaque(wasm_i8x16_make(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  const v128_t mixed = opaque(wasm_i8x16_make(-128, 127, -1, 1, 100, -100, 50, -50, 0, 17, 200 - 256, 33, 99, 16, 15, 31));
  const v128_t idx = opaque(wasm_i8x16_make(15, 0, 16, 200 - 256, 3, 31, 7, 8, 127, -128, 1, 2, 14, 13, 255 - 256, 5));
  show("swizzle", wasm_i8x16_swizzle(bytes, idx));
  show("shuffle", wasm_i8x16_shuffle(bytes, mixed, 0, 17, 2, 19, 31, 30, 5, 6, 16, 1, 10, 26, 12, 13, 14, 15));
  show("add_sat_s", wasm_i8x16_add_sat(mixed, mixed));
  show("sub_sat_u", wasm_u8x16_sub_sat(bytes, mixed));
  show("avgr_u", wasm_u8x16_avgr(bytes, mixed));
  show("min_s", wasm_i8x16_min(bytes, mixed));
  show("max_u", wasm_u8x16_max(bytes, mixed));
  show("abs", wasm_i8x16_abs(mixed));
  show("popcnt", wasm_i8x16_popcnt(mixed));
  show("shl_by_9", wasm_i8x16_shl(mixed, 9));
  show("shr_s_by_3", wasm_i8x16_shr(mixed, 3));
  const v128_t w16 = opaque(wasm_i16x8_make(-32768, 32767, -1, 300, -300, 0, 1234, -32768));
  const v128_t w16b = opaque(wasm_i16x8_make(-32768, 2, 32767, -300, 300, 5, -2, 32767));
  show("narrow_s", wasm_i8x16_narrow_i16x8(w16, w16b));
  show("narrow_u", wasm_u8x16_narrow_i16x8(w16, w16b));
  show("q15mulr", wasm_i16x8_q15mulr_sat(w16, w16b));
  show("dot", wasm_i32x4_dot_i16x8(w16, w16b));
  show("extmul_hi_s", wasm_i32x4_extmul_high_i16x8(w16, w16b));
  show("extmul_lo_u", wasm_u32x4_extmul_low_u16x8(w16, w16b));
  show("extadd_u", wasm_u16x8_extadd_pairwise_u8x16(mixed));
  show("extend_hi_s", wasm_i16x8_extend_high_i8x16(mixed));
  show("mul16", wasm_i16x8_mul(w16, w16b));
  show("mul64", wasm_i64x2_mul(opaque(wasm_i64x2_make(-3, 1ll << 40)), opaque(wasm_i64x2_make(7, (1ll << 30) + 5))));
  printf("bitmask8              %04x\n", wasm_i8x16_bitmask(mixed));
  printf("bitmask16             %02x\n", wasm_i16x8_bitmask(w16));
  printf("all_true/any_true     %d %d %d\n", wasm_i8x16_all_true(bytes), wasm_i8x16_all_true(mixed),
         wasm_v128_any_true(opaque(wasm_i64x2_make(0, 0))));
  const float nan = __builtin_nanf("");
  const v128_t fx = opaque(wasm_f32x4_make(-0.0f, 0.0f, nan, 1.5f));
  const v128_t fy = opaque(wasm_f32x4_make(0.0f, -0.0f, 2.0f, -1.5f));
  show_f32("f32_min", wasm_f32x4_min(fx, fy));
  show_f32("f32_max", wasm_f32x4_max(fx, fy));
  show("f32_pmin", wasm_f32x4_pmin(fx, fy));
  show("f32_pmax", wasm_f32x4_pmax(fx, fy));
  const v128_t big = opaque(wasm_f32x4_make(3e9f, -3e9f, nan, -2.75f));
  show("trunc_sat_s", wasm_i32x4_trunc_sat_f32x4(big));
  show("trunc_sat_u", wasm_u32x4_trunc_sat_f32x4(big));
  show("convert_u", wasm_f32x4_convert_u32x4(opaque(wasm_i32x4_make(-1, 0, 16777217, 7))));
  show("nearest", wasm_f32x4_nearest(opaque(wasm_f32x4_make(2.5f, -2.5f, 0.49999997f, -0.5f))));
  show("ceil64", wasm_f64x2_ceil(opaque(wasm_f64x2_make(-0.5, 1e300))));
  show("demote", wasm_f32x4_demote_f64x2_zero(opaque(wasm_f64x2_make(1e40, 1.0 / 3.0))));
  show("trunc_sat_f64_zero", wasm_i32x4_trunc_sat_f64x2_zero(opaque(wasm_f64x2_make(-1e10, 2147483647.9))));
  uint8_t storage[32];
  for (int i = 0; i < 32; ++i) storage[i] = (uint8_t)(i * 7);
  uint8_t* volatile hidden = storage;  // the loads below cannot be folded either
  uint8_t* memory = hidden;
  show("load16_lane", wasm_v128_load16_lane(memory + 3, bytes, 5));
  show("load32_zero", wasm_v128_load32_zero(memory + 9));
  show("load8x8_s", wasm_i16x8_load8x8(memory + 17));
  wasm_v128_store64_lane(memory + 1, mixed, 1);
  show("after_store_lane", wasm_v128_load(memory));
  return 0;
}
