// Building blocks for writing handlers (included only by handlers_*.cpp).
#pragma once
#include <cstring>

#include "handlers.h"
#include "handlers_hot.h"

namespace ws {

#define HANDLER(name) WS_HANDLER(name)
// Jump to the handler at ip (a guaranteed tail call: guest code never grows
// the native stack).
#ifdef WS_SWITCH_DISPATCH
// Under Emscripten (see set_handler in interp.h): a switch on the next
// handler's number that tail-calls the hottest handlers directly, and the
// others through one of the h::dispatch copies. In V8 every function call
// costs a frame set-up and a stack check, so a transition between two hot
// handlers that skips h::dispatch costs one call instead of two, and each
// handler's own switch is a jump the branch predictor tells apart.
#define WS_HOT_CASE(handler) \
  case __COUNTER__ - hot_base_: [[clang::musttail]] return h::handler(ip, fp, mem, msize, ctx);
#define DISPATCH()                                                               \
  do {                                                                           \
    constexpr int hot_base_ = __COUNTER__;                                       \
    switch (uint32_t(ip->u >> 32)) {                                             \
      WS_HOT_HANDLERS(WS_HOT_CASE)                                               \
      default:                                                                   \
        [[clang::musttail]] return h::dispatch<__COUNTER__ % h::kDispatchSites>( \
            ip, fp, mem, msize, ctx);                                            \
    }                                                                            \
  } while (0)
#define NEXT(n) \
  do {          \
    ip += (n);  \
    DISPATCH(); \
  } while (0)
#else
#define DISPATCH() [[clang::musttail]] return ip->h(ip, fp, mem, msize, ctx)
#define NEXT(n) \
  do {          \
    ip += (n);  \
    DISPATCH(); \
  } while (0)
#endif
#define TRAP(code)                                                    \
  do {                                                                \
    ctx->trap = TrapCode::code;                                       \
    [[clang::musttail]] return h::trap_exit(ip, fp, mem, msize, ctx); \
  } while (0)
// Charges one budget unit, or leaves guest code so that resuming re-executes
// this instruction.
#define CHARGE()                                                                 \
  do {                                                                           \
    const uint64_t used_ = ctx->used + 1;                                        \
    if (__builtin_expect(used_ > ctx->limit.load(std::memory_order_relaxed), 0)) \
      [[clang::musttail]] return h::budget_exit(ip, fp, mem, msize, ctx);        \
    ctx->used = used_;                                                           \
  } while (0)

// ---- steps ----
// A step is a handler's work as an inline function: it leaves ip at the
// next instruction and returns Stop::Next, or stops at the instruction it
// ran (a trap, with ctx->trap set; a budget stop; or a host call, with
// ctx->host* set). A handler runs its step and dispatches; a handler pair
// runs two (handlers_pairs.inc).
enum class Stop { Next, Trap, Budget, HostCall };
#define STEP(name)                                                                         \
  __attribute__((always_inline)) inline Stop name##_step(                                  \
      const CodeWord*& ip, [[maybe_unused]] uint64_t*& fp, [[maybe_unused]] uint8_t*& mem, \
      [[maybe_unused]] uint64_t& msize, [[maybe_unused]] Ctx* ctx)
// In a step: continue at ip + n; trap; charge one budget unit, or stop so
// that resuming re-runs this instruction.
#define STEP_NEXT(n)   \
  do {                 \
    ip += (n);         \
    return Stop::Next; \
  } while (0)
#define STEP_TRAP(code)         \
  do {                          \
    ctx->trap = TrapCode::code; \
    return Stop::Trap;          \
  } while (0)
#define STEP_CHARGE()                                                            \
  do {                                                                           \
    const uint64_t used_ = ctx->used + 1;                                        \
    if (__builtin_expect(used_ > ctx->limit.load(std::memory_order_relaxed), 0)) \
      return Stop::Budget;                                                       \
    ctx->used = used_;                                                           \
  } while (0)
// Ends a handler after its step(s) returned `stop`.
#define AFTER_STEP(stop)                                                  \
  do {                                                                    \
    const Stop stop_ = (stop);                                            \
    if (__builtin_expect(stop_ == Stop::Trap, 0))                         \
      [[clang::musttail]] return h::trap_exit(ip, fp, mem, msize, ctx);   \
    if (__builtin_expect(stop_ == Stop::Budget, 0))                       \
      [[clang::musttail]] return h::budget_exit(ip, fp, mem, msize, ctx); \
    if (__builtin_expect(stop_ == Stop::HostCall, 0)) {                   \
      ctx->ip = ip;                                                       \
      ctx->fp = fp;                                                       \
      return Exit::HostCall;                                              \
    }                                                                     \
    DISPATCH();                                                           \
  } while (0)
// The handler of the step `name`, and a handler written as a step:
// STEP_HANDLER(name) { body using STEP_* }.
#define HANDLER_OF_STEP(name) \
  HANDLER(name) { AFTER_STEP(name##_step(ip, fp, mem, msize, ctx)); }
#define STEP_HANDLER(name) \
  STEP(name);              \
  HANDLER_OF_STEP(name)    \
  STEP(name)

namespace h {
WS_HANDLER(trap_exit);    // saves ip/fp, returns Exit::Trap (ctx->trap is set)
WS_HANDLER(budget_exit);  // saves ip/fp, returns Exit::OutOfBudget
#ifdef WS_SWITCH_DISPATCH
// Every handler that h::dispatch calls directly.
#define X(handler) WS_HANDLER(handler);
#include "handlers_switched.inc"
#undef X
// Runs the handler at ip (handlers_dispatch.cpp). Handlers use the copies
// in turn: each copy's jump is predicted apart from the others'.
constexpr int kDispatchSites = 16;
template <int site>
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
