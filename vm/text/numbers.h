// Numeric literals of the text format: integers (decimal or hex, with `_`
// separators, optional sign) and floats (decimal, hex, inf, nan, nan:0x...).
// Every function returns false when the token is not such a literal or does
// not fit; callers turn that into "constant out of range" / "unknown operator".
#pragma once
#include <cstdint>
#include <string_view>

namespace ws::text {

enum class NumParse { Ok, NotANumber, OutOfRange };

// Unsigned integer without sign, at most `max`.
NumParse parse_unsigned(std::string_view s, uint64_t max, uint64_t* out);
// iN literal (N = 32 or 64): signed or unsigned form, returned as N-bit pattern.
NumParse parse_int_bits(std::string_view s, unsigned bits, uint64_t* out);
// fN literal bit pattern.
NumParse parse_f32_bits(std::string_view s, uint32_t* out);
NumParse parse_f64_bits(std::string_view s, uint64_t* out);

// True when `s` is a valid integer or float literal of any size.
bool is_number(std::string_view s);

// The lane shapes of v128 literals: `v128.const i32x4 1 2 3 4`.
struct V128Shape {
  std::string_view name;  // "i8x16" ... "f64x2"
  unsigned lanes;
  unsigned bits;          // per lane
  bool is_float;
};
const V128Shape* find_v128_shape(std::string_view name);  // null if none

// True when the token starts like a number ([+-]?digit, or inf / nan forms).
bool looks_numeric(std::string_view s);

}  // namespace ws::text
