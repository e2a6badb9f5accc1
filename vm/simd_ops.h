// Semantics of the fixed-width SIMD instructions (the 0xFD rows of
// opcodes.def) as pure functions, one per Op id and named like it, so the
// interpreter generates its SIMD handlers with X-macros over the table.
//
// Calling convention (checked against the table at compile time, see the end
// of this file):
//   - Types map from the table's params/results chars: 'v' -> V128,
//     'i' -> uint32_t, 'l' -> uint64_t, 'f' -> float, 'd' -> double.
//   - Operands come first, in table order (bottom of the Wasm stack first),
//     then immediates. A lane index is the LAST argument:
//         uint32_t I8x16ExtractLaneS(V128 a, uint32_t lane)
//         V128     I32x4ReplaceLane(V128 a, uint32_t x, uint32_t lane)
//     Shuffle takes its 16 lane-index bytes: I8x16Shuffle(a, b, lanes16).
//     V128Const(V128 imm) returns its immediate.
//   - Memory instructions: the interpreter computes the address, checks
//     bounds and moves the bytes (little-endian); these functions only
//     transform values. The access is sizeof(Raw) bytes (simd_access_bytes):
//         Load       V128 f(Raw bytes)                   e.g. V128Load8x8S(uint64_t)
//         LoadLane   V128 f(V128 v, Raw x, uint32_t lane) e.g. V128Load8Lane(v, uint8_t, lane)
//         Store      V128 f(V128 v)      -> the 16 bytes to write
//         StoreLane  Raw  f(V128 v, uint32_t lane)        e.g. uint8_t V128Store8Lane(v, lane)
//     where Raw is uint8_t / uint16_t / uint32_t / uint64_t, or V128 for
//     the full 16-byte v128.load / v128.store.
//   - Lane indices and shuffle bytes are validated by the validator; out of
//     range values are still memory-safe here (masked / zero), never UB.
//   - simd_form(op) classifies each instruction by the signature above.
//
// Floating point: each lane behaves exactly like the matching scalar
// instruction (f32.min for f32x4.min, ...: float_ops.h and the host FPU), so
// NaN results are arithmetic NaNs and canonical NaN inputs give canonical
// NaNs, as the spec requires. abs, neg, pmin, pmax, extract/replace and splat
// only move bits and keep NaN payloads. The FPU must be in its default state
// (round to nearest, no flush-to-zero).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>

#include "float_ops.h"
#include "opcodes.h"
#include "types.h"

