// Values of the spec-test JSON (as wast2json writes them): parsing arguments
// into runtime values, parsing expected results (including the NaN patterns
// nan:canonical / nan:arithmetic and reference results), and matching.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wasmaot/runtime/runtime.h"

namespace wasmaot::spec {

using runtime::Value;
using abi::ValType;

// `ref.extern N` is passed to the guest as the opaque host value N + 1, so
// that every N (0 included) is non-null and distinct; results map back.
inline uint64_t externrefOpaqueFor(uint64_t n) { return n + 1; }

struct ExpectedValue {
  enum class Kind {
    Exact,          // compare bits (floats bitwise, NaN payloads included)
    CanonicalNan,   // f32/f64: sign ignored, quiet bit only
    ArithmeticNan,  // f32/f64: sign and payload ignored, quiet bit set
    NonNullRef,     // ref.func / ref.extern without a value: any non-null reference
    Lanes,          // v128: every lane matches lanes[i] (Exact or a NaN pattern)
    Either,         // relaxed SIMD's `either`: any one of `alternatives`
  };
  ValType type = ValType::I32;
  Kind kind = Kind::Exact;
  uint64_t bits = 0;  // for Exact (externref already mapped through externrefOpaqueFor)
  // Lanes: the lane type's width in bits (8, 16, 32, 64), whether lanes are
  // floats, and one scalar expectation per lane (type I32/I64/F32/F64).
  unsigned lane_bits = 0;
  std::vector<ExpectedValue> lanes;
  std::vector<ExpectedValue> alternatives;  // Either
};

// Parses a value type name ("i32", "f32", "v128", "externref", ...).
std::optional<ValType> parseValType(const std::string& name);

// {"type": "i32", "value": "4294967295"} → Value; a v128 is
// {"type": "v128", "lane_type": "i16", "value": ["1", ..., "8"]}. nullopt +
// *error if the type is unsupported or the text is not a number.
std::optional<Value> parseArgument(const nlohmann::json& j, std::string* error);

std::optional<ExpectedValue> parseExpected(const nlohmann::json& j, std::string* error);

bool matches(const ExpectedValue& expected, const Value& actual);

// For failure messages: "i32:42", "f32:0x7fc00000 (nan)", "externref:3", ...
std::string describe(const Value& value);
std::string describe(const ExpectedValue& expected);

// The loose message comparison of assert_invalid / assert_malformed /
// assert_trap: equal ignoring case, or one contains the other.
bool messagesAgree(const std::string& ours, const std::string& expected);

}  // namespace wasmaot::spec
