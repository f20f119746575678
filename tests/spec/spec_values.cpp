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

}  // namespace

std::optional<ValType> parseValType(const std::string& name) {
  if (name == "i32") return ValType::I32;
  if (name == "i64") return ValType::I64;
  if (name == "f32") return ValType::F32;
  if (name == "f64") return ValType::F64;
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
  if (actual.type != expected.type) return false;
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
  }
  return "?";
}

bool messagesAgree(const std::string& ours, const std::string& expected) {
  std::string a = lowercase(ours), b = lowercase(expected);
  if (a.empty() || b.empty()) return a == b;
  return a.find(b) != std::string::npos || b.find(a) != std::string::npos;
}

}  // namespace wasmaot::spec
