#include "spec_values.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace ws::cli {
namespace {

using Kind = text::ExpectedValue::Kind;

uint32_t f32_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
uint64_t f64_bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

// NaN patterns on raw bits: canonical = only the quiet bit set in the
// payload; arithmetic = the quiet bit set, any payload; either sign.
bool f32_nan_matches(Kind kind, uint32_t bits) {
  if (kind == Kind::CanonicalNan) return (bits & 0x7FFFFFFFu) == 0x7FC00000u;
  return (bits & 0x7FC00000u) == 0x7FC00000u;
}
bool f64_nan_matches(Kind kind, uint64_t bits) {
  if (kind == Kind::CanonicalNan) return (bits & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
  return (bits & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
}

bool lanes_match(const text::ExpectedValue& e, const Value& actual) {
  bool f32 = e.lane_shape == "f32x4";
  size_t lane_bytes = f32 ? 4 : 8;
  if (e.lane_kinds.size() * lane_bytes != 16) return false;
  for (size_t lane = 0; lane < e.lane_kinds.size(); lane++) {
    const uint8_t* got = actual.v128.bytes + lane * lane_bytes;
    const uint8_t* want = e.value.v128.bytes + lane * lane_bytes;
    Kind kind = e.lane_kinds[lane];
    if (kind == Kind::Exact) {
      if (std::memcmp(got, want, lane_bytes) != 0) return false;
    } else if (f32) {
      uint32_t bits;
      std::memcpy(&bits, got, 4);
      if (!f32_nan_matches(kind, bits)) return false;
    } else {
      uint64_t bits;
      std::memcpy(&bits, got, 8);
      if (!f64_nan_matches(kind, bits)) return false;
    }
  }
  return true;
}

// "v128:f32x4(0x3f800000 nan:canonical ...)"
std::string format_lanes(const text::ExpectedValue& e) {

  std::string s = "v128:" + e.lane_shape + "(";
  size_t lane_bytes = e.lane_shape == "f32x4" ? 4 : 8;
  for (size_t i = 0; i < e.lane_kinds.size(); i++) {
    if (i) s += " ";
    if (e.lane_kinds[i] == Kind::CanonicalNan) {
      s += "nan:canonical";
    } else if (e.lane_kinds[i] == Kind::ArithmeticNan) {
      s += "nan:arithmetic";
    } else {
      uint64_t bits = 0;
      std::memcpy(&bits, e.value.v128.bytes + i * lane_bytes, lane_bytes);
      char hex[24];
      std::snprintf(hex, sizeof hex, "0x%" PRIx64, bits);
      s += hex;
    }
  }
  return s + ")";
}

}  // namespace

bool matches(const text::ExpectedValue& e, const Value& actual) {
  if (!e.lane_kinds.empty()) return actual.type == ValType::V128 && lanes_match(e, actual);
  switch (e.kind) {
    case Kind::Exact: {
      const Value& want = e.value;
      if (actual.type != want.type) return false;
      switch (want.type) {
        case ValType::I32: return actual.i32 == want.i32;
        case ValType::I64: return actual.i64 == want.i64;
        case ValType::F32: return f32_bits(actual.f32) == f32_bits(want.f32);
        case ValType::F64: return f64_bits(actual.f64) == f64_bits(want.f64);
        case ValType::V128: return actual.v128 == want.v128;
        case ValType::FuncRef:
        case ValType::ExternRef: return actual.ref == want.ref;
      }
      return false;
    }
    case Kind::CanonicalNan:
    case Kind::ArithmeticNan:
      if (actual.type != e.type) return false;
      if (e.type == ValType::F32) return f32_nan_matches(e.kind, f32_bits(actual.f32));
      if (e.type == ValType::F64) return f64_nan_matches(e.kind, f64_bits(actual.f64));
      return false;
    case Kind::RefNull:
      return actual.type == e.type && actual.is_null();
    case Kind::RefFunc:
      return actual.type == ValType::FuncRef && !actual.is_null();
    case Kind::RefExtern:
      return actual.type == ValType::ExternRef && actual.ref == e.value.ref;
    case Kind::Either:
      for (const text::ExpectedValue& alt : e.alternatives) {
        if (matches(alt, actual)) return true;
      }
      return false;
  }
  return false;
}

bool matches_all(const std::vector<text::ExpectedValue>& expected, const std::vector<Value>& actual) {
  if (expected.size() != actual.size()) return false;
  for (size_t i = 0; i < expected.size(); i++) {
    if (!matches(expected[i], actual[i])) return false;
  }
  return true;
}

std::string format_value(const Value& v) {
  char bits[32];
  switch (v.type) {
    case ValType::F32:
      std::snprintf(bits, sizeof bits, " (0x%08" PRIx32 ")", f32_bits(v.f32));
      return v.to_string() + bits;
    case ValType::F64:
      std::snprintf(bits, sizeof bits, " (0x%016" PRIx64 ")", f64_bits(v.f64));
      return v.to_string() + bits;
    default:
      return v.to_string();
  }
}

std::string format_values(const std::vector<Value>& values) {
  std::string s;
  for (const Value& v : values) s += (s.empty() ? "" : " ") + format_value(v);
  return "[" + s + "]";
}

std::string format_expected(const text::ExpectedValue& e) {
  if (!e.lane_kinds.empty()) return format_lanes(e);
  std::string type = valtype_name(e.type);
  switch (e.kind) {
    case Kind::Exact:
      return format_value(e.value);
    case Kind::CanonicalNan: return type + ":nan:canonical";
    case Kind::ArithmeticNan: return type + ":nan:arithmetic";
    case Kind::RefNull: return type + ":null";
    case Kind::RefFunc: return "funcref:(any non-null)";
    case Kind::RefExtern: return "externref:" + std::to_string(e.value.ref - 1);
    case Kind::Either: {
      std::string s = "either(";
      for (size_t i = 0; i < e.alternatives.size(); i++) {
        s += (i ? " | " : "") + format_expected(e.alternatives[i]);
      }
      return s + ")";
    }
  }
  return "?";
}

std::string format_expected(const std::vector<text::ExpectedValue>& expected) {
  std::string s;
  for (const text::ExpectedValue& e : expected) s += (s.empty() ? "" : " ") + format_expected(e);
  return "[" + s + "]";
}

}  // namespace ws::cli
