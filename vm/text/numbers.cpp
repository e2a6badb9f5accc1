#include "numbers.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ws::text {
namespace {

bool is_digit(char c, bool hex) {
  if (c >= '0' && c <= '9') return true;
  return hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

unsigned digit_value(char c) {
  if (c >= '0' && c <= '9') return unsigned(c - '0');
  if (c >= 'a' && c <= 'f') return unsigned(c - 'a' + 10);
  return unsigned(c - 'A' + 10);
}

// Consumes `digit ('_'? digit)*` from s[*pos], appending the digits to `out`.
// Returns false if there is no digit or an `_` is not between two digits.
bool take_digits(std::string_view s, size_t* pos, bool hex, std::string* out) {
  size_t i = *pos;
  if (i >= s.size() || !is_digit(s[i], hex)) return false;
  for (;;) {
    out->push_back(s[i++]);
    if (i < s.size() && s[i] == '_') {
      i++;
      if (i >= s.size() || !is_digit(s[i], hex)) return false;
      continue;
    }
    if (i < s.size() && is_digit(s[i], hex)) continue;
    break;
  }
  *pos = i;
  return true;
}

bool has_hex_prefix(std::string_view s) {
  return s.size() >= 2 && s[0] == '0' && s[1] == 'x';
}

template <typename Bits>
struct FloatFormat;
template <>
struct FloatFormat<uint32_t> {
  static constexpr unsigned kMantissaBits = 23;
  static constexpr uint32_t kExponentMask = 0x7F800000u;
  static constexpr uint32_t kSignBit = 0x80000000u;
  static bool convert(const std::string& text, uint32_t* out) {
    float f = std::strtof(text.c_str(), nullptr);
    if (std::isinf(f)) return false;
    std::memcpy(out, &f, 4);
    return true;
  }
};
template <>
struct FloatFormat<uint64_t> {
  static constexpr unsigned kMantissaBits = 52;
  static constexpr uint64_t kExponentMask = 0x7FF0000000000000ull;
  static constexpr uint64_t kSignBit = 0x8000000000000000ull;
  static bool convert(const std::string& text, uint64_t* out) {
    double d = std::strtod(text.c_str(), nullptr);
    if (std::isinf(d)) return false;
    std::memcpy(out, &d, 8);
    return true;
  }
};

template <typename Bits>
NumParse parse_float(std::string_view s, Bits* out) {
  using F = FloatFormat<Bits>;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  Bits sign = negative ? F::kSignBit : 0;
  if (s == "inf") {
    *out = sign | F::kExponentMask;
    return NumParse::Ok;
  }
  if (s == "nan") {
    *out = sign | F::kExponentMask | (Bits(1) << (F::kMantissaBits - 1));
    return NumParse::Ok;
  }
  if (s.substr(0, 4) == "nan:") {
    uint64_t payload;
    std::string_view p = s.substr(4);
    if (!has_hex_prefix(p)) return NumParse::NotANumber;
    NumParse r = parse_unsigned(p, (uint64_t(1) << F::kMantissaBits) - 1, &payload);
    if (r != NumParse::Ok) return r;
    if (payload == 0) return NumParse::OutOfRange;
    *out = sign | F::kExponentMask | Bits(payload);
    return NumParse::Ok;
  }
  // Rebuild a plain C literal (no `_`) after checking the text-format grammar,
  // which is stricter than strtod's (e.g. no ".5", no "1e"). Only the
  // magnitude goes through strtod: Emscripten's libc loses the sign of
  // negative literals that underflow to zero, and round-to-nearest is
  // symmetric, so applying the sign afterwards is exact.
  bool hex = has_hex_prefix(s);
  std::string text;
  size_t i = 0;
  if (hex) {
    text += "0x";
    i = 2;
  }
  if (!take_digits(s, &i, hex, &text)) return NumParse::NotANumber;
  if (i < s.size() && s[i] == '.') {
    text.push_back('.');
    i++;
    if (i < s.size() && is_digit(s[i], hex) && !take_digits(s, &i, hex, &text))
      return NumParse::NotANumber;
  }
  if (i < s.size() && (hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
    text.push_back(hex ? 'p' : 'e');
    i++;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) text.push_back(s[i++]);
    if (!take_digits(s, &i, false, &text)) return NumParse::NotANumber;
  }
  if (i != s.size()) return NumParse::NotANumber;
  if (!F::convert(text, out)) return NumParse::OutOfRange;
  *out |= sign;
  return NumParse::Ok;
}

}  // namespace

NumParse parse_unsigned(std::string_view s, uint64_t max, uint64_t* out) {
  bool hex = has_hex_prefix(s);
  size_t i = hex ? 2 : 0;
  std::string digits;
  if (!take_digits(s, &i, hex, &digits) || i != s.size()) return NumParse::NotANumber;
  uint64_t base = hex ? 16 : 10;
  uint64_t v = 0;
  bool overflow = false;
  for (char c : digits) {
    uint64_t d = digit_value(c);
    if (v > (UINT64_MAX - d) / base) overflow = true;
    v = v * base + d;
  }
  if (overflow || v > max) return NumParse::OutOfRange;
  *out = v;
  return NumParse::Ok;
}

NumParse parse_int_bits(std::string_view s, unsigned bits, uint64_t* out) {
  char sign = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0];
    s.remove_prefix(1);
  }
  uint64_t all = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  uint64_t half = uint64_t(1) << (bits - 1);
  uint64_t magnitude;
  NumParse r = parse_unsigned(s, UINT64_MAX, &magnitude);
  if (r != NumParse::Ok) return r;
  if (sign == '-') {
    if (magnitude > half) return NumParse::OutOfRange;
    *out = (0 - magnitude) & all;
  } else {
    if (magnitude > (sign == '+' ? half - 1 : all)) return NumParse::OutOfRange;
    *out = magnitude;
  }
  return NumParse::Ok;
}

NumParse parse_f32_bits(std::string_view s, uint32_t* out) { return parse_float(s, out); }
NumParse parse_f64_bits(std::string_view s, uint64_t* out) { return parse_float(s, out); }

bool is_number(std::string_view s) {
  uint64_t i;
  if (parse_int_bits(s, 64, &i) != NumParse::NotANumber) return true;
  return parse_f64_bits(s, &i) != NumParse::NotANumber;
}

bool looks_numeric(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  if (s[0] >= '0' && s[0] <= '9') return true;
  return s == "inf" || s == "nan" || s.substr(0, 4) == "nan:";
}

const V128Shape* find_v128_shape(std::string_view name) {
  static const V128Shape kShapes[] = {{"i8x16", 16, 8, false}, {"i16x8", 8, 16, false},
                                      {"i32x4", 4, 32, false}, {"i64x2", 2, 64, false},
                                      {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true}};
  for (const V128Shape& shape : kShapes) {
    if (shape.name == name) return &shape;
  }
  return nullptr;
}

}  // namespace ws::text
