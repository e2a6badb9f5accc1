// Handlers for moves, constants, branches, calls, returns and the exits to
// the trampoline.
#include "handlers_flow.h"

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
// The handlers of the steps in handlers_flow.h.
#define X(name) HANDLER_OF_STEP(name)
X(copy) X(constant) X(copy_copy) X(copy_constant) X(constant_copy) X(constant_constant) X(moves)
X(select) X(select_imm_slot) X(select_slot_imm) X(select_imm_imm)
X(br) X(br_if_nz) X(br_back) X(br_if_nz_back) X(br_if_z) X(br_table)
#undef X

// ---- calls ----

// Zeroes the declared locals of `callee`, whose frame starts at `nfp`: the
// entering call does it (a prologue handler would cost a dispatch per call).
// Whole groups of four slots, at least one (frames have room), so the common
// case is one pass of straight-line code. CMakeLists.txt compiles this file
// with -fno-builtin-memset: as a memset call (a C function on the web) this
// loop costs more than the call it is part of. (Clang's no_builtin attribute
// is not enough: it is lost where a handler's tail call to itself becomes a
// loop.)
#define ZERO_LOCALS(callee, nfp)                                  \
  do {                                                           \
    uint64_t* z_ = (nfp) + (callee)->param_slots;                \
    uint64_t* const end_ = z_ + (callee)->zeroed_slots;          \
    do {                                                         \
      z_[0] = z_[1] = z_[2] = z_[3] = 0;                         \
      z_ += 4;                                                   \
    } while (z_ < end_);                                         \
  } while (0)

// Pushes a frame for `callee` whose slot 0 is at `nfp` and enters it; the
// caller continues at `ret`, with a single result at `out`. Traps with "call
// stack exhausted" when the frame stack or the value stack is full.
#define ENTER(callee, nfp, out, resume) ENTER_FRAME(callee, nfp, out, resume, true)
#define ENTER_FRAME(callee, nfp, out, resume, reload_memory)                           \
  do {                                                                              \
    FrameRecord* f_ = ctx->frame + 1;                                               \
    if (__builtin_expect(f_ == ctx->frame_end ||                                    \
                             (nfp) + (callee)->frame_slots > ctx->stack_end, 0))    \
      TRAP(CallStackExhausted);                                                     \
    f_->func = (callee);                                                            \
    f_->fp = (nfp);                                                                 \
    f_->ret = (resume);                                                             \
    f_->result = (out);                                                             \
    ctx->frame = f_;                                                                \
    ZERO_LOCALS(callee, nfp);                                                       \
    if (reload_memory) {                                                            \
      const Memory* m_ = (callee)->memory;                                          \
      mem = m_->data_;                                                              \
      msize = m_->size_;                                                            \
    }                                                                               \
    fp = (nfp);                                                                     \
    ip = (callee)->code.data();                                                     \
    DISPATCH();                                                                     \
  } while (0)

// Leaves guest code to call a host function with arguments at `args`;
// the trampoline writes the results there and continues at `next`.
#define HOST_CALL(fn, args, next)  \
  do {                             \
    ctx->host = (fn);              \
    ctx->host_args = (args);       \
    ctx->host_next = (next);       \
    ctx->ip = ip;                  \
    ctx->fp = fp;                  \
    return Exit::HostCall;         \
  } while (0)

HANDLER(call) {
  CHARGE();
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER(callee, nfp, fp + ip[3].u, ip + 4);
}

HANDLER(call_same) {
  CHARGE();
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER_FRAME(callee, nfp, fp + ip[3].u, ip + 4, false);
}

HANDLER(call_host) {
  CHARGE();
  (void)mem, (void)msize;
  HOST_CALL(static_cast<Function*>(const_cast<void*>(ip[1].p)), fp + ip[2].u, ip + 3);
}

