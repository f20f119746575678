// Parsing and matching of spec-test values (see spec_values.h).
#include "spec_values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace wasmaot::spec {
namespace {

constexpr uint64_t kF32ExponentAndQuiet = 0x7fc00000u;
constexpr uint64_t kF32Magnitude = 0x7fffffffu;
constexpr uint64_t kF64ExponentAndQuiet = 0x7ff8000000000000ull;
constexpr uint64_t kF64Magnitude = 0x7fffffffffffffffull;

bool parseUnsigned64(const std::string& text, uint64_t* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

uint64_t maskFor(ValType type) {
  return (type == ValType::I32 || type == ValType::F32) ? 0xffffffffull : ~0ull;
}

bool isNanBits(ValType type, uint64_t bits) {
  if (type == ValType::F32) return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0;
  return (bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (bits & 0x000fffffffffffffull) != 0;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A v128 lane type: its width and the scalar type its lanes are read as.
bool parseLaneType(const std::string& name, unsigned* bits, ValType* scalar) {
  if (name == "i8" || name == "i16" || name == "i32") {
    *bits = name == "i8" ? 8 : name == "i16" ? 16 : 32;
    *scalar = ValType::I32;
  } else if (name == "i64" || name == "f32" || name == "f64") {
    *bits = name == "f32" ? 32 : 64;
    *scalar = name == "i64" ? ValType::I64 : name == "f32" ? ValType::F32 : ValType::F64;
  } else {
    return false;
  }
  return true;
}

uint64_t laneMask(unsigned bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }

// Bits of lane `i` (of `bits` width) of a v128 held as low/high halves.
uint64_t laneOf(const Value& v, unsigned bits, unsigned i) {
  const unsigned bit = i * bits;
  const uint64_t half = bit < 64 ? v.bits : v.high;
  return (half >> (bit % 64)) & laneMask(bits);
}

// Lanes of a v128 JSON value as unsigned numbers; lane texts that are not
// numbers (NaN patterns) are left to the caller through `texts`.
bool parseLanes(const nlohmann::json& j, unsigned bits, std::vector<std::string>* texts, std::string* error) {
  if (!j.contains("value") || !j["value"].is_array() || j["value"].size() != 128 / bits) {
    *error = "v128 value without " + std::to_string(128 / bits) + " lanes";
    return false;
  }
  for (const auto& lane : j["value"]) {
    if (!lane.is_string()) {
      *error = "v128 lane is not a string";
      return false;
    }
    texts->push_back(lane.get<std::string>());
  }
  return true;
}

}  // namespace

std::optional<ValType> parseValType(const std::string& name) {
  if (name == "i32") return ValType::I32;
  if (name == "i64") return ValType::I64;
  if (name == "f32") return ValType::F32;
  if (name == "f64") return ValType::F64;
  if (name == "v128") return ValType::V128;
  if (name == "funcref") return ValType::FuncRef;
  if (name == "externref") return ValType::ExternRef;
  return std::nullopt;
}

std::optional<Value> parseArgument(const nlohmann::json& j, std::string* error) {
  std::string type_name = j.value("type", "");
  auto type = parseValType(type_name);
  if (!type) {
    *error = "unsupported value type '" + type_name + "'";
    return std::nullopt;
  }
  if (*type == ValType::V128) {
    unsigned bits = 0;
    ValType scalar;
    std::vector<std::string> texts;
    if (!parseLaneType(j.value("lane_type", ""), &bits, &scalar)) {
      *error = "v128 argument with lane type '" + j.value("lane_type", "") + "'";
      return std::nullopt;
    }
    if (!parseLanes(j, bits, &texts, error)) return std::nullopt;
    Value v = Value::v128(0, 0);
    for (unsigned i = 0; i < texts.size(); ++i) {
      uint64_t lane;
      if (!parseUnsigned64(texts[i], &lane) || (lane & ~laneMask(bits)) != 0) {
        *error = "bad v128 lane '" + texts[i] + "'";
        return std::nullopt;
      }
      const unsigned bit = i * bits;
      (bit < 64 ? v.bits : v.high) |= lane << (bit % 64);
    }
    return v;
  }
  if (!j.contains("value") || !j["value"].is_string()) {
    *error = "argument of type " + type_name + " without a value";
    return std::nullopt;
  }
  std::string text = j["value"].get<std::string>();
  if (abi::isReference(*type)) {
    if (text == "null") return Value{*type, 0};
    uint64_t n;
    if (*type == ValType::ExternRef && parseUnsigned64(text, &n)) return Value{*type, externrefOpaqueFor(n)};
    *error = "unsupported " + type_name + " argument '" + text + "'";
    return std::nullopt;
  }
  uint64_t bits;
  if (!parseUnsigned64(text, &bits) || (bits & ~maskFor(*type)) != 0) {
    *error = "bad " + type_name + " value '" + text + "'";
    return std::nullopt;
  }
  return Value{*type, bits};
}

std::optional<ExpectedValue> parseExpected(const nlohmann::json& j, std::string* error) {
  std::string type_name = j.value("type", "");
  if (type_name == "either") {
    ExpectedValue e;
    e.kind = ExpectedValue::Kind::Either;
    for (const auto& alternative : j.value("values", nlohmann::json::array())) {
      auto v = parseExpected(alternative, error);
      if (!v) return std::nullopt;
      e.type = v->type;
      e.alternatives.push_back(*v);
    }
    if (e.alternatives.empty()) {
      *error = "`either` without values";
      return std::nullopt;
    }
    return e;
  }
  if (type_name == "v128") {
    ExpectedValue e;
    e.type = ValType::V128;
    e.kind = ExpectedValue::Kind::Lanes;
    ValType scalar;
    std::vector<std::string> texts;
    if (!parseLaneType(j.value("lane_type", ""), &e.lane_bits, &scalar)) {
      *error = "expected v128 with lane type '" + j.value("lane_type", "") + "'";
      return std::nullopt;
    }
    if (!parseLanes(j, e.lane_bits, &texts, error)) return std::nullopt;
    for (const std::string& text : texts) {
      auto lane = parseExpected(nlohmann::json{{"type", abi::valTypeName(scalar)}, {"value", text}}, error);
      if (!lane) return std::nullopt;
      if (lane->kind == ExpectedValue::Kind::Exact && (lane->bits & ~laneMask(e.lane_bits)) != 0) {
        *error = "bad expected v128 lane '" + text + "'";
        return std::nullopt;
      }
      e.lanes.push_back(*lane);
    }
    return e;
  }
  auto type = parseValType(type_name);
  if (!type) {
    *error = "unsupported value type '" + type_name + "'";
    return std::nullopt;
  }
  ExpectedValue e;
  e.type = *type;
  if (!j.contains("value")) {
    if (abi::isReference(*type)) {
      e.kind = ExpectedValue::Kind::NonNullRef;
      return e;
    }
    *error = "expected " + type_name + " without a value";
    return std::nullopt;
  }
  if (!j["value"].is_string()) {
    *error = "unsupported expected value for " + type_name;
    return std::nullopt;
  }
  std::string text = j["value"].get<std::string>();
  if (*type == ValType::F32 || *type == ValType::F64) {
    if (text == "nan:canonical") {
      e.kind = ExpectedValue::Kind::CanonicalNan;
      return e;
    }
    if (text == "nan:arithmetic") {
      e.kind = ExpectedValue::Kind::ArithmeticNan;
      return e;
    }
  }
  if (abi::isReference(*type)) {
    if (text == "null") {
      e.bits = 0;
      return e;
    }
    uint64_t n;
    if (*type == ValType::ExternRef && parseUnsigned64(text, &n)) {
      e.bits = externrefOpaqueFor(n);
      return e;
    }
    *error = "unsupported expected " + type_name + " '" + text + "'";
    return std::nullopt;
  }
  if (!parseUnsigned64(text, &e.bits) || (e.bits & ~maskFor(*type)) != 0) {
    *error = "bad expected " + type_name + " value '" + text + "'";
    return std::nullopt;
  }
  return e;
}

bool matches(const ExpectedValue& expected, const Value& actual) {
  if (expected.kind == ExpectedValue::Kind::Either) {
    return std::any_of(expected.alternatives.begin(), expected.alternatives.end(),
                       [&](const ExpectedValue& e) { return matches(e, actual); });
  }
  if (actual.type != expected.type) return false;
  if (expected.kind == ExpectedValue::Kind::Lanes) {
    for (unsigned i = 0; i < expected.lanes.size(); ++i) {
      const ExpectedValue& lane = expected.lanes[i];
      if (!matches(lane, Value{lane.type, laneOf(actual, expected.lane_bits, i)})) return false;
    }
    return true;
  }
  uint64_t bits = actual.bits & maskFor(actual.type);
  switch (expected.kind) {
    case ExpectedValue::Kind::Exact:
      return bits == expected.bits;
    case ExpectedValue::Kind::NonNullRef:
      return bits != 0;
    case ExpectedValue::Kind::CanonicalNan:
      if (expected.type == ValType::F32) return (bits & kF32Magnitude) == kF32ExponentAndQuiet;
      return (bits & kF64Magnitude) == kF64ExponentAndQuiet;
    case ExpectedValue::Kind::ArithmeticNan:
      if (expected.type == ValType::F32) return (bits & kF32ExponentAndQuiet) == kF32ExponentAndQuiet;
      return (bits & kF64ExponentAndQuiet) == kF64ExponentAndQuiet;
    case ExpectedValue::Kind::Lanes:
    case ExpectedValue::Kind::Either:
      break;  // handled above
  }
  return false;
}

std::string describe(const Value& value) {
  char buf[96];
  uint64_t bits = value.bits & maskFor(value.type);
  switch (value.type) {
    case ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%u (0x%x)", unsigned(bits), unsigned(bits));
      break;
    case ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%llu (0x%llx)", (unsigned long long)bits, (unsigned long long)bits);
      break;
    case ValType::F32:
      std::snprintf(buf, sizeof buf, "f32:0x%08x%s", unsigned(bits), isNanBits(value.type, bits) ? " (nan)" : "");
      break;
    case ValType::F64:
      std::snprintf(buf, sizeof buf, "f64:0x%016llx%s", (unsigned long long)bits,
                    isNanBits(value.type, bits) ? " (nan)" : "");
      break;
    case ValType::ExternRef:
      if (bits == 0) return "ref.null extern";
      std::snprintf(buf, sizeof buf, "ref.extern %llu", (unsigned long long)(bits - 1));
      break;
    case ValType::FuncRef:
      return bits == 0 ? "ref.null func" : "ref.func";
    case ValType::V128:
      std::snprintf(buf, sizeof buf, "v128:0x%016llx%016llx", (unsigned long long)value.high,
                    (unsigned long long)value.bits);
      break;
    default:
      return std::string(abi::valTypeName(value.type)) + ":?";
  }
  return buf;
}

std::string describe(const ExpectedValue& expected) {
  switch (expected.kind) {
    case ExpectedValue::Kind::Exact:
      return describe(Value{expected.type, expected.bits});
    case ExpectedValue::Kind::CanonicalNan:
      return std::string(expected.type == ValType::F32 ? "f32" : "f64") + ":nan:canonical";
    case ExpectedValue::Kind::ArithmeticNan:
      return std::string(expected.type == ValType::F32 ? "f32" : "f64") + ":nan:arithmetic";
    case ExpectedValue::Kind::NonNullRef:
      return expected.type == ValType::FuncRef ? "any ref.func" : "any ref.extern";
    case ExpectedValue::Kind::Lanes: {
      std::string text = "v128:i" + std::to_string(expected.lane_bits) + "[";
      for (size_t i = 0; i < expected.lanes.size(); ++i) text += (i ? " " : "") + describe(expected.lanes[i]);
      return text + "]";
    }
    case ExpectedValue::Kind::Either: {
      std::string text = "either(";
      for (size_t i = 0; i < expected.alternatives.size(); ++i)
        text += (i ? " | " : "") + describe(expected.alternatives[i]);
      return text + ")";
    }
  }
  return "?";
}

bool messagesAgree(const std::string& ours, const std::string& expected) {
  std::string a = lowercase(ours), b = lowercase(expected);
  if (a.empty() || b.empty()) return a == b;
  return a.find(b) != std::string::npos || b.find(a) != std::string::npos;
}

}  // namespace wasmaot::spec
