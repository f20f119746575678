// Unit tests of the spec runner's value parsing and matching: NaN patterns,
// exact float bits, references and the loose message comparison.
#include <doctest/doctest.h>

#include "spec_values.h"

using namespace wasmaot::spec;
using nlohmann::json;

namespace {

ExpectedValue expect(const char* type, const char* value) {
  std::string error;
  auto e = parseExpected(json{{"type", type}, {"value", value}}, &error);
  REQUIRE_MESSAGE(e.has_value(), error);
  return *e;
}

}  // namespace

TEST_CASE("integer arguments and results") {
  std::string error;
  auto v = parseArgument(json{{"type", "i32"}, {"value", "4294967295"}}, &error);
  REQUIRE(v);
  CHECK(v->type == ValType::I32);
  CHECK(v->bits == 0xffffffffu);
  CHECK_FALSE(parseArgument(json{{"type", "i32"}, {"value", "4294967296"}}, &error));
  CHECK(matches(expect("i64", "18446744073709551615"), Value{ValType::I64, ~0ull}));
  CHECK_FALSE(matches(expect("i32", "1"), Value{ValType::I64, 1}));
  // Upper bits of an i32 are ignored.
  CHECK(matches(expect("i32", "7"), Value{ValType::I32, 0x100000007ull}));
}

TEST_CASE("float results are compared bitwise") {
  CHECK(matches(expect("f32", "2147483648"), Value{ValType::F32, 0x80000000u}));  // -0.0
  CHECK_FALSE(matches(expect("f32", "0"), Value{ValType::F32, 0x80000000u}));
  CHECK(matches(expect("f64", "9221120237041090560"), Value{ValType::F64, 0x7ff8000000000000ull}));
  CHECK_FALSE(matches(expect("f64", "9221120237041090561"), Value{ValType::F64, 0x7ff8000000000000ull}));
}

TEST_CASE("nan:canonical") {
  auto f32 = expect("f32", "nan:canonical");
  CHECK(matches(f32, Value{ValType::F32, 0x7fc00000u}));
  CHECK(matches(f32, Value{ValType::F32, 0xffc00000u}));
  CHECK_FALSE(matches(f32, Value{ValType::F32, 0x7fc00001u}));
  CHECK_FALSE(matches(f32, Value{ValType::F32, 0x7fa00000u}));
  CHECK_FALSE(matches(f32, Value{ValType::F32, 0x7f800000u}));  // infinity
  auto f64 = expect("f64", "nan:canonical");
  CHECK(matches(f64, Value{ValType::F64, 0xfff8000000000000ull}));
  CHECK_FALSE(matches(f64, Value{ValType::F64, 0x7ff8000000000001ull}));
  CHECK_FALSE(matches(f64, Value{ValType::F32, 0x7fc00000u}));
}

TEST_CASE("nan:arithmetic") {
  auto f32 = expect("f32", "nan:arithmetic");
  CHECK(matches(f32, Value{ValType::F32, 0x7fc00000u}));
  CHECK(matches(f32, Value{ValType::F32, 0xffc00123u}));
  CHECK_FALSE(matches(f32, Value{ValType::F32, 0x7f800001u}));  // signalling
  CHECK_FALSE(matches(f32, Value{ValType::F32, 0x3f800000u}));
  auto f64 = expect("f64", "nan:arithmetic");
  CHECK(matches(f64, Value{ValType::F64, 0x7ffc000000000000ull}));
  CHECK_FALSE(matches(f64, Value{ValType::F64, 0x7ff4000000000000ull}));
}

TEST_CASE("references") {
  std::string error;
  auto arg = parseArgument(json{{"type", "externref"}, {"value", "0"}}, &error);
  REQUIRE(arg);
  CHECK(arg->bits != 0);
  CHECK(matches(expect("externref", "0"), *arg));
  CHECK_FALSE(matches(expect("externref", "1"), *arg));
  CHECK_FALSE(matches(expect("externref", "null"), *arg));
  CHECK(matches(expect("externref", "null"), Value{ValType::ExternRef, 0}));
  CHECK(matches(expect("funcref", "null"), Value{ValType::FuncRef, 0}));
  auto any_func = parseExpected(json{{"type", "funcref"}}, &error);
  REQUIRE(any_func);
  CHECK(matches(*any_func, Value{ValType::FuncRef, 0x1234}));
  CHECK_FALSE(matches(*any_func, Value{ValType::FuncRef, 0}));
  CHECK_FALSE(parseArgument(json{{"type", "v128"}, {"value", json::array()}}, &error));
}

TEST_CASE("messages agree loosely") {
  CHECK(messagesAgree("type mismatch: expected i32", "type mismatch"));
  CHECK(messagesAgree("unknown", "unknown global 1"));
  CHECK(messagesAgree("Integer Divide By Zero", "integer divide by zero"));
  CHECK_FALSE(messagesAgree("integer overflow", "integer divide by zero"));
}

TEST_CASE("v128 arguments and lane-wise results") {
  std::string error;
  auto v = parseArgument(json{{"type", "v128"}, {"lane_type", "i16"},
                              {"value", {"1", "2", "3", "4", "5", "6", "7", "65535"}}},
                         &error);
  REQUIRE_MESSAGE(v, error);
  CHECK(v->type == ValType::V128);
  CHECK(v->bits == 0x0004000300020001ull);
  CHECK(v->high == 0xffff000700060005ull);
  // A lane out of its type's range, or the wrong number of lanes, is refused.
  CHECK_FALSE(parseArgument(json{{"type", "v128"}, {"lane_type", "i8"},
                                 {"value", {"256", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"}}},
                            &error));
  CHECK_FALSE(parseArgument(json{{"type", "v128"}, {"lane_type", "i32"}, {"value", {"1", "2"}}}, &error));

  auto expected = parseExpected(json{{"type", "v128"}, {"lane_type", "f32"},
                                     {"value", {"nan:canonical", "nan:arithmetic", "0", "2147483648"}}},
                                &error);
  REQUIRE_MESSAGE(expected, error);
  // Lanes, low first: canonical NaN (either sign), a quiet NaN with payload, +0, -0.
  CHECK(matches(*expected, Value::v128(0x7fc00001ffc00000ull, 0x8000000000000000ull)));
  // The third lane is -0 instead of +0.
  CHECK_FALSE(matches(*expected, Value::v128(0x7fc00001ffc00000ull, 0x8000000080000000ull)));
  // A signalling NaN is not arithmetic.
  CHECK_FALSE(matches(*expected, Value::v128(0x7f800001ffc00000ull, 0x8000000000000000ull)));
}

TEST_CASE("either: any one alternative matches") {
  std::string error;
  auto e = parseExpected(json{{"type", "either"},
                              {"values", {json{{"type", "i32"}, {"value", "1"}}, json{{"type", "i32"}, {"value", "2"}}}}},
                         &error);
  REQUIRE_MESSAGE(e, error);
  CHECK(matches(*e, Value{ValType::I32, 1}));
  CHECK(matches(*e, Value{ValType::I32, 2}));
  CHECK_FALSE(matches(*e, Value{ValType::I32, 3}));
}