namespace ws::simd {

namespace detail {

template <size_t Size> struct UIntOfSize;
template <> struct UIntOfSize<1> { using type = uint8_t; };
template <> struct UIntOfSize<2> { using type = uint16_t; };
template <> struct UIntOfSize<4> { using type = uint32_t; };
template <> struct UIntOfSize<8> { using type = uint64_t; };
// The unsigned integer with the same width as T: the lane's raw bits.
template <class T> using Bits = typename UIntOfSize<sizeof(T)>::type;

// A v128 viewed as an array of lanes of type T (memcpy: no aliasing UB).
template <class T> struct Lanes {
  static constexpr unsigned kCount = 16 / sizeof(T);
  T at[kCount];
};
template <class T> inline Lanes<T> lanes(const V128& v) {
  Lanes<T> l;
  std::memcpy(l.at, v.bytes, 16);
  return l;
}
template <class T> inline V128 pack(const Lanes<T>& l) {
  V128 v;
  std::memcpy(v.bytes, l.at, 16);
  return v;
}

template <class T, class F> inline V128 map(V128 a, F f) {
  Lanes<T> x = lanes<T>(a);
  for (T& e : x.at) e = f(e);
  return pack(x);
}
template <class T, class F> inline V128 zip(V128 a, V128 b, F f) {
  Lanes<T> x = lanes<T>(a);
  Lanes<T> y = lanes<T>(b);
  for (unsigned i = 0; i < Lanes<T>::kCount; ++i) x.at[i] = f(x.at[i], y.at[i]);
  return pack(x);
}
// Lane-wise predicate: all ones where true, zero where false.
template <class T, class F> inline V128 compare(V128 a, V128 b, F pred) {
  Lanes<T> x = lanes<T>(a);
  Lanes<T> y = lanes<T>(b);
  Lanes<Bits<T>> r;
  for (unsigned i = 0; i < Lanes<T>::kCount; ++i) r.at[i] = pred(x.at[i], y.at[i]) ? Bits<T>(~Bits<T>(0)) : 0;
  return pack(r);
}

template <class T> inline V128 splat(T x) {
  Lanes<T> r;
  for (T& e : r.at) e = x;
  return pack(r);
}
template <class T> inline T extract(V128 a, uint32_t lane) {
  return lanes<T>(a).at[lane % Lanes<T>::kCount];
}
template <class T> inline V128 replace(V128 a, T x, uint32_t lane) {
  Lanes<T> r = lanes<T>(a);
  r.at[lane % Lanes<T>::kCount] = x;
  return pack(r);
}

// Integer helpers. Lane arithmetic is done on unsigned types (wrapping, no
// signed overflow); signed views are only compared or widened.
template <class T> inline T saturate(int64_t v) {
  if (v < int64_t(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (v > int64_t(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return T(v);
}
// Arithmetic shift right without shifting a negative value.
inline int64_t shift_right_signed(int64_t v, unsigned n) { return v >= 0 ? v >> n : ~(~v >> n); }

template <class T> inline V128 add(V128 a, V128 b) {
  return zip<Bits<T>>(a, b, [](Bits<T> x, Bits<T> y) { return Bits<T>(uint64_t(x) + y); });
}
template <class T> inline V128 sub(V128 a, V128 b) {
  return zip<Bits<T>>(a, b, [](Bits<T> x, Bits<T> y) { return Bits<T>(uint64_t(x) - y); });
}
template <class T> inline V128 mul(V128 a, V128 b) {
  return zip<Bits<T>>(a, b, [](Bits<T> x, Bits<T> y) { return Bits<T>(uint64_t(x) * y); });
}
template <class T> inline V128 neg(V128 a) {
  return map<Bits<T>>(a, [](Bits<T> x) { return Bits<T>(uint64_t(0) - x); });
}
// T signed; abs(INT_MIN) wraps to INT_MIN.
template <class T> inline V128 abs(V128 a) {
  return map<Bits<T>>(a, [](Bits<T> x) { return T(x) < 0 ? Bits<T>(uint64_t(0) - x) : x; });
}
// T gives the signedness and width (both fit in int64_t for 8/16-bit lanes).
template <class T> inline V128 add_sat(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return saturate<T>(int64_t(x) + int64_t(y)); });
}
template <class T> inline V128 sub_sat(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return saturate<T>(int64_t(x) - int64_t(y)); });
}
template <class T> inline V128 min(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return y < x ? y : x; });
}
template <class T> inline V128 max(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return x < y ? y : x; });
}
template <class T> inline V128 avgr_u(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return T((uint32_t(x) + y + 1) >> 1); });
}
template <class T> inline V128 shl(V128 a, uint32_t count) {
  const unsigned n = count % (8 * sizeof(T));
  return map<Bits<T>>(a, [n](Bits<T> x) { return Bits<T>(uint64_t(x) << n); });
}
template <class T> inline V128 shr_u(V128 a, uint32_t count) {
  const unsigned n = count % (8 * sizeof(T));
  return map<Bits<T>>(a, [n](Bits<T> x) { return Bits<T>(x >> n); });
}
// T signed.
template <class T> inline V128 shr_s(V128 a, uint32_t count) {
  const unsigned n = count % (8 * sizeof(T));
  return map<T>(a, [n](T x) { return T(shift_right_signed(x, n)); });
}
template <class T> inline uint32_t all_true(V128 a) {
  for (T x : lanes<T>(a).at)
    if (x == 0) return 0;
  return 1;
}
// T signed: bit i of the result is the sign of lane i.
template <class T> inline uint32_t bitmask(V128 a) {
  Lanes<T> x = lanes<T>(a);
  uint32_t r = 0;
  for (unsigned i = 0; i < Lanes<T>::kCount; ++i) r |= uint32_t(x.at[i] < 0) << i;
  return r;
}
// Lanes of a then lanes of b, each signed Wide lane saturated to Narrow.
template <class Narrow, class Wide> inline V128 narrow(V128 a, V128 b) {
  Lanes<Wide> x = lanes<Wide>(a);
  Lanes<Wide> y = lanes<Wide>(b);
  constexpr unsigned n = Lanes<Wide>::kCount;
  Lanes<Narrow> r;
  for (unsigned i = 0; i < n; ++i) {
    r.at[i] = saturate<Narrow>(x.at[i]);
    r.at[n + i] = saturate<Narrow>(y.at[i]);
  }
  return pack(r);
}
// Half of the Narrow lanes (starting at `first`) converted to Wide lanes; the
// signedness of Narrow picks sign or zero extension.
template <class Wide, class Narrow> inline V128 extend(V128 a, unsigned first) {
  Lanes<Narrow> x = lanes<Narrow>(a);
  Lanes<Wide> r;
  for (unsigned i = 0; i < Lanes<Wide>::kCount; ++i) r.at[i] = Wide(x.at[first + i]);
  return pack(r);
}
template <class Wide, class Narrow> inline V128 extmul(V128 a, V128 b, unsigned first) {
  using Product = std::conditional_t<std::is_signed<Narrow>::value, int64_t, uint64_t>;
  Lanes<Narrow> x = lanes<Narrow>(a);
  Lanes<Narrow> y = lanes<Narrow>(b);
  Lanes<Bits<Wide>> r;
  for (unsigned i = 0; i < Lanes<Wide>::kCount; ++i)
    r.at[i] = Bits<Wide>(Product(x.at[first + i]) * Product(y.at[first + i]));
  return pack(r);
}
template <class Wide, class Narrow> inline V128 extadd_pairwise(V128 a) {
  Lanes<Narrow> x = lanes<Narrow>(a);
  Lanes<Wide> r;
  for (unsigned i = 0; i < Lanes<Wide>::kCount; ++i) r.at[i] = Wide(Wide(x.at[2 * i]) + Wide(x.at[2 * i + 1]));
  return pack(r);
}

// Floating-point lanes follow the scalar semantics of float_ops.h, so a
// vector lane and the matching scalar instruction always agree.
// pmin = b < a ? b : a, pmax = a < b ? b : a, selecting the raw bits.
template <class F> inline V128 pmin(V128 a, V128 b) {
  Lanes<F> x = lanes<F>(a), y = lanes<F>(b);
  Lanes<Bits<F>> xb = lanes<Bits<F>>(a), yb = lanes<Bits<F>>(b);
  for (unsigned i = 0; i < Lanes<F>::kCount; ++i)
    if (y.at[i] < x.at[i]) xb.at[i] = yb.at[i];
  return pack(xb);
}
template <class F> inline V128 pmax(V128 a, V128 b) {
  Lanes<F> x = lanes<F>(a), y = lanes<F>(b);
  Lanes<Bits<F>> xb = lanes<Bits<F>>(a), yb = lanes<Bits<F>>(b);
  for (unsigned i = 0; i < Lanes<F>::kCount; ++i)
    if (x.at[i] < y.at[i]) xb.at[i] = yb.at[i];
  return pack(xb);
}

// Two f64 lanes converted by `conv` into lanes 0-1, lanes 2-3 zero.
template <class Out, class C> inline V128 from_f64x2_zero(V128 a, C conv) {
  Lanes<double> x = lanes<double>(a);
  Lanes<Out> r = {};
  r.at[0] = conv(x.at[0]);
  r.at[1] = conv(x.at[1]);
  return pack(r);
}

