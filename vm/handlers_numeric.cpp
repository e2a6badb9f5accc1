// Handlers of the scalar numeric instructions and of loads and stores,
// generated from handlers_numeric.inc and memory_ops.inc, and the Op-indexed
// tables the compiler picks them from.
#include <cmath>
#include <cstdint>
#include <iterator>

#include "float_ops.h"
#include "handlers_steps.h"

namespace ws {
namespace {

using u32 = uint32_t;
using i32 = int32_t;
using u64 = uint64_t;
using i64 = int64_t;
using f32 = float;
using f64 = double;

}  // namespace

// ---- handlers ----
// In namespace h, with external linkage: under Emscripten every handler
// tail-calls the hottest ones directly (WS_HOT_HANDLERS, handlers_impl.h).
namespace h {

#define UNARY(op, TI, TO, expr)       \
  STEP_HANDLER(op##_h) {              \
    const TI a = rd<TI>(fp, ip[2].u); \
    wr<TO>(fp, ip[1].u, TO(expr));    \
    STEP_NEXT(3);                     \
  }
// Branches come in two forms: forward, and backward (to a loop head), which
// charges one budget unit per iteration.
#define TEST(op, TI, expr)               \
  UNARY(op, TI, u32, expr)               \
  STEP_HANDLER(op##_br) {                \
    const TI a = rd<TI>(fp, ip[1].u);    \
    ip = (expr) ? ip[2].target : ip + 3; \
    return Stop::Next;                   \
  }                                      \
  STEP_HANDLER(op##_br_back) {           \
    const TI a = rd<TI>(fp, ip[1].u);    \
    if (!(expr)) STEP_NEXT(3);           \
    STEP_CHARGE();                       \
    ip = ip[2].target;                   \
    return Stop::Next;                   \
  }
#define BINARY_TRAP(op, TI, TO, checks, expr) \
  STEP_HANDLER(op##_h) {                      \
    const TI a = rd<TI>(fp, ip[2].u);         \
    const TI b = rd<TI>(fp, ip[3].u);         \
    checks wr<TO>(fp, ip[1].u, TO(expr));     \
    STEP_NEXT(4);                             \
  }                                           \
  STEP_HANDLER(op##_imm) {                    \
    const TI a = rd<TI>(fp, ip[2].u);         \
    const TI b = imm<TI>(ip[3]);              \
    checks wr<TO>(fp, ip[1].u, TO(expr));     \
    STEP_NEXT(4);                             \
  }
// A non-trapping binary op whose result is stored (full width) by the next
// instruction: [dst, a, b or K, address slot, offset]. The result is still
// written to dst, so at an out-of-bounds trap the stack is the store's.
#define BINARY_STORE(op, TI, TO, expr, form, read_b)                                          \
  STEP_HANDLER(op##_##form##store) {                                                          \
    const TI a = rd<TI>(fp, ip[2].u);                                                         \
    const TI b = read_b;                                                                      \
    const TO r = TO(expr);                                                                    \
    wr<TO>(fp, ip[1].u, r);                                                                   \
    const uint64_t ea = uint64_t(rd<u32>(fp, ip[4].u)) + ip[5].u;                             \
    if (__builtin_expect(!in_bounds(ea, sizeof(TO), msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    std::memcpy(mem + ea, &r, sizeof r);                                                      \
    STEP_NEXT(6);                                                                             \
  }
#define BINARY(op, TI, TO, expr)                        \
  BINARY_TRAP(op, TI, TO, , expr)                       \
  BINARY_STORE(op, TI, TO, expr, , rd<TI>(fp, ip[3].u)) \
  BINARY_STORE(op, TI, TO, expr, imm_, imm<TI>(ip[3]))
#define COMPARE(op, TI, expr)            \
  BINARY(op, TI, u32, expr)              \
  STEP_HANDLER(op##_br) {                \
    const TI a = rd<TI>(fp, ip[1].u);    \
    const TI b = rd<TI>(fp, ip[2].u);    \
    ip = (expr) ? ip[3].target : ip + 4; \
    return Stop::Next;                   \
  }                                      \
  STEP_HANDLER(op##_br_imm) {            \
    const TI a = rd<TI>(fp, ip[1].u);    \
    const TI b = imm<TI>(ip[2]);         \
    ip = (expr) ? ip[3].target : ip + 4; \
    return Stop::Next;                   \
  }                                      \
  STEP_HANDLER(op##_br_back) {           \
    const TI a = rd<TI>(fp, ip[1].u);    \
    const TI b = rd<TI>(fp, ip[2].u);    \
    if (!(expr)) STEP_NEXT(4);           \
    STEP_CHARGE();                       \
    ip = ip[3].target;                   \
    return Stop::Next;                   \
  }                                      \
  STEP_HANDLER(op##_br_imm_back) {       \
    const TI a = rd<TI>(fp, ip[1].u);    \
    const TI b = imm<TI>(ip[2]);         \
    if (!(expr)) STEP_NEXT(4);           \
    STEP_CHARGE();                       \
    ip = ip[3].target;                   \
    return Stop::Next;                   \
  }
#define TRUNC(op, TI, TO)                                     \
  STEP_HANDLER(op##_h) {                                      \
    TO r;                                                     \
    switch (fops::trunc<TO>(rd<TI>(fp, ip[2].u), &r)) {       \
      case fops::Conv::Ok: break;                             \
      case fops::Conv::Invalid: STEP_TRAP(InvalidConversion); \
      case fops::Conv::Overflow: STEP_TRAP(IntegerOverflow);  \
    }                                                         \
    wr<TO>(fp, ip[1].u, r);                                   \
    STEP_NEXT(3);                                             \
  }
#include "handlers_numeric.inc"
#undef UNARY
#undef TEST
#undef BINARY_TRAP
#undef BINARY_STORE
#undef BINARY
#undef COMPARE
#undef TRUNC

// Effective address = zero-extended i32 address + static offset; both are
// below 2^32, so the sum and the end of the access cannot overflow.
// The work of the plain and i32.add K forms is in functions (false: out of
// bounds), which the handlers doing two accesses in a row share.
template <typename TM, typename TS>
inline bool load_to(uint64_t* fp, uint64_t dst, uint64_t ea, const uint8_t* mem, uint64_t msize) {
  if (__builtin_expect(!in_bounds(ea, sizeof(TM), msize), 0)) return false;
  TM v;
  std::memcpy(&v, mem + ea, sizeof v);
  wr<TS>(fp, dst, TS(v));
  return true;
}
// [dst, addr, offset]
template <typename TM, typename TS>
inline bool load_reg(const CodeWord* ip, uint64_t* fp, const uint8_t* mem, uint64_t msize) {
  return load_to<TM, TS>(fp, ip[1].u, uint64_t(rd<u32>(fp, ip[2].u)) + ip[3].u, mem, msize);
}
// Address computed by a folded i32.add: [dst, x, K, offset, address slot].
// The address is still written to its slot so a trap's frames show it.
template <typename TM, typename TS>
inline bool load_add(const CodeWord* ip, uint64_t* fp, const uint8_t* mem, uint64_t msize) {
  const u32 addr = rd<u32>(fp, ip[2].u) + uint32_t(ip[3].u);
  wr<u32>(fp, ip[5].u, addr);
  return load_to<TM, TS>(fp, ip[1].u, uint64_t(addr) + ip[4].u, mem, msize);
}
// [addr, value, offset]
template <typename TS, typename TM>
inline bool store_reg(const CodeWord* ip, uint64_t* fp, uint8_t* mem, uint64_t msize) {
  const uint64_t ea = uint64_t(rd<u32>(fp, ip[1].u)) + ip[3].u;
  if (__builtin_expect(!in_bounds(ea, sizeof(TM), msize), 0)) return false;
  const TM v = TM(rd<TS>(fp, ip[2].u));
  std::memcpy(mem + ea, &v, sizeof v);
  return true;
}

#define LOAD_REG(op, TM, TS)                                                                      \
  STEP_HANDLER(op##_h) {                                                                          \
    if (__builtin_expect(!load_reg<TM, TS>(ip, fp, mem, msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    STEP_NEXT(4);                                                                                 \
  }
// Constant address: [dst, effective address] (address + offset folded by
// the compiler; below 2^33, so the check cannot overflow).
#define LOAD_ABS(op, TM, TS)                                                                  \
  STEP_HANDLER(op##_abs) {                                                                    \
    const uint64_t ea = ip[2].u;                                                              \
    if (__builtin_expect(!in_bounds(ea, sizeof(TM), msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    TM v;                                                                                     \
    std::memcpy(&v, mem + ea, sizeof v);                                                      \
    wr<TS>(fp, ip[1].u, TS(v));                                                               \
    STEP_NEXT(3);                                                                             \
  }
#define STORE_REG(op, TS, TM)                                                                      \
  STEP_HANDLER(op##_h) {                                                                           \
    if (__builtin_expect(!store_reg<TS, TM>(ip, fp, mem, msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    STEP_NEXT(4);                                                                                  \
  }
// Constant value: [address slot, K, offset]
#define STORE_VALUE_IMM(op, TS, TM)                                                           \
  STEP_HANDLER(op##_value_imm) {                                                              \
    const uint64_t ea = uint64_t(rd<u32>(fp, ip[1].u)) + ip[3].u;                             \
    if (__builtin_expect(!in_bounds(ea, sizeof(TM), msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    const TM v = TM(imm<TS>(ip[2]));                                                          \
    std::memcpy(mem + ea, &v, sizeof v);                                                      \
    STEP_NEXT(4);                                                                             \
  }
// Constant address: [effective address, value]
#define STORE_ABS(op, TS, TM)                                                                 \
  STEP_HANDLER(op##_abs) {                                                                    \
    const uint64_t ea = ip[1].u;                                                              \
    if (__builtin_expect(!in_bounds(ea, sizeof(TM), msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    const TM v = TM(rd<TS>(fp, ip[2].u));                                                     \
    std::memcpy(mem + ea, &v, sizeof v);                                                      \
    STEP_NEXT(3);                                                                             \
  }
#define LOAD_ADD(op, TM, TS)                                                                      \
  STEP_HANDLER(op##_add) {                                                                        \
    if (__builtin_expect(!load_add<TM, TS>(ip, fp, mem, msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    STEP_NEXT(6);                                                                                 \
  }
// Address computed by a folded i32.add of two slots: [dst, x, y, offset,
// address slot].
#define LOAD_ADD2(op, TM, TS)                                                                          \
  STEP_HANDLER(op##_add2) {                                                                            \
    const u32 addr = rd<u32>(fp, ip[2].u) + rd<u32>(fp, ip[3].u);                                      \
    wr<u32>(fp, ip[5].u, addr);                                                                        \
    if (__builtin_expect(!load_to<TM, TS>(fp, ip[1].u, uint64_t(addr) + ip[4].u, mem, msize), 0))      \
      STEP_TRAP(MemoryOutOfBounds);                                                                    \
    STEP_NEXT(6);                                                                                      \
  }
// Stores whose address is a folded i32.add, with an immediate
// [x, K, offset, address slot, value] or a slot [x, y, offset, address
// slot, value] right operand.
#define STORE_ADD_FORM(op, TS, TM, form, y)                                 \
  STEP_HANDLER(op##_##form) {                                               \
    const u32 addr = rd<u32>(fp, ip[1].u) + (y);                            \
    const TM v = TM(rd<TS>(fp, ip[5].u));                                   \
    wr<u32>(fp, ip[4].u, addr);                                             \
    const uint64_t ea = uint64_t(addr) + ip[3].u;                           \
    if (__builtin_expect(!in_bounds(ea, sizeof(TM), msize), 0))             \
      STEP_TRAP(MemoryOutOfBounds);                                         \
    std::memcpy(mem + ea, &v, sizeof v);                                    \
    STEP_NEXT(6);                                                           \
  }
#define STORE_ADD(op, TS, TM)                                      \
  STORE_ADD_FORM(op, TS, TM, add, uint32_t(ip[2].u))               \
  STORE_ADD_FORM(op, TS, TM, add2, rd<u32>(fp, ip[2].u))
// Address computed by a folded i32_add_shl a + (x << k):
// [dst, a, x, k, offset, address slot].
#define LOAD_ADD_SHL(op, TM, TS)                                                                  \
  STEP_HANDLER(op##_add_shl) {                                                                    \
    const u32 addr = rd<u32>(fp, ip[2].u) + (rd<u32>(fp, ip[3].u) << (ip[4].u & 31));             \
    wr<u32>(fp, ip[6].u, addr);                                                                   \
    if (__builtin_expect(!load_to<TM, TS>(fp, ip[1].u, uint64_t(addr) + ip[5].u, mem, msize), 0)) \
      STEP_TRAP(MemoryOutOfBounds);                                                               \
    STEP_NEXT(7);                                                                                 \
  }
#define LOAD(op, TM, TS)                                                               \
  LOAD_REG(op, TM, TS) LOAD_ABS(op, TM, TS) LOAD_ADD(op, TM, TS) LOAD_ADD2(op, TM, TS) \
  LOAD_ADD_SHL(op, TM, TS)
#define STORE(op, TS, TM) \
  STORE_REG(op, TS, TM) STORE_ABS(op, TS, TM) STORE_ADD(op, TS, TM) STORE_VALUE_IMM(op, TS, TM)
#include "memory_ops.inc"
#undef LOAD
#undef STORE

STEP_HANDLER(i32_add_shl) {
  wr<u32>(fp, ip[1].u, rd<u32>(fp, ip[2].u) + (rd<u32>(fp, ip[3].u) << (ip[4].u & 31)));
  STEP_NEXT(5);
}

// i32.load, plain or with an i32.add K address (as I32Load_h, I32Load_add),
// and a forward branch on whether it loaded zero: the load's immediates,
// then the target.
#define I32_LOAD_BRANCH(name, load, words, taken)                                               \
  STEP_HANDLER(name) {                                                                          \
    if (__builtin_expect(!load<u32, u32>(ip, fp, mem, msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
    const u32 v = rd<u32>(fp, ip[1].u);                                                         \
    ip = (taken) ? ip[words].target : ip + (words) + 1;                                         \
    return Stop::Next;                                                                          \
  }
I32_LOAD_BRANCH(i32_load_z_br, load_reg, 4, v == 0)
I32_LOAD_BRANCH(i32_load_nz_br, load_reg, 4, v != 0)
I32_LOAD_BRANCH(i32_load_add_z_br, load_add, 6, v == 0)
I32_LOAD_BRANCH(i32_load_add_nz_br, load_add, 6, v != 0)
#undef I32_LOAD_BRANCH

STEP_HANDLER(i32_imm_sub) {
  wr<u32>(fp, ip[1].u, u32(ip[2].u) - rd<u32>(fp, ip[3].u));
  STEP_NEXT(4);
}
STEP_HANDLER(i32_imm_shl) {
  wr<u32>(fp, ip[1].u, u32(ip[2].u) << (rd<u32>(fp, ip[3].u) & 31));
  STEP_NEXT(4);
}

STEP_HANDLER(i32_add_imm2) {
  wr<u32>(fp, ip[1].u, rd<u32>(fp, ip[2].u) + u32(ip[3].u));
  wr<u32>(fp, ip[4].u, rd<u32>(fp, ip[5].u) + u32(ip[6].u));
  STEP_NEXT(7);
}

#define AND_BRANCH(name, taken)                           \
  STEP_HANDLER(name) {                                    \
    const u32 bits = rd<u32>(fp, ip[1].u) & u32(ip[2].u); \
    ip = (taken) ? ip[3].target : ip + 4;                 \
    return Stop::Next;                                    \
  }                                                       \
  STEP_HANDLER(name##_back) {                             \
    const u32 bits = rd<u32>(fp, ip[1].u) & u32(ip[2].u); \
    if (!(taken)) STEP_NEXT(4);                           \
    STEP_CHARGE();                                        \
    ip = ip[3].target;                                    \
    return Stop::Next;                                    \
  }
AND_BRANCH(i32_and_nz_br, bits != 0)
AND_BRANCH(i32_and_z_br, bits == 0)
#undef AND_BRANCH

STEP_HANDLER(i32_add_imm_nz_br) {
  const u32 sum = rd<u32>(fp, ip[2].u) + u32(ip[3].u);
  wr<u32>(fp, ip[1].u, sum);
  ip = sum ? ip[4].target : ip + 5;
  return Stop::Next;
}
// Charges before writing: a budget stop re-runs the handler, and dst may be a.
STEP_HANDLER(i32_add_imm_nz_br_back) {
  const u32 sum = rd<u32>(fp, ip[2].u) + u32(ip[3].u);
  if (sum) STEP_CHARGE();
  wr<u32>(fp, ip[1].u, sum);
  ip = sum ? ip[4].target : ip + 5;
  return Stop::Next;
}
STEP_HANDLER(i32_add_imm_z_br) {
  const u32 sum = rd<u32>(fp, ip[2].u) + u32(ip[3].u);
  wr<u32>(fp, ip[1].u, sum);
  ip = sum ? ip + 5 : ip[4].target;
  return Stop::Next;
}

STEP_HANDLER(br_table_masked) {
  STEP_CHARGE();
  const u32 index = (rd<u32>(fp, ip[1].u) & u32(ip[2].u)) + u32(ip[3].u);
  wr<u32>(fp, ip[4].u, index);
  const uint64_t n = ip[5].u;
  ip = ip[6 + (index > n ? n : index)].target;
  return Stop::Next;
}

// The store cannot trap: it writes the bytes the load just read.
#define LOAD_ADD_STORE()                                                                     \
  const uint64_t ea = uint64_t(rd<u32>(fp, ip[2].u)) + ip[3].u;                              \
  if (__builtin_expect(!in_bounds(ea, sizeof(u32), msize), 0)) STEP_TRAP(MemoryOutOfBounds); \
  u32 v;                                                                                     \
  std::memcpy(&v, mem + ea, sizeof v);                                                       \
  wr<u32>(fp, ip[1].u, v);                                                                   \
  v += u32(ip[5].u);                                                                         \
  wr<u32>(fp, ip[4].u, v);                                                                   \
  std::memcpy(mem + ea, &v, sizeof v)
STEP_HANDLER(i32_load_add_imm_store) {
  LOAD_ADD_STORE();
  STEP_NEXT(6);
}
STEP_HANDLER(i32_load_add_imm_store_nz_br) {
  LOAD_ADD_STORE();
  ip = v ? ip[6].target : ip + 7;
  return Stop::Next;
}
STEP_HANDLER(i32_load_add_imm_store_z_br) {
  LOAD_ADD_STORE();
  ip = v ? ip + 7 : ip[6].target;
  return Stop::Next;
}
#undef LOAD_ADD_STORE

// Handler pairs: see handlers_pairs.inc.
#define PAIR(first, second)                                         \
  HANDLER(first##_then_##second) {                                  \
    Stop stop = first##_step(ip, fp, mem, msize, ctx);              \
    if (__builtin_expect(stop == Stop::Next && ip->h == second, 1)) \
      stop = second##_step(ip, fp, mem, msize, ctx);                \
    AFTER_STEP(stop);                                               \
  }
#include "handlers_pairs.inc"
#undef PAIR

}  // namespace h

namespace {
struct HandlerPair {
  Handler first, second, both;
};
constexpr HandlerPair kPairs[] = {
#define PAIR(first, second) {h::first, h::second, h::first##_then_##second},
#include "handlers_pairs.inc"
#undef PAIR
};
}  // namespace

PairTable::PairTable() {
  static_assert(std::size(kPairs) < kSlots / 2, "open addressing needs room");
  for (const HandlerPair& p : kPairs) {
    const uint64_t k = key(p.first);
    firsts_[k >> 6] |= uint64_t(1) << (k & 63);
    size_t i = slot(k, p.second);
    while (slots_[i].first) i = (i + 1) % kSlots;
    slots_[i] = Slot{p.first, p.second, p.both};
  }
}

const PairTable& handler_pairs() {
  static const PairTable table;
  return table;
}

Handler unpaired(Handler h) {
  for (const HandlerPair& p : kPairs)
    if (p.both == h) return p.first;
  return h;
}

namespace {

// ---- tables ----

OpHandlers make_op_handlers() {
  using namespace h;
  OpHandlers t;
#define AT(op) size_t(Op::op)
#define UNARY(op, TI, TO, expr) t.plain[AT(op)] = op##_h;
#define TEST(op, TI, expr) \
  t.plain[AT(op)] = op##_h; t.branch[AT(op)] = op##_br; t.branch_back[AT(op)] = op##_br_back;
#define BINARY_TRAP(op, TI, TO, checks, expr) t.plain[AT(op)] = op##_h; t.imm[AT(op)] = op##_imm;
#define BINARY(op, TI, TO, expr)  \
  BINARY_TRAP(op, TI, TO, , expr) \
  t.store_result[AT(op)] = op##_store; t.store_result_imm[AT(op)] = op##_imm_store;
#define COMPARE(op, TI, expr)                                                               \
  BINARY(op, TI, u32, expr) t.branch[AT(op)] = op##_br; t.branch_imm[AT(op)] = op##_br_imm; \
  t.branch_back[AT(op)] = op##_br_back; t.branch_imm_back[AT(op)] = op##_br_imm_back;
#define TRUNC(op, TI, TO) t.plain[AT(op)] = op##_h;
#include "handlers_numeric.inc"
#define LOAD(op, TM, TS)                                                   \
  t.plain[AT(op)] = op##_h; t.imm[AT(op)] = op##_abs;                      \
  t.add_imm_address[AT(op)] = op##_add; t.add_address[AT(op)] = op##_add2; \
  t.add_shl_address[AT(op)] = op##_add_shl;
#define STORE(op, TS, TM)                                                  \
  t.plain[AT(op)] = op##_h; t.imm[AT(op)] = op##_abs;                      \
  t.add_imm_address[AT(op)] = op##_add; t.add_address[AT(op)] = op##_add2; \
  t.store_value_imm[AT(op)] = op##_value_imm;
#include "memory_ops.inc"
#undef AT
#undef UNARY
#undef TEST
#undef BINARY_TRAP
#undef BINARY
#undef COMPARE
#undef TRUNC
#undef LOAD
#undef STORE
  return t;
}

}  // namespace

const OpHandlers& op_handlers() {
  static const OpHandlers table = make_op_handlers();
  return table;
}

}  // namespace ws
