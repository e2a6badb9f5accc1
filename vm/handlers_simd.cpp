// SIMD handlers, generated from opcodes.def and the per-instruction functions
// of simd_ops.h: one handler template per signature shape (SimdForm), one
// instantiation per instruction. A v128 occupies two slots; memory forms do
// their bounds checks here like the scalar loads and stores.
#include <tuple>

#include "handlers_impl.h"
#include "simd_ops.h"

namespace ws {
namespace {

inline V128 ld(const uint64_t* fp, uint64_t slot) {
  V128 v;
  std::memcpy(v.bytes, fp + slot, 16);
  return v;
}
inline void st(uint64_t* fp, uint64_t slot, const V128& v) { std::memcpy(fp + slot, v.bytes, 16); }

// Result and argument types of a function pointer type.
template <class F> struct Sig;
template <class R, class... A> struct Sig<R (*)(A...)> {
  using Ret = R;
  template <size_t I> using Arg = std::tuple_element_t<I, std::tuple<A...>>;
};
template <auto Fn> using Ret = typename Sig<decltype(Fn)>::Ret;
template <auto Fn, size_t I> using Arg = typename Sig<decltype(Fn)>::template Arg<I>;

// Reads a scalar operand of type T from a slot, or writes a result.
template <class T> inline T get(const uint64_t* fp, uint64_t slot) { return rd<T>(fp, slot); }
template <> inline V128 get<V128>(const uint64_t* fp, uint64_t slot) { return ld(fp, slot); }
template <class T> inline void put(uint64_t* fp, uint64_t slot, T v) { wr<T>(fp, slot, v); }
template <> inline void put<V128>(uint64_t* fp, uint64_t slot, V128 v) { st(fp, slot, v); }

#define MEMORY_EA(addr_word, offset_word, size)                          \
  const uint64_t ea = uint64_t(rd<uint32_t>(fp, ip[addr_word].u)) + ip[offset_word].u; \
  if (__builtin_expect(!in_bounds(ea, size, msize), 0)) TRAP(MemoryOutOfBounds)

// [dst, a]: Unary, Test, Splat
template <auto Fn> HANDLER(simd_1) {
  put(fp, ip[1].u, Fn(get<Arg<Fn, 0>>(fp, ip[2].u)));
  NEXT(3);
}
// [dst, a, b]: Binary, Shift
template <auto Fn> HANDLER(simd_2) {
  put(fp, ip[1].u, Fn(get<Arg<Fn, 0>>(fp, ip[2].u), get<Arg<Fn, 1>>(fp, ip[3].u)));
  NEXT(4);
}
// [dst, a, b, c]: Ternary
template <auto Fn> HANDLER(simd_3) {
  put(fp, ip[1].u, Fn(ld(fp, ip[2].u), ld(fp, ip[3].u), ld(fp, ip[4].u)));
  NEXT(5);
}
// [dst, a, lane]
template <auto Fn> HANDLER(simd_extract) {
  put(fp, ip[1].u, Fn(ld(fp, ip[2].u), uint32_t(ip[3].u)));
  NEXT(4);
}
// [dst, a, x, lane]
template <auto Fn> HANDLER(simd_replace) {
  put(fp, ip[1].u, Fn(ld(fp, ip[2].u), get<Arg<Fn, 1>>(fp, ip[3].u), uint32_t(ip[4].u)));
  NEXT(5);
}
// [dst, a, b, lanes 0-7, lanes 8-15]
template <auto Fn> HANDLER(simd_shuffle) {
  uint8_t lanes[16];
  std::memcpy(lanes, &ip[4], 16);
  put(fp, ip[1].u, Fn(ld(fp, ip[2].u), ld(fp, ip[3].u), lanes));
  NEXT(6);
}
// [dst, addr, offset]
template <auto Fn> HANDLER(simd_load) {
  using Raw = Arg<Fn, 0>;
  MEMORY_EA(2, 3, sizeof(Raw));
  Raw raw;
  std::memcpy(&raw, mem + ea, sizeof raw);
  put(fp, ip[1].u, Fn(raw));
  NEXT(4);
}
// [dst, addr, v, offset, lane]
template <auto Fn> HANDLER(simd_load_lane) {
  using Raw = Arg<Fn, 1>;
  MEMORY_EA(2, 4, sizeof(Raw));
  Raw raw;
  std::memcpy(&raw, mem + ea, sizeof raw);
  put(fp, ip[1].u, Fn(ld(fp, ip[3].u), raw, uint32_t(ip[5].u)));
  NEXT(6);
}
// [addr, v, offset]
template <auto Fn> HANDLER(simd_store) {
  MEMORY_EA(1, 3, 16);
  const V128 bytes = Fn(ld(fp, ip[2].u));
  std::memcpy(mem + ea, bytes.bytes, 16);
  NEXT(4);
}
// [addr, v, offset, lane]
template <auto Fn> HANDLER(simd_store_lane) {
  using Raw = Ret<Fn>;
  MEMORY_EA(1, 3, sizeof(Raw));
  const Raw raw = Fn(ld(fp, ip[2].u), uint32_t(ip[4].u));
  std::memcpy(mem + ea, &raw, sizeof raw);
  NEXT(5);
}

template <Op op, auto Fn>
constexpr Handler simd_handler() {
  constexpr SimdForm form = simd_form(op);
  if constexpr (form == SimdForm::Unary || form == SimdForm::Test || form == SimdForm::Splat)
    return simd_1<Fn>;
  else if constexpr (form == SimdForm::Binary || form == SimdForm::Shift) return simd_2<Fn>;
  else if constexpr (form == SimdForm::Ternary) return simd_3<Fn>;
  else if constexpr (form == SimdForm::ExtractLane) return simd_extract<Fn>;
  else if constexpr (form == SimdForm::ReplaceLane) return simd_replace<Fn>;
  else if constexpr (form == SimdForm::Shuffle) return simd_shuffle<Fn>;
  else if constexpr (form == SimdForm::Load) return simd_load<Fn>;
  else if constexpr (form == SimdForm::LoadLane) return simd_load_lane<Fn>;
  else if constexpr (form == SimdForm::Store) return simd_store<Fn>;
  else if constexpr (form == SimdForm::StoreLane) return simd_store_lane<Fn>;
  else return nullptr;  // Const: compiled as a constant
}

struct SimdTable {
  Handler h[kOpCount] = {};
  SimdTable() {
#define OP(id, text, prefix, code, imm, params, results) \
  WS_IF_SIMD(prefix, h[size_t(Op::id)] = simd_handler<Op::id, &simd::id>();)
#include "opcodes.def"
#undef OP
  }
};

}  // namespace

Handler simd_handler(Op op) {
  static const SimdTable table;
  return table.h[size_t(op)];
}

}  // namespace ws