// Memory helpers: Raw holds the little-endian bytes read from memory.
template <class Raw> inline Lanes<Raw> raw_lanes(Raw raw) {
  Lanes<Raw> r = {};
  r.at[0] = raw;
  return r;
}
// 8 bytes as 4/8 Narrow lanes, each extended to a Wide lane.
template <class Wide, class Narrow> inline V128 load_extend(uint64_t raw8) {
  V128 v;
  std::memcpy(v.bytes, &raw8, 8);
  return extend<Wide, Narrow>(v, 0);
}

}  // namespace detail

// ---- Memory (value part only; see the calling convention above) ----
inline V128 V128Load(V128 raw) { return raw; }
inline V128 V128Load8x8S(uint64_t raw) { return detail::load_extend<int16_t, int8_t>(raw); }
inline V128 V128Load8x8U(uint64_t raw) { return detail::load_extend<uint16_t, uint8_t>(raw); }
inline V128 V128Load16x4S(uint64_t raw) { return detail::load_extend<int32_t, int16_t>(raw); }
inline V128 V128Load16x4U(uint64_t raw) { return detail::load_extend<uint32_t, uint16_t>(raw); }
inline V128 V128Load32x2S(uint64_t raw) { return detail::load_extend<int64_t, int32_t>(raw); }
inline V128 V128Load32x2U(uint64_t raw) { return detail::load_extend<uint64_t, uint32_t>(raw); }
inline V128 V128Load8Splat(uint8_t raw) { return detail::splat(raw); }
inline V128 V128Load16Splat(uint16_t raw) { return detail::splat(raw); }
inline V128 V128Load32Splat(uint32_t raw) { return detail::splat(raw); }
inline V128 V128Load64Splat(uint64_t raw) { return detail::splat(raw); }
inline V128 V128Load32Zero(uint32_t raw) { return detail::pack(detail::raw_lanes(raw)); }
inline V128 V128Load64Zero(uint64_t raw) { return detail::pack(detail::raw_lanes(raw)); }
inline V128 V128Load8Lane(V128 v, uint8_t x, uint32_t lane) { return detail::replace(v, x, lane); }
inline V128 V128Load16Lane(V128 v, uint16_t x, uint32_t lane) { return detail::replace(v, x, lane); }
inline V128 V128Load32Lane(V128 v, uint32_t x, uint32_t lane) { return detail::replace(v, x, lane); }
inline V128 V128Load64Lane(V128 v, uint64_t x, uint32_t lane) { return detail::replace(v, x, lane); }
inline V128 V128Store(V128 v) { return v; }
inline uint8_t V128Store8Lane(V128 v, uint32_t lane) { return detail::extract<uint8_t>(v, lane); }
inline uint16_t V128Store16Lane(V128 v, uint32_t lane) { return detail::extract<uint16_t>(v, lane); }
inline uint32_t V128Store32Lane(V128 v, uint32_t lane) { return detail::extract<uint32_t>(v, lane); }
inline uint64_t V128Store64Lane(V128 v, uint32_t lane) { return detail::extract<uint64_t>(v, lane); }

// ---- Constants, shuffles, splats, lanes ----
inline V128 V128Const(V128 imm) { return imm; }
// Lane i of the result is byte lanes16[i] of the 32 bytes a ++ b.
inline V128 I8x16Shuffle(V128 a, V128 b, const uint8_t* lanes16) {
  V128 r;
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned l = lanes16[i] % 32;
    r.bytes[i] = l < 16 ? a.bytes[l] : b.bytes[l - 16];
  }
  return r;
}
// Lane i of the result is a[b[i]], or 0 when b[i] >= 16.
inline V128 I8x16Swizzle(V128 a, V128 b) {
  V128 r;
  for (unsigned i = 0; i < 16; ++i) r.bytes[i] = b.bytes[i] < 16 ? a.bytes[b.bytes[i]] : 0;
  return r;
}
inline V128 I8x16Splat(uint32_t x) { return detail::splat(uint8_t(x)); }
inline V128 I16x8Splat(uint32_t x) { return detail::splat(uint16_t(x)); }
inline V128 I32x4Splat(uint32_t x) { return detail::splat(x); }
inline V128 I64x2Splat(uint64_t x) { return detail::splat(x); }
inline V128 F32x4Splat(float x) { return detail::splat(x); }
inline V128 F64x2Splat(double x) { return detail::splat(x); }

inline uint32_t I8x16ExtractLaneS(V128 a, uint32_t lane) { return uint32_t(int32_t(detail::extract<int8_t>(a, lane))); }
inline uint32_t I8x16ExtractLaneU(V128 a, uint32_t lane) { return detail::extract<uint8_t>(a, lane); }
inline uint32_t I16x8ExtractLaneS(V128 a, uint32_t lane) { return uint32_t(int32_t(detail::extract<int16_t>(a, lane))); }
inline uint32_t I16x8ExtractLaneU(V128 a, uint32_t lane) { return detail::extract<uint16_t>(a, lane); }
inline uint32_t I32x4ExtractLane(V128 a, uint32_t lane) { return detail::extract<uint32_t>(a, lane); }
inline uint64_t I64x2ExtractLane(V128 a, uint32_t lane) { return detail::extract<uint64_t>(a, lane); }
inline float F32x4ExtractLane(V128 a, uint32_t lane) { return detail::extract<float>(a, lane); }
inline double F64x2ExtractLane(V128 a, uint32_t lane) { return detail::extract<double>(a, lane); }
inline V128 I8x16ReplaceLane(V128 a, uint32_t x, uint32_t lane) { return detail::replace(a, uint8_t(x), lane); }
inline V128 I16x8ReplaceLane(V128 a, uint32_t x, uint32_t lane) { return detail::replace(a, uint16_t(x), lane); }
inline V128 I32x4ReplaceLane(V128 a, uint32_t x, uint32_t lane) { return detail::replace(a, x, lane); }
inline V128 I64x2ReplaceLane(V128 a, uint64_t x, uint32_t lane) { return detail::replace(a, x, lane); }
inline V128 F32x4ReplaceLane(V128 a, float x, uint32_t lane) { return detail::replace(a, x, lane); }
inline V128 F64x2ReplaceLane(V128 a, double x, uint32_t lane) { return detail::replace(a, x, lane); }

