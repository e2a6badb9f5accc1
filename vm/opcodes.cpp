// Per-instruction facts derived from the names in opcodes.def.
#include "opcodes.h"

#include <array>

namespace ws {
namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses the decimal number at name[*i], advancing *i; 0 if there is none.
constexpr unsigned parse_number(std::string_view name, size_t* i) {
  unsigned n = 0;
  while (*i < name.size() && is_digit(name[*i])) n = n * 10 + unsigned(name[(*i)++] - '0');
  return n;
}

// Bit width named by a type prefix: "i32" / "f32" -> 32, "i64" / "f64" -> 64, "v128" -> 128.
constexpr unsigned prefix_bits(std::string_view name) {
  size_t i = 1;
  return parse_number(name, &i);
}

// "i32.load16_s": the width after "load"/"store" (16), or the prefix width
// when there is none ("i32.load" -> 32). "v128.load8x8_s" multiplies out.
constexpr unsigned access_bytes_from_name(std::string_view name) {
  size_t i = name.find('.');
  if (i == std::string_view::npos) return 0;
  ++i;
  if (name.substr(i, 4) == "load") i += 4;
  else if (name.substr(i, 5) == "store") i += 5;
  else return 0;
  unsigned bits = parse_number(name, &i);
  if (bits == 0) return prefix_bits(name) / 8;
  if (i < name.size() && name[i] == 'x') {
    ++i;
    bits *= parse_number(name, &i);
  }
  return bits / 8;
}

// "i8x16.extract_lane_s" -> 16.
constexpr unsigned lanes_from_shape(std::string_view name) {
  size_t i = name.find('x');
  if (i == std::string_view::npos) return 0;
  ++i;
  return parse_number(name, &i);
}

struct OpFacts {
  std::array<uint8_t, kOpCount> access_bytes{}, lanes{};
};

constexpr OpFacts make_op_facts() {
  OpFacts f;
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    if (info.imm == Imm::Mem || info.imm == Imm::MemLane)
      f.access_bytes[i] = uint8_t(access_bytes_from_name(info.name));
    if (info.imm == Imm::Lane) f.lanes[i] = uint8_t(lanes_from_shape(info.name));
    if (info.imm == Imm::MemLane) f.lanes[i] = uint8_t(16 / f.access_bytes[i]);
  }
  return f;
}

constexpr OpFacts kOpFacts = make_op_facts();

static_assert(kOpFacts.access_bytes[unsigned(Op::I64Load32U)] == 4);
static_assert(kOpFacts.access_bytes[unsigned(Op::F64Store)] == 8);
static_assert(kOpFacts.access_bytes[unsigned(Op::V128Load)] == 16);
static_assert(kOpFacts.access_bytes[unsigned(Op::V128Load8x8S)] == 8);
static_assert(kOpFacts.access_bytes[unsigned(Op::V128Store16Lane)] == 2);
static_assert(kOpFacts.lanes[unsigned(Op::V128Store16Lane)] == 8);
static_assert(kOpFacts.lanes[unsigned(Op::I8x16ExtractLaneS)] == 16);
static_assert(kOpFacts.lanes[unsigned(Op::F64x2ReplaceLane)] == 2);

}  // namespace

unsigned memory_access_bytes(Op op) { return kOpFacts.access_bytes[unsigned(op)]; }
unsigned lane_count(Op op) { return kOpFacts.lanes[unsigned(op)]; }

}  // namespace ws
