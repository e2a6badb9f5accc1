// Building blocks for writing handlers (included only by handlers_*.cpp).
#pragma once
#include <cstring>

#include "handlers.h"

namespace ws {

#define HANDLER(name) WS_HANDLER(name)
// Jump to the handler at ip (a guaranteed tail call: guest code never grows
// the native stack).
#ifdef WS_SWITCH_DISPATCH
#define DISPATCH() [[clang::musttail]] return h::dispatch<h::kAfterBranch>(ip, fp, mem, msize, ctx)
#define NEXT(n)  \
  do {           \
    ip += (n);   \
    [[clang::musttail]] return h::dispatch<h::kStraightLine>(ip, fp, mem, msize, ctx); \
  } while (0)
#else
#define DISPATCH() [[clang::musttail]] return ip->h(ip, fp, mem, msize, ctx)
#define NEXT(n)  \
  do {           \
    ip += (n);   \
    DISPATCH();  \
  } while (0)
#endif
#define TRAP(code)                                                  \
  do {                                                              \
    ctx->trap = TrapCode::code;                                     \
    [[clang::musttail]] return h::trap_exit(ip, fp, mem, msize, ctx); \
  } while (0)
// Charges one budget unit, or leaves guest code so that resuming re-executes
// this instruction.
#define CHARGE()                                                         \
  do {                                                                   \
    const uint64_t used_ = ctx->used + 1;                                \
    if (__builtin_expect(used_ > ctx->limit.load(std::memory_order_relaxed), 0)) \
      [[clang::musttail]] return h::budget_exit(ip, fp, mem, msize, ctx); \
    ctx->used = used_;                                                   \
  } while (0)

namespace h {
WS_HANDLER(trap_exit);    // saves ip/fp, returns Exit::Trap (ctx->trap is set)
WS_HANDLER(budget_exit);  // saves ip/fp, returns Exit::OutOfBudget
#ifdef WS_SWITCH_DISPATCH
// Runs the handler at ip (see set_handler). One copy per kind of call site
// gives the branch predictor more context (handlers_numeric.cpp).
enum DispatchSite { kStraightLine, kAfterBranch };
template <DispatchSite>
WS_HANDLER(dispatch);
#endif
}  // namespace h

// Slot access. i32/f32 live in the low 4 bytes of a slot (written
// zero-extended); reads look only at the bytes of their type.
template <typename T>
inline T rd(const uint64_t* fp, uint64_t slot) {
  T v;
  std::memcpy(&v, fp + slot, sizeof v);
  return v;
}
template <typename T>
inline void wr(uint64_t* fp, uint64_t slot, T v) {
  uint64_t s = 0;
  std::memcpy(&s, &v, sizeof v);
  fp[slot] = s;
}
template <typename T>
inline T imm(CodeWord w) {
  T v;
  std::memcpy(&v, &w.u, sizeof v);
  return v;
}

// Runs `n` scalar moves in order, (dst, src) or (dst | kMoveConstant, K)
// word pairs from `m` (h::moves and the calls that take their arguments'
// moves); returns the word after them.
inline const CodeWord* run_moves(const CodeWord* m, uint64_t n, uint64_t* fp) {
  for (const CodeWord* const end = m + 2 * n; m < end; m += 2) {
    const uint64_t dst = m[0].u;
    if (dst & h::kMoveConstant) fp[dst & ~h::kMoveConstant] = m[1].u;
    else fp[dst] = fp[m[1].u];
  }
  return m;
}

// Effective address check: true if [addr + offset, + size) is inside memory.
inline bool in_bounds(uint64_t ea, uint64_t size, uint64_t msize) { return ea + size <= msize; }

}  // namespace ws
