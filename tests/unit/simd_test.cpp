// Unit tests of vm/simd_ops.h: one group per instruction family, with the
// edge cases the spec calls out (saturation bounds, INT_MIN, NaN, -0).
#include "vm/simd_ops.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>

namespace ws {
namespace {

template <class T> constexpr unsigned kN = 16 / sizeof(T);

template <class T> V128 vec(std::initializer_list<T> lanes) {
  T at[kN<T>] = {};
  unsigned i = 0;
  for (T x : lanes) at[i++] = x;
  V128 v;
  std::memcpy(v.bytes, at, 16);
  return v;
}
template <class T> std::array<T, kN<T>> get(V128 v) {
  std::array<T, kN<T>> r;
  std::memcpy(r.data(), v.bytes, 16);
  return r;
}
template <class T> uint64_t bits(T x) {
  uint64_t b = 0;
  std::memcpy(&b, &x, sizeof(T));
  return b;
}
float f32_bits(uint32_t b) { float f; std::memcpy(&f, &b, 4); return f; }

constexpr uint32_t kF32CanonicalNan = 0x7FC00000;
constexpr uint64_t kF64CanonicalNan = 0x7FF8000000000000;
constexpr uint32_t kF32SignalingNan = 0x7F800001;
bool is_canonical_f32(float f) { return (bits(f) & 0x7FFFFFFF) == kF32CanonicalNan; }
bool is_canonical_f64(double d) { return (bits(d) & 0x7FFFFFFFFFFFFFFF) == kF64CanonicalNan; }
bool is_arithmetic_f32(float f) { return (bits(f) & 0x7FC00000) == 0x7FC00000; }
bool is_arithmetic_f64(double d) { return (bits(d) & 0x7FF8000000000000) == 0x7FF8000000000000; }

const float kInf = std::numeric_limits<float>::infinity();
const float kNanF = std::numeric_limits<float>::quiet_NaN();
const double kNanD = std::numeric_limits<double>::quiet_NaN();

using Lanes8 = std::array<int8_t, 16>;
using LanesU8 = std::array<uint8_t, 16>;
using Lanes16 = std::array<int16_t, 8>;
using LanesU16 = std::array<uint16_t, 8>;
using Lanes32 = std::array<int32_t, 4>;
using LanesU32 = std::array<uint32_t, 4>;
using Lanes64 = std::array<int64_t, 2>;
using LanesU64 = std::array<uint64_t, 2>;

TEST(SimdOps, IntegerAddSubMulWrap) {
  EXPECT_EQ(get<uint8_t>(simd::I8x16Add(vec<uint8_t>({255, 1}), vec<uint8_t>({1, 2})))[0], 0);
  EXPECT_EQ(get<uint8_t>(simd::I8x16Sub(vec<uint8_t>({0}), vec<uint8_t>({1})))[0], 255);
  EXPECT_EQ(get<uint16_t>(simd::I16x8Mul(vec<uint16_t>({0xFFFF, 300}), vec<uint16_t>({0xFFFF, 300})))[0], 1);
  EXPECT_EQ(get<uint16_t>(simd::I16x8Mul(vec<uint16_t>({0xFFFF, 300}), vec<uint16_t>({0xFFFF, 300})))[1],
            uint16_t(90000));
  EXPECT_EQ(get<int32_t>(simd::I32x4Add(vec<int32_t>({INT32_MAX}), vec<int32_t>({1})))[0], INT32_MIN);
  EXPECT_EQ(get<int32_t>(simd::I32x4Mul(vec<int32_t>({INT32_MIN, -3}), vec<int32_t>({-1, 7}))),
            (Lanes32{INT32_MIN, -21, 0, 0}));
  EXPECT_EQ(get<int64_t>(simd::I64x2Sub(vec<int64_t>({INT64_MIN, 5}), vec<int64_t>({1, 7}))),
            (Lanes64{INT64_MAX, -2}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2Mul(vec<uint64_t>({~0ull, 1ull << 32}), vec<uint64_t>({~0ull, 1ull << 32}))),
            (LanesU64{1, 0}));
}

TEST(SimdOps, AbsAndNegWrapAtIntMin) {
  EXPECT_EQ(get<int8_t>(simd::I8x16Abs(vec<int8_t>({-128, -5, 7, 0})))[0], -128);
  EXPECT_EQ(get<int8_t>(simd::I8x16Abs(vec<int8_t>({-128, -5, 7, 0})))[1], 5);
  EXPECT_EQ(get<int16_t>(simd::I16x8Abs(vec<int16_t>({INT16_MIN, -1})))[0], INT16_MIN);
  EXPECT_EQ(get<int32_t>(simd::I32x4Abs(vec<int32_t>({INT32_MIN, -1, 1, 0}))), (Lanes32{INT32_MIN, 1, 1, 0}));
  EXPECT_EQ(get<int64_t>(simd::I64x2Abs(vec<int64_t>({INT64_MIN, -9}))), (Lanes64{INT64_MIN, 9}));
  EXPECT_EQ(get<int8_t>(simd::I8x16Neg(vec<int8_t>({-128, 1})))[0], -128);
  EXPECT_EQ(get<int16_t>(simd::I16x8Neg(vec<int16_t>({INT16_MIN, 3})))[1], -3);
  EXPECT_EQ(get<int32_t>(simd::I32x4Neg(vec<int32_t>({INT32_MIN, 3})))[0], INT32_MIN);
  EXPECT_EQ(get<int64_t>(simd::I64x2Neg(vec<int64_t>({INT64_MIN, 3}))), (Lanes64{INT64_MIN, -3}));
}

TEST(SimdOps, SaturatingArithmetic) {
  EXPECT_EQ(get<int8_t>(simd::I8x16AddSatS(vec<int8_t>({127, -128, 5}), vec<int8_t>({1, -1, -6})))[0], 127);
  EXPECT_EQ(get<int8_t>(simd::I8x16AddSatS(vec<int8_t>({127, -128, 5}), vec<int8_t>({1, -1, -6})))[1], -128);
  EXPECT_EQ(get<int8_t>(simd::I8x16AddSatS(vec<int8_t>({127, -128, 5}), vec<int8_t>({1, -1, -6})))[2], -1);
  EXPECT_EQ(get<uint8_t>(simd::I8x16AddSatU(vec<uint8_t>({250, 3}), vec<uint8_t>({10, 4})))[0], 255);
  EXPECT_EQ(get<uint8_t>(simd::I8x16SubSatU(vec<uint8_t>({3, 10}), vec<uint8_t>({4, 4})))[0], 0);
  EXPECT_EQ(get<uint8_t>(simd::I8x16SubSatU(vec<uint8_t>({3, 10}), vec<uint8_t>({4, 4})))[1], 6);
  EXPECT_EQ(get<int8_t>(simd::I8x16SubSatS(vec<int8_t>({-128, 127}), vec<int8_t>({1, -1})))[0], -128);
  EXPECT_EQ(get<int8_t>(simd::I8x16SubSatS(vec<int8_t>({-128, 127}), vec<int8_t>({1, -1})))[1], 127);
  EXPECT_EQ(get<int16_t>(simd::I16x8AddSatS(vec<int16_t>({32767, -32768}), vec<int16_t>({1, -1})))[0], 32767);
  EXPECT_EQ(get<int16_t>(simd::I16x8AddSatS(vec<int16_t>({32767, -32768}), vec<int16_t>({1, -1})))[1], -32768);
  EXPECT_EQ(get<uint16_t>(simd::I16x8AddSatU(vec<uint16_t>({65535}), vec<uint16_t>({65535})))[0], 65535);
  EXPECT_EQ(get<int16_t>(simd::I16x8SubSatS(vec<int16_t>({-32768}), vec<int16_t>({32767})))[0], -32768);
  EXPECT_EQ(get<uint16_t>(simd::I16x8SubSatU(vec<uint16_t>({1}), vec<uint16_t>({65535})))[0], 0);
}

TEST(SimdOps, MinMaxAvgr) {
  EXPECT_EQ(get<int8_t>(simd::I8x16MinS(vec<int8_t>({-1, 5}), vec<int8_t>({1, 4})))[0], -1);
  EXPECT_EQ(get<uint8_t>(simd::I8x16MinU(vec<uint8_t>({255, 5}), vec<uint8_t>({1, 4})))[0], 1);
  EXPECT_EQ(get<int16_t>(simd::I16x8MaxS(vec<int16_t>({-1, 5}), vec<int16_t>({1, 4})))[0], 1);
  EXPECT_EQ(get<uint16_t>(simd::I16x8MaxU(vec<uint16_t>({65535}), vec<uint16_t>({1})))[0], 65535);
  EXPECT_EQ(get<int32_t>(simd::I32x4MinS(vec<int32_t>({INT32_MIN, 0}), vec<int32_t>({INT32_MAX, -1})))[0], INT32_MIN);
  EXPECT_EQ(get<uint32_t>(simd::I32x4MinU(vec<uint32_t>({0x80000000u, 0}), vec<uint32_t>({1, 0})))[0], 1u);
  EXPECT_EQ(get<uint32_t>(simd::I32x4MaxU(vec<uint32_t>({0x80000000u}), vec<uint32_t>({1})))[0], 0x80000000u);
  EXPECT_EQ(get<int32_t>(simd::I32x4MaxS(vec<int32_t>({INT32_MIN}), vec<int32_t>({-1})))[0], -1);
  // Rounding average: (a + b + 1) / 2 without overflow.
  EXPECT_EQ(get<uint8_t>(simd::I8x16AvgrU(vec<uint8_t>({255, 0, 1}), vec<uint8_t>({255, 1, 2}))),
            (LanesU8{255, 1, 2}));
  EXPECT_EQ(get<uint16_t>(simd::I16x8AvgrU(vec<uint16_t>({65535, 0, 2}), vec<uint16_t>({65534, 0, 3})))[0], 65535);
  EXPECT_EQ(get<uint16_t>(simd::I16x8AvgrU(vec<uint16_t>({65535, 0, 2}), vec<uint16_t>({65534, 0, 3})))[2], 3);
}

TEST(SimdOps, Q15MulrSat) {
  V128 r = simd::I16x8Q15mulrSatS(vec<int16_t>({-32768, 16384, -16384, 1, 3, -1}),
                                  vec<int16_t>({-32768, 16384, 16384, 16384, 16384, 16384}));
  // -1 * -1 saturates; 0.5 * 0.5 = 0.25; 1*0.5 rounds half up to 1; -1 * 0.5 = -0.5 rounds to 0.
  EXPECT_EQ(get<int16_t>(r), (Lanes16{32767, 8192, -8192, 1, 2, 0, 0, 0}));
}

TEST(SimdOps, DotProductWrapsAtTheTop) {
  V128 r = simd::I32x4DotI16x8S(vec<int16_t>({-32768, -32768, 1, 2, -3, 4, 100, -100}),
                                vec<int16_t>({-32768, -32768, 3, 4, 5, 6, 100, 100}));
  EXPECT_EQ(get<int32_t>(r), (Lanes32{INT32_MIN, 11, 9, 0}));
}

TEST(SimdOps, Comparisons) {
  EXPECT_EQ(get<uint8_t>(simd::I8x16LtS(vec<uint8_t>({0xFF, 1}), vec<uint8_t>({0, 1})))[0], 0xFF);
  EXPECT_EQ(get<uint8_t>(simd::I8x16LtU(vec<uint8_t>({0xFF, 1}), vec<uint8_t>({0, 1})))[0], 0);
  EXPECT_EQ(get<uint8_t>(simd::I8x16GeU(vec<uint8_t>({0xFF, 1}), vec<uint8_t>({0, 1})))[1], 0xFF);
  EXPECT_EQ(get<uint16_t>(simd::I16x8GtS(vec<int16_t>({1, -1}), vec<int16_t>({-1, 1}))),
            (LanesU16{0xFFFF, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(get<uint16_t>(simd::I16x8LeU(vec<uint16_t>({1, 0xFFFF}), vec<uint16_t>({1, 1}))),
            (LanesU16{0xFFFF, 0, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF}));
  EXPECT_EQ(get<uint32_t>(simd::I32x4Ne(vec<uint32_t>({1, 2, 3, 4}), vec<uint32_t>({1, 0, 3, 0}))),
            (LanesU32{0, ~0u, 0, ~0u}));
  EXPECT_EQ(get<uint32_t>(simd::I32x4LeS(vec<int32_t>({INT32_MIN, 0}), vec<int32_t>({INT32_MAX, -1})))[1], 0u);
  EXPECT_EQ(get<uint32_t>(simd::I32x4GtU(vec<int32_t>({INT32_MIN, 0}), vec<int32_t>({INT32_MAX, -1})))[0], ~0u);
  // i64x2 has signed comparisons only.
  EXPECT_EQ(get<uint64_t>(simd::I64x2LtS(vec<int64_t>({INT64_MIN, 0}), vec<int64_t>({INT64_MAX, -1}))),
            (LanesU64{~0ull, 0}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2GeS(vec<int64_t>({-1, 5}), vec<int64_t>({-1, 6}))), (LanesU64{~0ull, 0}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2Eq(vec<int64_t>({-1, 5}), vec<int64_t>({-1, 6}))), (LanesU64{~0ull, 0}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2Ne(vec<int64_t>({-1, 5}), vec<int64_t>({-1, 6}))), (LanesU64{0, ~0ull}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2GtS(vec<int64_t>({0, 5}), vec<int64_t>({-1, 6}))), (LanesU64{~0ull, 0}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2LeS(vec<int64_t>({0, 5}), vec<int64_t>({-1, 6}))), (LanesU64{0, ~0ull}));
}

TEST(SimdOps, FloatComparisonsWithNanAndZeros) {
  V128 a = vec<float>({kNanF, -0.0f, 1.0f, kNanF});
  V128 b = vec<float>({kNanF, 0.0f, 2.0f, 1.0f});
  EXPECT_EQ(get<uint32_t>(simd::F32x4Eq(a, b)), (LanesU32{0, ~0u, 0, 0}));
  EXPECT_EQ(get<uint32_t>(simd::F32x4Ne(a, b)), (LanesU32{~0u, 0, ~0u, ~0u}));
  EXPECT_EQ(get<uint32_t>(simd::F32x4Lt(a, b)), (LanesU32{0, 0, ~0u, 0}));
  EXPECT_EQ(get<uint32_t>(simd::F32x4Ge(a, b)), (LanesU32{0, ~0u, 0, 0}));
  V128 c = vec<double>({kNanD, -1.0});
  V128 d = vec<double>({0.0, -1.0});
  EXPECT_EQ(get<uint64_t>(simd::F64x2Le(c, d)), (LanesU64{0, ~0ull}));
  EXPECT_EQ(get<uint64_t>(simd::F64x2Gt(c, d)), (LanesU64{0, 0}));
  EXPECT_EQ(get<uint64_t>(simd::F64x2Ne(c, d)), (LanesU64{~0ull, 0}));
}

TEST(SimdOps, Bitwise) {
  V128 a = vec<uint64_t>({0xF0F0, 0x1234});
  V128 b = vec<uint64_t>({0xFF00, 0xFFFF});
  EXPECT_EQ(get<uint64_t>(simd::V128Not(a)), (LanesU64{~0xF0F0ull, ~0x1234ull}));
  EXPECT_EQ(get<uint64_t>(simd::V128And(a, b)), (LanesU64{0xF000, 0x1234}));
  EXPECT_EQ(get<uint64_t>(simd::V128AndNot(a, b)), (LanesU64{0x00F0, 0}));
  EXPECT_EQ(get<uint64_t>(simd::V128Or(a, b)), (LanesU64{0xFFF0, 0xFFFF}));
  EXPECT_EQ(get<uint64_t>(simd::V128Xor(a, b)), (LanesU64{0x0FF0, 0xEDCB}));
  V128 mask = vec<uint64_t>({0x00FF, ~0ull});
  EXPECT_EQ(get<uint64_t>(simd::V128Bitselect(a, b, mask)), (LanesU64{0xFFF0, 0x1234}));
  EXPECT_EQ(simd::V128AnyTrue(vec<uint8_t>({})), 0u);
  EXPECT_EQ(simd::V128AnyTrue(vec<uint8_t>({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80})), 1u);
}

TEST(SimdOps, AllTrueAndBitmask) {
  EXPECT_EQ(simd::I8x16AllTrue(vec<uint8_t>({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})), 1u);
  EXPECT_EQ(simd::I8x16AllTrue(vec<uint8_t>({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0})), 0u);
  EXPECT_EQ(simd::I16x8AllTrue(vec<uint16_t>({0x100, 1, 1, 1, 1, 1, 1, 1})), 1u);
  EXPECT_EQ(simd::I32x4AllTrue(vec<uint32_t>({1, 1, 0, 1})), 0u);
  EXPECT_EQ(simd::I64x2AllTrue(vec<uint64_t>({1ull << 63, 1})), 1u);
  EXPECT_EQ(simd::I8x16Bitmask(vec<int8_t>({-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1})), 0x8005u);
  EXPECT_EQ(simd::I16x8Bitmask(vec<int16_t>({0, -1, 0, 0, 0, 0, 0, INT16_MIN})), 0x82u);
  EXPECT_EQ(simd::I32x4Bitmask(vec<int32_t>({-1, 1, INT32_MIN, 0})), 0x5u);
  EXPECT_EQ(simd::I64x2Bitmask(vec<int64_t>({1, -1})), 0x2u);
}

TEST(SimdOps, ShiftsTakeTheCountModuloLaneWidth) {
  EXPECT_EQ(get<uint8_t>(simd::I8x16Shl(vec<uint8_t>({0x81}), 9))[0], 0x02);
  EXPECT_EQ(get<int8_t>(simd::I8x16ShrS(vec<int8_t>({-128, 64}), 7)), (Lanes8{-1, 0}));
  EXPECT_EQ(get<uint8_t>(simd::I8x16ShrU(vec<uint8_t>({0x80}), 15))[0], 0x01);
  EXPECT_EQ(get<int16_t>(simd::I16x8ShrS(vec<int16_t>({-4, 4}), 17))[0], -2);
  EXPECT_EQ(get<uint16_t>(simd::I16x8Shl(vec<uint16_t>({0x8001}), 16))[0], 0x8001);
  EXPECT_EQ(get<uint16_t>(simd::I16x8ShrU(vec<uint16_t>({0x8000}), 15))[0], 1);
  EXPECT_EQ(get<int32_t>(simd::I32x4ShrS(vec<int32_t>({INT32_MIN, -1, 5}), 31)), (Lanes32{-1, -1, 0, 0}));
  EXPECT_EQ(get<uint32_t>(simd::I32x4Shl(vec<uint32_t>({1}), 33))[0], 2u);
  EXPECT_EQ(get<uint32_t>(simd::I32x4ShrU(vec<uint32_t>({0x80000000u}), 0xFFFFFFFFu))[0], 1u);
  EXPECT_EQ(get<int64_t>(simd::I64x2ShrS(vec<int64_t>({INT64_MIN, -3}), 65)), (Lanes64{INT64_MIN / 2, -2}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2Shl(vec<uint64_t>({1, 3}), 63)), (LanesU64{1ull << 63, 1ull << 63}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2ShrU(vec<uint64_t>({1ull << 63}), 64))[0], 1ull << 63);
}

TEST(SimdOps, NarrowSaturatesSignedInputs) {
  V128 a = vec<int16_t>({-129, -128, 127, 128, 0, -1, 300, -300});
  V128 b = vec<int16_t>({1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(get<int8_t>(simd::I8x16NarrowI16x8S(a, b)),
            (Lanes8{-128, -128, 127, 127, 0, -1, 127, -128, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(get<uint8_t>(simd::I8x16NarrowI16x8U(a, b)),
            (LanesU8{0, 0, 127, 128, 0, 0, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8}));
  V128 c = vec<int32_t>({-40000, 40000, 65535, -1});
  EXPECT_EQ(get<int16_t>(simd::I16x8NarrowI32x4S(c, c)),
            (Lanes16{-32768, 32767, 32767, -1, -32768, 32767, 32767, -1}));
  EXPECT_EQ(get<uint16_t>(simd::I16x8NarrowI32x4U(c, c)), (LanesU16{0, 40000, 65535, 0, 0, 40000, 65535, 0}));
}

TEST(SimdOps, ExtendExtaddExtmul) {
  V128 bytes = vec<int8_t>({-1, 2, -128, 127, 0, 0, 0, 0, 5, -6, 0, 0, 0, 0, 0, -1});
  EXPECT_EQ(get<int16_t>(simd::I16x8ExtendLowI8x16S(bytes)), (Lanes16{-1, 2, -128, 127, 0, 0, 0, 0}));
  EXPECT_EQ(get<int16_t>(simd::I16x8ExtendHighI8x16S(bytes)), (Lanes16{5, -6, 0, 0, 0, 0, 0, -1}));
  EXPECT_EQ(get<uint16_t>(simd::I16x8ExtendLowI8x16U(bytes)), (LanesU16{255, 2, 128, 127, 0, 0, 0, 0}));
  EXPECT_EQ(get<uint16_t>(simd::I16x8ExtendHighI8x16U(bytes)), (LanesU16{5, 250, 0, 0, 0, 0, 0, 255}));
  V128 halves = vec<int16_t>({-1, INT16_MIN, 3, 4, -5, 6, 7, -8});
  EXPECT_EQ(get<int32_t>(simd::I32x4ExtendLowI16x8S(halves)), (Lanes32{-1, INT16_MIN, 3, 4}));
  EXPECT_EQ(get<uint32_t>(simd::I32x4ExtendHighI16x8U(halves)), (LanesU32{65531, 6, 7, 65528}));
  V128 words = vec<int32_t>({-1, 2, INT32_MIN, 4});
  EXPECT_EQ(get<int64_t>(simd::I64x2ExtendHighI32x4S(words)), (Lanes64{INT32_MIN, 4}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2ExtendLowI32x4U(words)), (LanesU64{0xFFFFFFFFull, 2}));

  EXPECT_EQ(get<int16_t>(simd::I16x8ExtaddPairwiseI8x16S(vec<int8_t>({-128, -128, 127, 127, -1, 1}))),
            (Lanes16{-256, 254, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(get<uint16_t>(simd::I16x8ExtaddPairwiseI8x16U(vec<uint8_t>({255, 255, 1, 2}))),
            (LanesU16{510, 3, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(get<int32_t>(simd::I32x4ExtaddPairwiseI16x8S(vec<int16_t>({INT16_MIN, INT16_MIN, 1, -2}))),
            (Lanes32{-65536, -1, 0, 0}));
  EXPECT_EQ(get<uint32_t>(simd::I32x4ExtaddPairwiseI16x8U(vec<uint16_t>({65535, 65535}))),
            (LanesU32{131070, 0, 0, 0}));

  EXPECT_EQ(get<int16_t>(simd::I16x8ExtmulLowI8x16S(vec<int8_t>({-128, 127}), vec<int8_t>({-128, -128})))[0],
            16384);
  EXPECT_EQ(get<uint16_t>(simd::I16x8ExtmulHighI8x16U(
                vec<uint8_t>({0, 0, 0, 0, 0, 0, 0, 0, 255}), vec<uint8_t>({0, 0, 0, 0, 0, 0, 0, 0, 255})))[0],
            65025);
  EXPECT_EQ(get<uint16_t>(simd::I16x8ExtmulLowI8x16U(vec<uint8_t>({3}), vec<uint8_t>({7})))[0], 21);
  EXPECT_EQ(get<int16_t>(simd::I16x8ExtmulHighI8x16S(vec<int8_t>({0, 0, 0, 0, 0, 0, 0, 0, -2}),
                                                     vec<int8_t>({0, 0, 0, 0, 0, 0, 0, 0, 9})))[0],
            -18);
  EXPECT_EQ(get<int32_t>(simd::I32x4ExtmulLowI16x8S(vec<int16_t>({INT16_MIN}), vec<int16_t>({INT16_MIN})))[0],
            1 << 30);
  EXPECT_EQ(get<uint32_t>(simd::I32x4ExtmulHighI16x8U(vec<uint16_t>({0, 0, 0, 0, 65535}),
                                                      vec<uint16_t>({0, 0, 0, 0, 65535})))[0],
            4294836225u);
  EXPECT_EQ(get<int32_t>(simd::I32x4ExtmulHighI16x8S(vec<int16_t>({0, 0, 0, 0, -3}), vec<int16_t>({0, 0, 0, 0, 5})))[0],
            -15);
  EXPECT_EQ(get<uint32_t>(simd::I32x4ExtmulLowI16x8U(vec<uint16_t>({2}), vec<uint16_t>({50000})))[0], 100000u);
  EXPECT_EQ(get<int64_t>(simd::I64x2ExtmulLowI32x4S(vec<int32_t>({INT32_MIN}), vec<int32_t>({INT32_MIN})))[0],
            int64_t(1) << 62);
  EXPECT_EQ(get<int64_t>(simd::I64x2ExtmulHighI32x4S(vec<int32_t>({0, 0, -1, 7}), vec<int32_t>({0, 0, 5, 7}))),
            (Lanes64{-5, 49}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2ExtmulHighI32x4U(vec<uint32_t>({0, 0, ~0u}), vec<uint32_t>({0, 0, ~0u})))[0],
            0xFFFFFFFE00000001ull);
  EXPECT_EQ(get<uint64_t>(simd::I64x2ExtmulLowI32x4U(vec<uint32_t>({~0u}), vec<uint32_t>({2})))[0], 0x1FFFFFFFEull);
}

TEST(SimdOps, Popcnt) {
  EXPECT_EQ(get<uint8_t>(simd::I8x16Popcnt(vec<uint8_t>({0, 1, 0xFF, 0x55, 0x80}))), (LanesU8{0, 1, 8, 4, 1}));
}

TEST(SimdOps, SplatExtractReplace) {
  EXPECT_EQ(get<uint8_t>(simd::I8x16Splat(0x1FF))[15], 0xFF);
  EXPECT_EQ(get<uint16_t>(simd::I16x8Splat(0x12345))[7], 0x2345);
  EXPECT_EQ(get<uint32_t>(simd::I32x4Splat(7))[3], 7u);
  EXPECT_EQ(get<uint64_t>(simd::I64x2Splat(1ull << 40))[1], 1ull << 40);
  EXPECT_EQ(bits(get<float>(simd::F32x4Splat(f32_bits(kF32SignalingNan)))[2]), kF32SignalingNan);
  EXPECT_EQ(get<double>(simd::F64x2Splat(-0.5))[1], -0.5);

  V128 v = vec<int8_t>({0, 0, 0, 0, 0, -1});
  EXPECT_EQ(simd::I8x16ExtractLaneS(v, 5), 0xFFFFFFFFu);
  EXPECT_EQ(simd::I8x16ExtractLaneU(v, 5), 0xFFu);
  V128 h = vec<int16_t>({0, 0, INT16_MIN});
  EXPECT_EQ(simd::I16x8ExtractLaneS(h, 2), 0xFFFF8000u);
  EXPECT_EQ(simd::I16x8ExtractLaneU(h, 2), 0x8000u);
  EXPECT_EQ(simd::I32x4ExtractLane(vec<uint32_t>({1, 2, 3, 4}), 3), 4u);
  EXPECT_EQ(simd::I64x2ExtractLane(vec<uint64_t>({1, 2}), 1), 2u);
  EXPECT_EQ(simd::F32x4ExtractLane(vec<float>({1, 2.5f}), 1), 2.5f);
  EXPECT_EQ(simd::F64x2ExtractLane(vec<double>({1, -2.5}), 1), -2.5);

  EXPECT_EQ(get<uint8_t>(simd::I8x16ReplaceLane(V128{}, 0x1AB, 15))[15], 0xAB);
  EXPECT_EQ(get<uint16_t>(simd::I16x8ReplaceLane(V128{}, 0xBEEF, 0))[0], 0xBEEF);
  EXPECT_EQ(get<uint32_t>(simd::I32x4ReplaceLane(vec<uint32_t>({1, 2, 3, 4}), 9, 2)), (LanesU32{1, 2, 9, 4}));
  EXPECT_EQ(get<uint64_t>(simd::I64x2ReplaceLane(V128{}, ~0ull, 1)), (LanesU64{0, ~0ull}));
  EXPECT_EQ(get<float>(simd::F32x4ReplaceLane(V128{}, -1.5f, 3))[3], -1.5f);
  EXPECT_EQ(get<double>(simd::F64x2ReplaceLane(V128{}, 3.25, 0))[0], 3.25);
}

TEST(SimdOps, SwizzleAndShuffle) {
  V128 a = vec<uint8_t>({10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25});
  V128 b = vec<uint8_t>({30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45});
  V128 idx = vec<uint8_t>({15, 0, 16, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 128});
  EXPECT_EQ(get<uint8_t>(simd::I8x16Swizzle(a, idx)),
            (LanesU8{25, 10, 0, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 0}));
  const uint8_t lanes[16] = {0, 16, 31, 15, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22};
  EXPECT_EQ(get<uint8_t>(simd::I8x16Shuffle(a, b, lanes)),
            (LanesU8{10, 30, 45, 25, 11, 31, 12, 32, 13, 33, 14, 34, 15, 35, 16, 36}));
}

TEST(SimdOps, FloatAbsNegKeepNanPayloads) {
  V128 v = vec<uint32_t>({0xFF800001u, 0x80000000u, 0x3F800000u, 0x7FC00000u});
  EXPECT_EQ(get<uint32_t>(simd::F32x4Abs(v)), (LanesU32{0x7F800001u, 0, 0x3F800000u, 0x7FC00000u}));
  EXPECT_EQ(get<uint32_t>(simd::F32x4Neg(v)), (LanesU32{0x7F800001u, 0, 0xBF800000u, 0xFFC00000u}));
  V128 d = vec<uint64_t>({0xFFF0000000000001ull, 0});
  EXPECT_EQ(get<uint64_t>(simd::F64x2Abs(d)), (LanesU64{0x7FF0000000000001ull, 0}));
  EXPECT_EQ(get<uint64_t>(simd::F64x2Neg(d)), (LanesU64{0x7FF0000000000001ull, 0x8000000000000000ull}));
}

TEST(SimdOps, FloatArithmetic) {
  V128 r = simd::F32x4Add(vec<float>({1.5f, kInf, 3e38f, kNanF}), vec<float>({2.25f, -kInf, 3e38f, 1.0f}));
  auto l = get<float>(r);
  EXPECT_EQ(l[0], 3.75f);
  EXPECT_TRUE(std::isnan(l[1]) && is_arithmetic_f32(l[1]));
  EXPECT_EQ(l[2], kInf);
  EXPECT_TRUE(is_arithmetic_f32(l[3]));
  EXPECT_EQ(get<float>(simd::F32x4Sub(vec<float>({1}), vec<float>({3})))[0], -2.0f);
  EXPECT_EQ(get<float>(simd::F32x4Mul(vec<float>({1.5f}), vec<float>({-2})))[0], -3.0f);
  EXPECT_EQ(get<float>(simd::F32x4Div(vec<float>({1}), vec<float>({-0.0f})))[0], -kInf);
  EXPECT_EQ(get<float>(simd::F32x4Sqrt(vec<float>({16, -0.0f})))[0], 4.0f);
  EXPECT_TRUE(std::signbit(get<float>(simd::F32x4Sqrt(vec<float>({16, -0.0f})))[1]));
  EXPECT_TRUE(std::isnan(get<float>(simd::F32x4Sqrt(vec<float>({-1})))[0]));
  EXPECT_EQ(get<double>(simd::F64x2Add(vec<double>({0.1, 1}), vec<double>({0.2, 2}))), (std::array<double, 2>{0.1 + 0.2, 3}));
  EXPECT_EQ(get<double>(simd::F64x2Sub(vec<double>({0.5}), vec<double>({0.25})))[0], 0.25);
  EXPECT_EQ(get<double>(simd::F64x2Mul(vec<double>({1e300}), vec<double>({1e10})))[0], HUGE_VAL);
  EXPECT_TRUE(std::isnan(get<double>(simd::F64x2Div(vec<double>({0.0}), vec<double>({0.0})))[0]));
  EXPECT_EQ(get<double>(simd::F64x2Sqrt(vec<double>({2.25})))[0], 1.5);
}

// min/max return a NaN when either operand is one: canonical for canonical
// inputs, arithmetic otherwise; and order -0 below +0.
TEST(SimdOps, FloatMinMaxPropagateNanAndOrderZeros) {
  V128 a = vec<float>({-0.0f, 0.0f, f32_bits(kF32SignalingNan), 1.0f});
  V128 b = vec<float>({0.0f, -0.0f, 1.0f, kNanF});
  auto mn = get<float>(simd::F32x4Min(a, b));
  auto mx = get<float>(simd::F32x4Max(a, b));
  EXPECT_EQ(bits(mn[0]), 0x80000000u);
  EXPECT_EQ(bits(mn[1]), 0x80000000u);
  EXPECT_EQ(bits(mx[0]), 0u);
  EXPECT_EQ(bits(mx[1]), 0u);
  EXPECT_TRUE(is_arithmetic_f32(mn[2]) && is_arithmetic_f32(mx[2]));
  EXPECT_TRUE(is_canonical_f32(mn[3]) && is_canonical_f32(mx[3]));
  EXPECT_EQ(get<float>(simd::F32x4Min(vec<float>({-kInf}), vec<float>({3})))[0], -kInf);
  auto dmn = get<double>(simd::F64x2Min(vec<double>({-0.0, kNanD}), vec<double>({0.0, 1})));
  auto dmx = get<double>(simd::F64x2Max(vec<double>({-0.0, 2}), vec<double>({0.0, 1})));
  EXPECT_EQ(bits(dmn[0]), 0x8000000000000000ull);
  EXPECT_TRUE(is_canonical_f64(dmn[1]));
  EXPECT_EQ(bits(dmx[0]), 0u);
  EXPECT_EQ(dmx[1], 2.0);
}

TEST(SimdOps, PseudoMinMaxSelectOperandBits) {
  // pmin = b < a ? b : a; pmax = a < b ? b : a. NaN or equal -> a, unchanged.
  V128 a = vec<uint32_t>({kF32SignalingNan, 0x80000000u, 0x3F800000u, 0x40000000u});  // sNaN, -0, 1, 2
  V128 b = vec<uint32_t>({0x3F800000u, 0x00000000u, kF32SignalingNan, 0x3F800000u});  // 1, +0, sNaN, 1
  EXPECT_EQ(get<uint32_t>(simd::F32x4Pmin(a, b)), (LanesU32{kF32SignalingNan, 0x80000000u, 0x3F800000u, 0x3F800000u}));
  EXPECT_EQ(get<uint32_t>(simd::F32x4Pmax(a, b)), (LanesU32{kF32SignalingNan, 0x80000000u, 0x3F800000u, 0x40000000u}));
  V128 c = vec<double>({1, -0.0});
  V128 d = vec<double>({2, 0.0});
  EXPECT_EQ(get<double>(simd::F64x2Pmin(c, d))[0], 1.0);
  EXPECT_EQ(get<double>(simd::F64x2Pmax(c, d))[0], 2.0);
  EXPECT_TRUE(std::signbit(get<double>(simd::F64x2Pmax(c, d))[1]));
  EXPECT_TRUE(std::signbit(get<double>(simd::F64x2Pmin(c, d))[1]));
}

TEST(SimdOps, Rounding) {
  V128 v = vec<float>({-0.5f, 2.5f, -1.5f, f32_bits(kF32SignalingNan)});
  auto ceil = get<float>(simd::F32x4Ceil(v));
  auto floor = get<float>(simd::F32x4Floor(v));
  auto trunc = get<float>(simd::F32x4Trunc(v));
  auto nearest = get<float>(simd::F32x4Nearest(v));
  EXPECT_EQ(bits(ceil[0]), 0x80000000u);  // ceil(-0.5) = -0
  EXPECT_EQ(ceil[1], 3.0f);
  EXPECT_EQ(floor[0], -1.0f);
  EXPECT_EQ(floor[2], -2.0f);
  EXPECT_EQ(bits(trunc[0]), 0x80000000u);
  EXPECT_EQ(trunc[2], -1.0f);
  EXPECT_EQ(bits(nearest[0]), 0x80000000u);
  EXPECT_EQ(nearest[1], 2.0f);  // half to even
  EXPECT_EQ(nearest[2], -2.0f);
  for (auto r : {ceil[3], floor[3], trunc[3], nearest[3]}) EXPECT_TRUE(is_arithmetic_f32(r));
  auto inf = get<float>(simd::F32x4Floor(vec<float>({kInf, -kInf, -0.0f})));
  EXPECT_EQ(inf[0], kInf);
  EXPECT_EQ(inf[1], -kInf);
  EXPECT_EQ(bits(inf[2]), 0x80000000u);

  V128 d = vec<double>({4503599627370497.0, -2.5});  // 2^52 + 1 is already an integer
  EXPECT_EQ(get<double>(simd::F64x2Nearest(d)), (std::array<double, 2>{4503599627370497.0, -2.0}));
  EXPECT_EQ(get<double>(simd::F64x2Ceil(d))[1], -2.0);
  EXPECT_EQ(get<double>(simd::F64x2Floor(d))[1], -3.0);
  EXPECT_EQ(get<double>(simd::F64x2Trunc(d))[1], -2.0);
  EXPECT_TRUE(is_canonical_f64(get<double>(simd::F64x2Trunc(vec<double>({-kNanD})))[0]));
}

TEST(SimdOps, TruncSatConversions) {
  V128 f = vec<float>({kNanF, 3e9f, -3e9f, -2.9f});
  EXPECT_EQ(get<int32_t>(simd::I32x4TruncSatF32x4S(f)), (Lanes32{0, INT32_MAX, INT32_MIN, -2}));
  EXPECT_EQ(get<uint32_t>(simd::I32x4TruncSatF32x4U(f)), (LanesU32{0, 3000000000u, 0, 0}));
  V128 g = vec<float>({2147483520.0f, -2147483648.0f, 4294967040.0f, -0.99f});
  EXPECT_EQ(get<int32_t>(simd::I32x4TruncSatF32x4S(g))[0], 2147483520);
  EXPECT_EQ(get<int32_t>(simd::I32x4TruncSatF32x4S(g))[1], INT32_MIN);
  EXPECT_EQ(get<uint32_t>(simd::I32x4TruncSatF32x4U(g))[2], 4294967040u);
  EXPECT_EQ(get<uint32_t>(simd::I32x4TruncSatF32x4U(g))[3], 0u);
  EXPECT_EQ(get<uint32_t>(simd::I32x4TruncSatF32x4U(vec<float>({kInf})))[0], ~0u);
  V128 d = vec<double>({2147483647.9, -2147483648.9});
  EXPECT_EQ(get<int32_t>(simd::I32x4TruncSatF64x2SZero(d)), (Lanes32{INT32_MAX, INT32_MIN, 0, 0}));
  V128 e = vec<double>({4294967295.5, kNanD});
  EXPECT_EQ(get<uint32_t>(simd::I32x4TruncSatF64x2UZero(e)), (LanesU32{~0u, 0, 0, 0}));
  EXPECT_EQ(get<int32_t>(simd::I32x4TruncSatF64x2SZero(vec<double>({kNanD, -1e300})))[1], INT32_MIN);
}

TEST(SimdOps, IntToFloatConversions) {
  EXPECT_EQ(get<float>(simd::F32x4ConvertI32x4S(vec<int32_t>({INT32_MIN, -1, 16777217, 0}))),
            (std::array<float, 4>{-2147483648.0f, -1.0f, 16777216.0f, 0.0f}));
  EXPECT_EQ(get<float>(simd::F32x4ConvertI32x4U(vec<uint32_t>({~0u, 16777219u, 1}))),
            (std::array<float, 4>{4294967296.0f, 16777220.0f, 1.0f, 0.0f}));
  EXPECT_EQ(get<double>(simd::F64x2ConvertLowI32x4S(vec<int32_t>({INT32_MIN, -1, 5, 5}))),
            (std::array<double, 2>{-2147483648.0, -1.0}));
  EXPECT_EQ(get<double>(simd::F64x2ConvertLowI32x4U(vec<uint32_t>({~0u, 1, 5, 5}))),
            (std::array<double, 2>{4294967295.0, 1.0}));
}

TEST(SimdOps, DemotePromote) {
  auto demoted = get<uint32_t>(simd::F32x4DemoteF64x2Zero(vec<double>({1e300, kNanD})));
  EXPECT_EQ(demoted[0], bits(kInf));
  EXPECT_TRUE(is_canonical_f32(f32_bits(demoted[1])));
  EXPECT_EQ(demoted[2], 0u);
  EXPECT_EQ(demoted[3], 0u);
  EXPECT_EQ(get<float>(simd::F32x4DemoteF64x2Zero(vec<double>({0.1, -0.0})))[0], 0.1f);
  EXPECT_EQ(bits(get<float>(simd::F32x4DemoteF64x2Zero(vec<double>({0.1, -0.0})))[1]), 0x80000000u);
  auto promoted = get<double>(simd::F64x2PromoteLowF32x4(vec<float>({0.1f, f32_bits(kF32SignalingNan), 7, 7})));
  EXPECT_EQ(promoted[0], double(0.1f));
  EXPECT_TRUE(is_arithmetic_f64(promoted[1]));
  EXPECT_TRUE(is_canonical_f64(get<double>(simd::F64x2PromoteLowF32x4(vec<float>({kNanF})))[0]));
}

TEST(SimdOps, LoadTransforms) {
  uint64_t raw = 0x8007FF0180FF7F01ull;
  EXPECT_EQ(get<int16_t>(simd::V128Load8x8S(raw)), (Lanes16{1, 127, -1, -128, 1, -1, 7, -128}));
  EXPECT_EQ(get<uint16_t>(simd::V128Load8x8U(raw)), (LanesU16{1, 127, 255, 128, 1, 255, 7, 128}));
  EXPECT_EQ(get<int32_t>(simd::V128Load16x4S(raw)), (Lanes32{0x7F01, -32513, -255, -32761}));
  EXPECT_EQ(get<uint32_t>(simd::V128Load16x4U(raw)), (LanesU32{0x7F01, 0x80FF, 0xFF01, 0x8007}));
  EXPECT_EQ(get<int64_t>(simd::V128Load32x2S(raw)), (Lanes64{int32_t(0x80FF7F01u), 0x8007FF01 - 0x100000000ll}));
  EXPECT_EQ(get<uint64_t>(simd::V128Load32x2U(raw)), (LanesU64{0x80FF7F01u, 0x8007FF01u}));
  EXPECT_EQ(get<uint8_t>(simd::V128Load8Splat(0xAB)),
            (LanesU8{0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB}));
  EXPECT_EQ(get<uint16_t>(simd::V128Load16Splat(0xABCD))[7], 0xABCD);
  EXPECT_EQ(get<uint32_t>(simd::V128Load32Splat(0xDEADBEEF)), (LanesU32{0xDEADBEEF, 0xDEADBEEF, 0xDEADBEEF, 0xDEADBEEF}));
  EXPECT_EQ(get<uint64_t>(simd::V128Load64Splat(raw)), (LanesU64{raw, raw}));
  EXPECT_EQ(get<uint32_t>(simd::V128Load32Zero(0xDEADBEEF)), (LanesU32{0xDEADBEEF, 0, 0, 0}));
  EXPECT_EQ(get<uint64_t>(simd::V128Load64Zero(raw)), (LanesU64{raw, 0}));
  V128 v = vec<uint64_t>({0x1111111111111111ull, 0x2222222222222222ull});
  EXPECT_EQ(get<uint8_t>(simd::V128Load8Lane(v, 0xAB, 15))[15], 0xAB);
  EXPECT_EQ(get<uint8_t>(simd::V128Load8Lane(v, 0xAB, 15))[14], 0x22);
  EXPECT_EQ(get<uint16_t>(simd::V128Load16Lane(v, 0xABCD, 1))[1], 0xABCD);
  EXPECT_EQ(get<uint32_t>(simd::V128Load32Lane(v, 0xABCD1234, 3)),
            (LanesU32{0x11111111, 0x11111111, 0x22222222, 0xABCD1234}));
  EXPECT_EQ(get<uint64_t>(simd::V128Load64Lane(v, 5, 0)), (LanesU64{5, 0x2222222222222222ull}));
  EXPECT_EQ(simd::V128Load(v), v);
}

TEST(SimdOps, StoreTransforms) {
  V128 v = vec<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  EXPECT_EQ(simd::V128Store(v), v);
  EXPECT_EQ(simd::V128Store8Lane(v, 13), 13);
  EXPECT_EQ(simd::V128Store16Lane(v, 7), 0x0F0E);
  EXPECT_EQ(simd::V128Store32Lane(v, 1), 0x07060504u);
  EXPECT_EQ(simd::V128Store64Lane(v, 1), 0x0F0E0D0C0B0A0908ull);
  EXPECT_EQ(simd::V128Const(v), v);
}

// Lane indices are validated before execution; out-of-range ones must still
// stay inside the vector.
TEST(SimdOps, OutOfRangeImmediatesStayInBounds) {
  V128 v = vec<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  EXPECT_LT(simd::I8x16ExtractLaneU(v, 1000), 16u);
  EXPECT_EQ(simd::V128Store64Lane(simd::V128Load64Lane(v, 7, 99), 99), 7u);
  const uint8_t lanes[16] = {255, 200, 64, 33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  (void)simd::I8x16Shuffle(v, v, lanes);
}

TEST(SimdTraits, FormsFollowTheTable) {
  EXPECT_EQ(simd_form(Op::I32Add), SimdForm::NotSimd);
  EXPECT_EQ(simd_form(Op::I32TruncSatF32S), SimdForm::NotSimd);
  EXPECT_EQ(simd_form(Op::V128Const), SimdForm::Const);
  EXPECT_EQ(simd_form(Op::I8x16Shuffle), SimdForm::Shuffle);
  EXPECT_EQ(simd_form(Op::I8x16Swizzle), SimdForm::Binary);
  EXPECT_EQ(simd_form(Op::F64x2Splat), SimdForm::Splat);
  EXPECT_EQ(simd_form(Op::I8x16ExtractLaneS), SimdForm::ExtractLane);
  EXPECT_EQ(simd_form(Op::F32x4ReplaceLane), SimdForm::ReplaceLane);
  EXPECT_EQ(simd_form(Op::V128Not), SimdForm::Unary);
  EXPECT_EQ(simd_form(Op::V128Bitselect), SimdForm::Ternary);
  EXPECT_EQ(simd_form(Op::I64x2ShrS), SimdForm::Shift);
  EXPECT_EQ(simd_form(Op::V128AnyTrue), SimdForm::Test);
  EXPECT_EQ(simd_form(Op::I32x4Bitmask), SimdForm::Test);
  EXPECT_EQ(simd_form(Op::V128Load), SimdForm::Load);
  EXPECT_EQ(simd_form(Op::V128Load32Zero), SimdForm::Load);
  EXPECT_EQ(simd_form(Op::V128Store), SimdForm::Store);
  EXPECT_EQ(simd_form(Op::V128Load16Lane), SimdForm::LoadLane);
  EXPECT_EQ(simd_form(Op::V128Store64Lane), SimdForm::StoreLane);
  static_assert(simd_form(Op::I16x8Q15mulrSatS) == SimdForm::Binary, "usable at compile time");
}

TEST(SimdTraits, AccessBytes) {
  EXPECT_EQ(simd_access_bytes(Op::V128Load), 16u);
  EXPECT_EQ(simd_access_bytes(Op::V128Store), 16u);
  EXPECT_EQ(simd_access_bytes(Op::V128Load8x8S), 8u);
  EXPECT_EQ(simd_access_bytes(Op::V128Load16Splat), 2u);
  EXPECT_EQ(simd_access_bytes(Op::V128Load32Zero), 4u);
  EXPECT_EQ(simd_access_bytes(Op::V128Load8Lane), 1u);
  EXPECT_EQ(simd_access_bytes(Op::V128Load64Lane), 8u);
  EXPECT_EQ(simd_access_bytes(Op::V128Store16Lane), 2u);
  EXPECT_EQ(simd_access_bytes(Op::V128Store32Lane), 4u);
  EXPECT_EQ(simd_access_bytes(Op::I8x16Add), 0u);
  EXPECT_EQ(simd_access_bytes(Op::I32Load), 0u);
}

TEST(SimdTraits, EverySimdRowHasAForm) {
  for (unsigned i = 0; i < kOpCount; ++i) {
    const bool is_simd = kOpInfo[i].prefix == 0xFD;
    EXPECT_EQ(simd_form(static_cast<Op>(i)) != SimdForm::NotSimd, is_simd) << kOpInfo[i].name;
  }
}

}  // namespace
}  // namespace ws