// ---- Integer comparisons ----
#define WS_SIMD_COMPARE(Id, T, op) \
  inline V128 Id(V128 a, V128 b) { return detail::compare<T>(a, b, [](T x, T y) { return x op y; }); }
WS_SIMD_COMPARE(I8x16Eq, uint8_t, ==)
WS_SIMD_COMPARE(I8x16Ne, uint8_t, !=)
WS_SIMD_COMPARE(I8x16LtS, int8_t, <)
WS_SIMD_COMPARE(I8x16LtU, uint8_t, <)
WS_SIMD_COMPARE(I8x16GtS, int8_t, >)
WS_SIMD_COMPARE(I8x16GtU, uint8_t, >)
WS_SIMD_COMPARE(I8x16LeS, int8_t, <=)
WS_SIMD_COMPARE(I8x16LeU, uint8_t, <=)
WS_SIMD_COMPARE(I8x16GeS, int8_t, >=)
WS_SIMD_COMPARE(I8x16GeU, uint8_t, >=)
WS_SIMD_COMPARE(I16x8Eq, uint16_t, ==)
WS_SIMD_COMPARE(I16x8Ne, uint16_t, !=)
WS_SIMD_COMPARE(I16x8LtS, int16_t, <)
WS_SIMD_COMPARE(I16x8LtU, uint16_t, <)
WS_SIMD_COMPARE(I16x8GtS, int16_t, >)
WS_SIMD_COMPARE(I16x8GtU, uint16_t, >)
WS_SIMD_COMPARE(I16x8LeS, int16_t, <=)
WS_SIMD_COMPARE(I16x8LeU, uint16_t, <=)
WS_SIMD_COMPARE(I16x8GeS, int16_t, >=)
WS_SIMD_COMPARE(I16x8GeU, uint16_t, >=)
WS_SIMD_COMPARE(I32x4Eq, uint32_t, ==)
WS_SIMD_COMPARE(I32x4Ne, uint32_t, !=)
WS_SIMD_COMPARE(I32x4LtS, int32_t, <)
WS_SIMD_COMPARE(I32x4LtU, uint32_t, <)
WS_SIMD_COMPARE(I32x4GtS, int32_t, >)
WS_SIMD_COMPARE(I32x4GtU, uint32_t, >)
WS_SIMD_COMPARE(I32x4LeS, int32_t, <=)
WS_SIMD_COMPARE(I32x4LeU, uint32_t, <=)
WS_SIMD_COMPARE(I32x4GeS, int32_t, >=)
WS_SIMD_COMPARE(I32x4GeU, uint32_t, >=)
WS_SIMD_COMPARE(I64x2Eq, uint64_t, ==)
WS_SIMD_COMPARE(I64x2Ne, uint64_t, !=)
WS_SIMD_COMPARE(I64x2LtS, int64_t, <)
WS_SIMD_COMPARE(I64x2GtS, int64_t, >)
WS_SIMD_COMPARE(I64x2LeS, int64_t, <=)
WS_SIMD_COMPARE(I64x2GeS, int64_t, >=)
// ---- Float comparisons (IEEE: every comparison with NaN is false but ne) ----
WS_SIMD_COMPARE(F32x4Eq, float, ==)
WS_SIMD_COMPARE(F32x4Ne, float, !=)
WS_SIMD_COMPARE(F32x4Lt, float, <)
WS_SIMD_COMPARE(F32x4Gt, float, >)
WS_SIMD_COMPARE(F32x4Le, float, <=)
WS_SIMD_COMPARE(F32x4Ge, float, >=)
WS_SIMD_COMPARE(F64x2Eq, double, ==)
WS_SIMD_COMPARE(F64x2Ne, double, !=)
WS_SIMD_COMPARE(F64x2Lt, double, <)
WS_SIMD_COMPARE(F64x2Gt, double, >)
WS_SIMD_COMPARE(F64x2Le, double, <=)
WS_SIMD_COMPARE(F64x2Ge, double, >=)
#undef WS_SIMD_COMPARE

// ---- Bitwise ----
inline V128 V128Not(V128 a) {
  return detail::map<uint64_t>(a, [](uint64_t x) { return ~x; });
}
inline V128 V128And(V128 a, V128 b) {
  return detail::zip<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & y; });
}
inline V128 V128AndNot(V128 a, V128 b) {
  return detail::zip<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & ~y; });
}
inline V128 V128Or(V128 a, V128 b) {
  return detail::zip<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x | y; });
}
inline V128 V128Xor(V128 a, V128 b) {
  return detail::zip<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x ^ y; });
}
// Bits of a where mask c is 1, bits of b where it is 0.
inline V128 V128Bitselect(V128 a, V128 b, V128 c) { return V128Or(V128And(a, c), V128AndNot(b, c)); }
inline uint32_t V128AnyTrue(V128 a) {
  detail::Lanes<uint64_t> x = detail::lanes<uint64_t>(a);
  return (x.at[0] | x.at[1]) != 0;
}