// Resolves the callee of call_indirect / return_call_indirect:
// [Table*, type id, arg base, index slot].
#define RESOLVE_INDIRECT(out)                                                   \
  const Table* table_ = static_cast<const Table*>(ip[1].p);                     \
  const uint32_t index_ = rd<uint32_t>(fp, ip[4].u);                            \
  if (__builtin_expect(index_ >= table_->elements.size(), 0)) TRAP(UndefinedElement); \
  FunctionState* out = reinterpret_cast<FunctionState*>(table_->elements[index_]); \
  if (__builtin_expect(out == nullptr, 0)) {                                    \
    ctx->trap_index = index_;                                                   \
    TRAP(UninitializedElement);                                                 \
  }                                                                             \
  if (__builtin_expect(out->type_id != ip[2].u, 0)) TRAP(IndirectCallTypeMismatch)

HANDLER(call_indirect) {
  CHARGE();
  RESOLVE_INDIRECT(callee);
  uint64_t* nfp = fp + ip[3].u;
  if (!callee->compiled) HOST_CALL(callee, nfp, ip + 5);
  ENTER(callee->compiled, nfp, nfp, ip + 5);
}

// The same calls after the moves that put their arguments in place (the
// call instruction's own, which write only its argument slots and the index
// slot): [the call's immediates, n, n move pairs as h::moves]. The caller
// continues after the moves. A budget stop comes before them.
HANDLER(call_moves) {
  CHARGE();
  const CodeWord* next = run_moves(ip + 5, ip[4].u, fp);
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER(callee, nfp, fp + ip[3].u, next);
}

HANDLER(call_same_moves) {
  CHARGE();
  const CodeWord* next = run_moves(ip + 5, ip[4].u, fp);
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER_FRAME(callee, nfp, fp + ip[3].u, next, false);
}

HANDLER(call_indirect_moves) {
  CHARGE();
  const CodeWord* next = run_moves(ip + 6, ip[5].u, fp);
  RESOLVE_INDIRECT(callee);
  uint64_t* nfp = fp + ip[3].u;
  if (!callee->compiled) HOST_CALL(callee, nfp, next);
  ENTER(callee->compiled, nfp, nfp, next);
}

// Replaces the current frame by `callee`, whose arguments are `n` slots at
// fp + `from`: moves them to slot 0 and jumps to the callee's entry.
#define TAIL_ENTER(callee, from, n)                                             \
  do {                                                                          \
    if (__builtin_expect(fp + (callee)->frame_slots > ctx->stack_end, 0))       \
      TRAP(CallStackExhausted);                                                 \
    std::memmove(fp, fp + (from), (n) * sizeof(uint64_t));                      \
    ZERO_LOCALS(callee, fp);                                                    \
    ctx->frame->func = (callee);                                                \
    const Memory* m_ = (callee)->memory;                                        \
    mem = m_->data_;                                                            \
    msize = m_->size_;                                                          \
    ip = (callee)->code.data();                                                 \
    DISPATCH();                                                                 \
  } while (0)

HANDLER(return_call) {
  CHARGE();
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  TAIL_ENTER(callee, ip[2].u, ip[3].u);
}

HANDLER(return_call_indirect) {
  CHARGE();
  RESOLVE_INDIRECT(callee);
  // A host callee runs as an ordinary call; the return that follows returns its results.
  if (!callee->compiled) HOST_CALL(callee, fp + ip[3].u, ip + 6);
  TAIL_ENTER(callee->compiled, ip[3].u, ip[5].u);
}

// ---- returns: results go to slot 0.. (one one-slot result: to the frame's
// result slot), then the caller's frame resumes ----

#define RETURN_TO_CALLER(f_)                \
  do {                                      \
    ip = f_->ret;                           \
    ctx->frame = --f_;                      \
    fp = f_->fp;                            \
    const Memory* m_ = f_->func->memory;    \
    mem = m_->data_;                        \
    msize = m_->size_;                      \
    DISPATCH();                             \
  } while (0)

HANDLER(ret0) {
  FrameRecord* f = ctx->frame;
  RETURN_TO_CALLER(f);
}
HANDLER(ret1) {
  FrameRecord* f = ctx->frame;
  *f->result = fp[ip[1].u];
  RETURN_TO_CALLER(f);
}
HANDLER(retn) {
  std::memmove(fp, fp + ip[1].u, ip[2].u * sizeof(uint64_t));
  FrameRecord* f = ctx->frame;
  RETURN_TO_CALLER(f);
}

}  // namespace ws::h
