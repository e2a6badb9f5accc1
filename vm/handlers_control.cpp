// Handlers for moves, constants, branches, calls, returns and the exits to
// the trampoline.
#include "handlers_steps.h"

namespace ws::h {

HANDLER(trap_exit) {
  (void)mem, (void)msize;
  ctx->ip = ip;
  ctx->fp = fp;
  return Exit::Trap;
}
HANDLER(budget_exit) {
  (void)mem, (void)msize;
  ctx->ip = ip;
  ctx->fp = fp;
  return Exit::OutOfBudget;
}
HANDLER(finish) {
  (void)mem, (void)msize;
  ctx->ip = ip;
  ctx->fp = fp;
  return Exit::Finished;
}
HANDLER(breakpoint) {
  (void)mem, (void)msize;
  ctx->ip = ip;
  ctx->fp = fp;
  return Exit::Breakpoint;
}
HANDLER(step_check) {
  if (__builtin_expect(ctx->single_step, 0)) {
    ctx->ip = ip;
    ctx->fp = fp;
    return Exit::Breakpoint;
  }
  NEXT(1);
}
HANDLER(unreachable) { TRAP(Unreachable); }
HANDLER(nop) { NEXT(1); }

HANDLER(copy2) {
  const uint64_t lo = fp[ip[2].u], hi = fp[ip[2].u + 1];
  fp[ip[1].u] = lo;
  fp[ip[1].u + 1] = hi;
  NEXT(3);
}
HANDLER(constant2) {
  fp[ip[1].u] = ip[2].u;
  fp[ip[1].u + 1] = ip[3].u;
  NEXT(4);
}
HANDLER(select2) {
  const uint64_t src = rd<uint32_t>(fp, ip[4].u) ? ip[2].u : ip[3].u;
  const uint64_t lo = fp[src], hi = fp[src + 1];
  fp[ip[1].u] = lo;
  fp[ip[1].u + 1] = hi;
  NEXT(5);
}
// The handlers of the steps in handlers_steps.h.
#define X(name) HANDLER_OF_STEP(name)
X(copy) X(constant) X(copy_copy) X(copy_constant) X(constant_copy) X(constant_constant) X(moves)
X(select) X(select_imm_slot) X(select_slot_imm) X(select_imm_imm)
X(br) X(br_if_nz) X(br_back) X(br_if_nz_back) X(br_if_z) X(br_table)
X(call) X(call_same) X(call_host) X(call_indirect) X(call_moves) X(call_same_moves)
X(call_indirect_moves) X(return_call) X(return_call_indirect) X(ret0) X(ret1) X(retn)
#undef X

}  // namespace ws::h