// ---- Integer lane arithmetic ----
inline V128 I8x16Abs(V128 a) { return detail::abs<int8_t>(a); }
inline V128 I16x8Abs(V128 a) { return detail::abs<int16_t>(a); }
inline V128 I32x4Abs(V128 a) { return detail::abs<int32_t>(a); }
inline V128 I64x2Abs(V128 a) { return detail::abs<int64_t>(a); }
inline V128 I8x16Neg(V128 a) { return detail::neg<uint8_t>(a); }
inline V128 I16x8Neg(V128 a) { return detail::neg<uint16_t>(a); }
inline V128 I32x4Neg(V128 a) { return detail::neg<uint32_t>(a); }
inline V128 I64x2Neg(V128 a) { return detail::neg<uint64_t>(a); }
inline V128 I8x16Popcnt(V128 a) {
  return detail::map<uint8_t>(a, [](uint8_t x) {
    uint8_t n = 0;
    for (; x != 0; x = uint8_t(x & (x - 1))) ++n;
    return n;
  });
}
inline V128 I8x16Add(V128 a, V128 b) { return detail::add<uint8_t>(a, b); }
inline V128 I16x8Add(V128 a, V128 b) { return detail::add<uint16_t>(a, b); }
inline V128 I32x4Add(V128 a, V128 b) { return detail::add<uint32_t>(a, b); }
inline V128 I64x2Add(V128 a, V128 b) { return detail::add<uint64_t>(a, b); }
inline V128 I8x16Sub(V128 a, V128 b) { return detail::sub<uint8_t>(a, b); }
inline V128 I16x8Sub(V128 a, V128 b) { return detail::sub<uint16_t>(a, b); }
inline V128 I32x4Sub(V128 a, V128 b) { return detail::sub<uint32_t>(a, b); }
inline V128 I64x2Sub(V128 a, V128 b) { return detail::sub<uint64_t>(a, b); }
inline V128 I16x8Mul(V128 a, V128 b) { return detail::mul<uint16_t>(a, b); }
inline V128 I32x4Mul(V128 a, V128 b) { return detail::mul<uint32_t>(a, b); }
inline V128 I64x2Mul(V128 a, V128 b) { return detail::mul<uint64_t>(a, b); }
inline V128 I8x16AddSatS(V128 a, V128 b) { return detail::add_sat<int8_t>(a, b); }
inline V128 I8x16AddSatU(V128 a, V128 b) { return detail::add_sat<uint8_t>(a, b); }
inline V128 I16x8AddSatS(V128 a, V128 b) { return detail::add_sat<int16_t>(a, b); }
inline V128 I16x8AddSatU(V128 a, V128 b) { return detail::add_sat<uint16_t>(a, b); }
inline V128 I8x16SubSatS(V128 a, V128 b) { return detail::sub_sat<int8_t>(a, b); }
inline V128 I8x16SubSatU(V128 a, V128 b) { return detail::sub_sat<uint8_t>(a, b); }
inline V128 I16x8SubSatS(V128 a, V128 b) { return detail::sub_sat<int16_t>(a, b); }
inline V128 I16x8SubSatU(V128 a, V128 b) { return detail::sub_sat<uint16_t>(a, b); }
inline V128 I8x16MinS(V128 a, V128 b) { return detail::min<int8_t>(a, b); }
inline V128 I8x16MinU(V128 a, V128 b) { return detail::min<uint8_t>(a, b); }
inline V128 I8x16MaxS(V128 a, V128 b) { return detail::max<int8_t>(a, b); }
inline V128 I8x16MaxU(V128 a, V128 b) { return detail::max<uint8_t>(a, b); }
inline V128 I16x8MinS(V128 a, V128 b) { return detail::min<int16_t>(a, b); }
inline V128 I16x8MinU(V128 a, V128 b) { return detail::min<uint16_t>(a, b); }
inline V128 I16x8MaxS(V128 a, V128 b) { return detail::max<int16_t>(a, b); }
inline V128 I16x8MaxU(V128 a, V128 b) { return detail::max<uint16_t>(a, b); }
inline V128 I32x4MinS(V128 a, V128 b) { return detail::min<int32_t>(a, b); }
inline V128 I32x4MinU(V128 a, V128 b) { return detail::min<uint32_t>(a, b); }
inline V128 I32x4MaxS(V128 a, V128 b) { return detail::max<int32_t>(a, b); }
inline V128 I32x4MaxU(V128 a, V128 b) { return detail::max<uint32_t>(a, b); }
inline V128 I8x16AvgrU(V128 a, V128 b) { return detail::avgr_u<uint8_t>(a, b); }
inline V128 I16x8AvgrU(V128 a, V128 b) { return detail::avgr_u<uint16_t>(a, b); }
// (a * b + 2^14) >> 15, saturated: only -32768 * -32768 overflows.
inline V128 I16x8Q15mulrSatS(V128 a, V128 b) {
  return detail::zip<int16_t>(a, b, [](int16_t x, int16_t y) {
    return detail::saturate<int16_t>(detail::shift_right_signed(int64_t(x) * y + 0x4000, 15));
  });
}
// Sums of adjacent products; (-32768 * -32768) * 2 wraps to INT32_MIN.
inline V128 I32x4DotI16x8S(V128 a, V128 b) {
  detail::Lanes<int16_t> x = detail::lanes<int16_t>(a), y = detail::lanes<int16_t>(b);
  detail::Lanes<uint32_t> r;
  for (unsigned i = 0; i < 4; ++i)
    r.at[i] = uint32_t(int64_t(x.at[2 * i]) * y.at[2 * i] + int64_t(x.at[2 * i + 1]) * y.at[2 * i + 1]);
  return detail::pack(r);
}

// ---- Tests and bitmasks ----
inline uint32_t I8x16AllTrue(V128 a) { return detail::all_true<uint8_t>(a); }
inline uint32_t I16x8AllTrue(V128 a) { return detail::all_true<uint16_t>(a); }
inline uint32_t I32x4AllTrue(V128 a) { return detail::all_true<uint32_t>(a); }
inline uint32_t I64x2AllTrue(V128 a) { return detail::all_true<uint64_t>(a); }
inline uint32_t I8x16Bitmask(V128 a) { return detail::bitmask<int8_t>(a); }
inline uint32_t I16x8Bitmask(V128 a) { return detail::bitmask<int16_t>(a); }
inline uint32_t I32x4Bitmask(V128 a) { return detail::bitmask<int32_t>(a); }
inline uint32_t I64x2Bitmask(V128 a) { return detail::bitmask<int64_t>(a); }

