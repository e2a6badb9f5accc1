// Scalar float semantics of WebAssembly that plain C++ operators do not give:
// NaN-propagating min/max with signed zeros, round-to-nearest-even, sign
// operations on raw bits (NaN payloads must survive abs/neg/copysign), and
// float-to-integer conversions with the spec's range checks.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ws::fops {

template <typename To, typename From>
inline To bits(From v) {
  static_assert(sizeof(To) == sizeof(From), "bit cast between different sizes");
  To out;
  std::memcpy(&out, &v, sizeof out);
  return out;
}

// Unsigned integer with the same width as the float type.
template <typename F> struct BitsOf;
template <> struct BitsOf<float> { using type = uint32_t; };
template <> struct BitsOf<double> { using type = uint64_t; };

template <typename F>
inline F sign_mask_op(F a, F b, bool take_sign_of_b, bool flip, bool clear) {
  using U = typename BitsOf<F>::type;
  const U sign = U(1) << (sizeof(U) * 8 - 1);
  U x = bits<U>(a);
  if (clear) x &= ~sign;
  if (flip) x ^= sign;
  if (take_sign_of_b) x = (x & ~sign) | (bits<U>(b) & sign);
  return bits<F>(x);
}

template <typename F> inline F abs(F a) { return sign_mask_op(a, a, false, false, true); }
template <typename F> inline F neg(F a) { return sign_mask_op(a, a, false, true, false); }
template <typename F> inline F copysign(F a, F b) { return sign_mask_op(a, b, true, false, false); }

// min/max: NaN if either operand is NaN; -0 < +0.
template <typename F>
inline F min(F a, F b) {
  if (a != a || b != b) return a + b;  // quiet NaN
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <typename F>
inline F max(F a, F b) {
  if (a != a || b != b) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// Round to nearest, ties to even (the default rounding mode).
template <typename F> inline F nearest(F a) { return std::nearbyint(a); }

// Result of a trapping float->int conversion.
enum class Conv { Ok, Overflow, Invalid };

// Truncation toward zero with the spec's checks: NaN is an invalid conversion,
// values whose truncation does not fit I overflow. The bounds are powers of
// two, so comparing the truncated value against them in F is exact.
template <typename I, typename F>
inline Conv trunc(F a, I* out) {
  if (a != a) return Conv::Invalid;
  constexpr bool is_signed = std::numeric_limits<I>::is_signed;
  constexpr int width = std::numeric_limits<I>::digits + (is_signed ? 1 : 0);
  const F upper = std::ldexp(F(1), is_signed ? width - 1 : width);  // exclusive
  const F lower = is_signed ? -upper : F(0);                         // inclusive
  const F t = std::trunc(a);
  if (!(t >= lower) || !(t < upper)) return Conv::Overflow;
  *out = I(t);
  return Conv::Ok;
}

// Saturating truncation: NaN -> 0, out of range -> the nearest bound.
template <typename I, typename F>
inline I trunc_sat(F a) {
  I out;
  switch (trunc<I>(a, &out)) {
    case Conv::Ok: return out;
    case Conv::Invalid: return 0;
    case Conv::Overflow: break;
  }
  return a < F(0) ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
}

}  // namespace ws::fops