// ---- Shifts (count modulo the lane width) ----
inline V128 I8x16Shl(V128 a, uint32_t n) { return detail::shl<uint8_t>(a, n); }
inline V128 I8x16ShrS(V128 a, uint32_t n) { return detail::shr_s<int8_t>(a, n); }
inline V128 I8x16ShrU(V128 a, uint32_t n) { return detail::shr_u<uint8_t>(a, n); }
inline V128 I16x8Shl(V128 a, uint32_t n) { return detail::shl<uint16_t>(a, n); }
inline V128 I16x8ShrS(V128 a, uint32_t n) { return detail::shr_s<int16_t>(a, n); }
inline V128 I16x8ShrU(V128 a, uint32_t n) { return detail::shr_u<uint16_t>(a, n); }
inline V128 I32x4Shl(V128 a, uint32_t n) { return detail::shl<uint32_t>(a, n); }
inline V128 I32x4ShrS(V128 a, uint32_t n) { return detail::shr_s<int32_t>(a, n); }
inline V128 I32x4ShrU(V128 a, uint32_t n) { return detail::shr_u<uint32_t>(a, n); }
inline V128 I64x2Shl(V128 a, uint32_t n) { return detail::shl<uint64_t>(a, n); }
inline V128 I64x2ShrS(V128 a, uint32_t n) { return detail::shr_s<int64_t>(a, n); }
inline V128 I64x2ShrU(V128 a, uint32_t n) { return detail::shr_u<uint64_t>(a, n); }

// ---- Narrowing, widening ----
inline V128 I8x16NarrowI16x8S(V128 a, V128 b) { return detail::narrow<int8_t, int16_t>(a, b); }
inline V128 I8x16NarrowI16x8U(V128 a, V128 b) { return detail::narrow<uint8_t, int16_t>(a, b); }
inline V128 I16x8NarrowI32x4S(V128 a, V128 b) { return detail::narrow<int16_t, int32_t>(a, b); }
inline V128 I16x8NarrowI32x4U(V128 a, V128 b) { return detail::narrow<uint16_t, int32_t>(a, b); }
inline V128 I16x8ExtendLowI8x16S(V128 a) { return detail::extend<int16_t, int8_t>(a, 0); }
inline V128 I16x8ExtendHighI8x16S(V128 a) { return detail::extend<int16_t, int8_t>(a, 8); }
inline V128 I16x8ExtendLowI8x16U(V128 a) { return detail::extend<uint16_t, uint8_t>(a, 0); }
inline V128 I16x8ExtendHighI8x16U(V128 a) { return detail::extend<uint16_t, uint8_t>(a, 8); }
inline V128 I32x4ExtendLowI16x8S(V128 a) { return detail::extend<int32_t, int16_t>(a, 0); }
inline V128 I32x4ExtendHighI16x8S(V128 a) { return detail::extend<int32_t, int16_t>(a, 4); }
inline V128 I32x4ExtendLowI16x8U(V128 a) { return detail::extend<uint32_t, uint16_t>(a, 0); }
inline V128 I32x4ExtendHighI16x8U(V128 a) { return detail::extend<uint32_t, uint16_t>(a, 4); }
inline V128 I64x2ExtendLowI32x4S(V128 a) { return detail::extend<int64_t, int32_t>(a, 0); }
inline V128 I64x2ExtendHighI32x4S(V128 a) { return detail::extend<int64_t, int32_t>(a, 2); }
inline V128 I64x2ExtendLowI32x4U(V128 a) { return detail::extend<uint64_t, uint32_t>(a, 0); }
inline V128 I64x2ExtendHighI32x4U(V128 a) { return detail::extend<uint64_t, uint32_t>(a, 2); }
inline V128 I16x8ExtaddPairwiseI8x16S(V128 a) { return detail::extadd_pairwise<int16_t, int8_t>(a); }
inline V128 I16x8ExtaddPairwiseI8x16U(V128 a) { return detail::extadd_pairwise<uint16_t, uint8_t>(a); }
inline V128 I32x4ExtaddPairwiseI16x8S(V128 a) { return detail::extadd_pairwise<int32_t, int16_t>(a); }
inline V128 I32x4ExtaddPairwiseI16x8U(V128 a) { return detail::extadd_pairwise<uint32_t, uint16_t>(a); }
inline V128 I16x8ExtmulLowI8x16S(V128 a, V128 b) { return detail::extmul<int16_t, int8_t>(a, b, 0); }
inline V128 I16x8ExtmulHighI8x16S(V128 a, V128 b) { return detail::extmul<int16_t, int8_t>(a, b, 8); }
inline V128 I16x8ExtmulLowI8x16U(V128 a, V128 b) { return detail::extmul<uint16_t, uint8_t>(a, b, 0); }
inline V128 I16x8ExtmulHighI8x16U(V128 a, V128 b) { return detail::extmul<uint16_t, uint8_t>(a, b, 8); }
inline V128 I32x4ExtmulLowI16x8S(V128 a, V128 b) { return detail::extmul<int32_t, int16_t>(a, b, 0); }
inline V128 I32x4ExtmulHighI16x8S(V128 a, V128 b) { return detail::extmul<int32_t, int16_t>(a, b, 4); }
inline V128 I32x4ExtmulLowI16x8U(V128 a, V128 b) { return detail::extmul<uint32_t, uint16_t>(a, b, 0); }
inline V128 I32x4ExtmulHighI16x8U(V128 a, V128 b) { return detail::extmul<uint32_t, uint16_t>(a, b, 4); }
inline V128 I64x2ExtmulLowI32x4S(V128 a, V128 b) { return detail::extmul<int64_t, int32_t>(a, b, 0); }
inline V128 I64x2ExtmulHighI32x4S(V128 a, V128 b) { return detail::extmul<int64_t, int32_t>(a, b, 2); }
inline V128 I64x2ExtmulLowI32x4U(V128 a, V128 b) { return detail::extmul<uint64_t, uint32_t>(a, b, 0); }
inline V128 I64x2ExtmulHighI32x4U(V128 a, V128 b) { return detail::extmul<uint64_t, uint32_t>(a, b, 2); }

// ---- Float lane arithmetic ----
inline V128 F32x4Abs(V128 a) { return detail::map<float>(a, fops::abs<float>); }
inline V128 F64x2Abs(V128 a) { return detail::map<double>(a, fops::abs<double>); }
inline V128 F32x4Neg(V128 a) { return detail::map<float>(a, fops::neg<float>); }
inline V128 F64x2Neg(V128 a) { return detail::map<double>(a, fops::neg<double>); }
inline V128 F32x4Sqrt(V128 a) {
  return detail::map<float>(a, [](float x) { return std::sqrt(x); });
}
inline V128 F64x2Sqrt(V128 a) {
  return detail::map<double>(a, [](double x) { return std::sqrt(x); });
}
#define WS_SIMD_FLOAT_ARITH(Id, F, op) \
  inline V128 Id(V128 a, V128 b) { return detail::zip<F>(a, b, [](F x, F y) { return x op y; }); }
WS_SIMD_FLOAT_ARITH(F32x4Add, float, +)
WS_SIMD_FLOAT_ARITH(F32x4Sub, float, -)
WS_SIMD_FLOAT_ARITH(F32x4Mul, float, *)
WS_SIMD_FLOAT_ARITH(F32x4Div, float, /)
WS_SIMD_FLOAT_ARITH(F64x2Add, double, +)
WS_SIMD_FLOAT_ARITH(F64x2Sub, double, -)
WS_SIMD_FLOAT_ARITH(F64x2Mul, double, *)
WS_SIMD_FLOAT_ARITH(F64x2Div, double, /)
#undef WS_SIMD_FLOAT_ARITH
inline V128 F32x4Min(V128 a, V128 b) { return detail::zip<float>(a, b, fops::min<float>); }
inline V128 F32x4Max(V128 a, V128 b) { return detail::zip<float>(a, b, fops::max<float>); }
inline V128 F64x2Min(V128 a, V128 b) { return detail::zip<double>(a, b, fops::min<double>); }
inline V128 F64x2Max(V128 a, V128 b) { return detail::zip<double>(a, b, fops::max<double>); }
inline V128 F32x4Pmin(V128 a, V128 b) { return detail::pmin<float>(a, b); }
inline V128 F32x4Pmax(V128 a, V128 b) { return detail::pmax<float>(a, b); }
inline V128 F64x2Pmin(V128 a, V128 b) { return detail::pmin<double>(a, b); }
inline V128 F64x2Pmax(V128 a, V128 b) { return detail::pmax<double>(a, b); }
inline V128 F32x4Ceil(V128 a) { return detail::map<float>(a, [](float x) { return std::ceil(x); }); }
inline V128 F32x4Floor(V128 a) { return detail::map<float>(a, [](float x) { return std::floor(x); }); }
inline V128 F32x4Trunc(V128 a) { return detail::map<float>(a, [](float x) { return std::trunc(x); }); }
inline V128 F32x4Nearest(V128 a) { return detail::map<float>(a, fops::nearest<float>); }
inline V128 F64x2Ceil(V128 a) { return detail::map<double>(a, [](double x) { return std::ceil(x); }); }
inline V128 F64x2Floor(V128 a) { return detail::map<double>(a, [](double x) { return std::floor(x); }); }
inline V128 F64x2Trunc(V128 a) { return detail::map<double>(a, [](double x) { return std::trunc(x); }); }
inline V128 F64x2Nearest(V128 a) { return detail::map<double>(a, fops::nearest<double>); }

// ---- Conversions ----
inline V128 F32x4DemoteF64x2Zero(V128 a) {
  return detail::from_f64x2_zero<float>(a, [](double x) { return float(x); });
}
inline V128 F64x2PromoteLowF32x4(V128 a) {
  detail::Lanes<float> x = detail::lanes<float>(a);
  detail::Lanes<double> r;
  for (unsigned i = 0; i < 2; ++i) r.at[i] = double(x.at[i]);
  return detail::pack(r);
}
inline V128 I32x4TruncSatF32x4S(V128 a) {
  detail::Lanes<float> x = detail::lanes<float>(a);
  detail::Lanes<int32_t> r;
  for (unsigned i = 0; i < 4; ++i) r.at[i] = fops::trunc_sat<int32_t>(x.at[i]);
  return detail::pack(r);
}
inline V128 I32x4TruncSatF32x4U(V128 a) {
  detail::Lanes<float> x = detail::lanes<float>(a);
  detail::Lanes<uint32_t> r;
  for (unsigned i = 0; i < 4; ++i) r.at[i] = fops::trunc_sat<uint32_t>(x.at[i]);
  return detail::pack(r);
}
inline V128 I32x4TruncSatF64x2SZero(V128 a) {
  return detail::from_f64x2_zero<int32_t>(a, fops::trunc_sat<int32_t, double>);
}
inline V128 I32x4TruncSatF64x2UZero(V128 a) {
  return detail::from_f64x2_zero<uint32_t>(a, fops::trunc_sat<uint32_t, double>);
}
inline V128 F32x4ConvertI32x4S(V128 a) {
  detail::Lanes<int32_t> x = detail::lanes<int32_t>(a);
  detail::Lanes<float> r;
  for (unsigned i = 0; i < 4; ++i) r.at[i] = float(x.at[i]);
  return detail::pack(r);
}
inline V128 F32x4ConvertI32x4U(V128 a) {
  detail::Lanes<uint32_t> x = detail::lanes<uint32_t>(a);
  detail::Lanes<float> r;
  for (unsigned i = 0; i < 4; ++i) r.at[i] = float(x.at[i]);
  return detail::pack(r);
}
inline V128 F64x2ConvertLowI32x4S(V128 a) { return detail::extend<double, int32_t>(a, 0); }
inline V128 F64x2ConvertLowI32x4U(V128 a) { return detail::extend<double, uint32_t>(a, 0); }

}  // namespace ws::simd

// ---- Compile-time traits for handler generation ----

// Expands its arguments only for rows of opcodes.def with prefix 0xFD, so an
// X-macro can visit the SIMD instructions alone:
//   #define OP(id, text, prefix, code, imm, params, results) WS_IF_SIMD(prefix, case Op::id: ...)
#define WS_IF_SIMD(prefix, ...) WS_IF_SIMD_EXPAND_(prefix, __VA_ARGS__)
#define WS_IF_SIMD_EXPAND_(prefix, ...) WS_IF_SIMD_##prefix(__VA_ARGS__)
#define WS_IF_SIMD_0xFD(...) __VA_ARGS__
#define WS_IF_SIMD_0xFC(...)
#define WS_IF_SIMD_0x00(...)

namespace ws {

// The signature shape of simd::<Op id>, derived from the table row.
enum class SimdForm : uint8_t {
  NotSimd,      // not a 0xFD instruction
  Const,        // V128 f(V128 imm)
  Shuffle,      // V128 f(V128 a, V128 b, const uint8_t* lanes16)
  Splat,        // V128 f(T x)
  ExtractLane,  // T f(V128 a, uint32_t lane)
  ReplaceLane,  // V128 f(V128 a, T x, uint32_t lane)
  Unary,        // V128 f(V128 a)
  Binary,       // V128 f(V128 a, V128 b)
  Ternary,      // V128 f(V128 a, V128 b, V128 c)
  Shift,        // V128 f(V128 a, uint32_t count)
  Test,         // uint32_t f(V128 a)            (any_true, all_true, bitmask)
  Load,         // V128 f(Raw bytes)
  LoadLane,     // V128 f(V128 v, Raw x, uint32_t lane)
  Store,        // V128 f(V128 v)                (v128.store: the bytes to write)
  StoreLane,    // Raw f(V128 v, uint32_t lane)
};

constexpr SimdForm simd_form(Op op) {
  const OpInfo& info = kOpInfo[static_cast<unsigned>(op)];
  if (info.prefix != 0xFD) return SimdForm::NotSimd;
  switch (info.imm) {
    case Imm::V128: return SimdForm::Const;
    case Imm::Shuffle: return SimdForm::Shuffle;
    case Imm::Lane: return info.results == "v" ? SimdForm::ReplaceLane : SimdForm::ExtractLane;
    case Imm::Mem: return info.results.empty() ? SimdForm::Store : SimdForm::Load;
    case Imm::MemLane: return info.results.empty() ? SimdForm::StoreLane : SimdForm::LoadLane;
    default: break;
  }
  if (info.results == "i") return SimdForm::Test;
  if (info.params == "v") return SimdForm::Unary;
  if (info.params == "vv") return SimdForm::Binary;
  if (info.params == "vvv") return SimdForm::Ternary;
  if (info.params == "vi") return SimdForm::Shift;
  return SimdForm::Splat;
}

namespace simd::detail {
// sizeof(Raw) for the memory forms, read off the function's signature.
template <class Raw> constexpr unsigned raw_bytes(V128 (*)(Raw)) { return sizeof(Raw); }
template <class Raw> constexpr unsigned raw_bytes(V128 (*)(V128, Raw, uint32_t)) { return sizeof(Raw); }
template <class Raw> constexpr unsigned raw_bytes(Raw (*)(V128, uint32_t)) { return sizeof(Raw); }
template <class R, class... A> constexpr unsigned raw_bytes(R (*)(A...)) { return 0; }
constexpr bool is_memory(SimdForm f) {
  return f == SimdForm::Load || f == SimdForm::LoadLane || f == SimdForm::Store || f == SimdForm::StoreLane;
}
}  // namespace simd::detail

// Bytes a SIMD memory instruction reads or writes (0 for the others).
constexpr unsigned simd_access_bytes(Op op) {
  switch (op) {
#define OP(id, text, prefix, code, imm, params, results) \
  WS_IF_SIMD(prefix, case Op::id: return simd::detail::is_memory(simd_form(Op::id)) ? simd::detail::raw_bytes(&simd::id) : 0;)
#include "opcodes.def"
#undef OP
    default: return 0;
  }
}

namespace simd::detail {
template <class T> constexpr char type_char() {
  if (std::is_same<T, V128>::value) return 'v';
  if (std::is_same<T, uint32_t>::value) return 'i';
  if (std::is_same<T, uint64_t>::value) return 'l';
  if (std::is_same<T, float>::value) return 'f';
  if (std::is_same<T, double>::value) return 'd';
  return '?';
}
// True if fn's parameters are the table's params (+ a trailing uint32_t lane
// for lane forms) and its result is the table's result. Memory, Const and
// Shuffle forms have their own convention (see the top of this file).
template <class R, class... A> constexpr bool signature_matches(Op op, R (*)(A...)) {
  const SimdForm form = simd_form(op);
  if (is_memory(form) || form == SimdForm::Const || form == SimdForm::Shuffle) return true;
  const OpInfo& info = kOpInfo[static_cast<unsigned>(op)];
  const char got[] = {type_char<A>()..., '\0'};
  std::string_view params(got, sizeof...(A));
  if (form == SimdForm::ExtractLane || form == SimdForm::ReplaceLane) {
    if (params.empty() || params.back() != 'i') return false;
    params.remove_suffix(1);
  }
  return params == info.params && info.results.size() == 1 && info.results[0] == type_char<R>();
}
}  // namespace simd::detail

#define OP(id, text, prefix, code, imm, params, results) \
  WS_IF_SIMD(prefix, static_assert(simd::detail::signature_matches(Op::id, &simd::id), #id " signature differs from opcodes.def");)
#include "opcodes.def"
#undef OP

}  // namespace ws
