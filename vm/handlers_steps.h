// Steps of the moves, selects, branches, calls, returns and globals: shared
// by their handlers (handlers_control.cpp, handlers_state.cpp) and the
// handler pairs (handlers_numeric.cpp).
#pragma once
#include "handlers_impl.h"

namespace ws::h {

STEP(copy) {
  fp[ip[1].u] = fp[ip[2].u];
  STEP_NEXT(3);
}
STEP(constant) {
  fp[ip[1].u] = ip[2].u;
  STEP_NEXT(3);
}
// Runs of scalar moves in one handler: copies and constants in a row (phi
// moves before a branch, call arguments) are common enough that a dispatch
// saved per move pays; pairs, the most common, have their own handlers.
#define MOVE_PAIR(name, first, second) \
  STEP(name) {                         \
    fp[ip[1].u] = first;               \
    fp[ip[3].u] = second;              \
    STEP_NEXT(5);                      \
  }
MOVE_PAIR(copy_copy, fp[ip[2].u], fp[ip[4].u])
MOVE_PAIR(copy_constant, fp[ip[2].u], ip[4].u)
MOVE_PAIR(constant_copy, ip[2].u, fp[ip[4].u])
MOVE_PAIR(constant_constant, ip[2].u, ip[4].u)
#undef MOVE_PAIR
STEP(moves) {
  ip = run_moves(ip + 2, ip[1].u, fp);
  return Stop::Next;
}

STEP(select) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? fp[ip[2].u] : fp[ip[3].u];
  STEP_NEXT(5);
}
STEP(select_imm_slot) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? ip[2].u : fp[ip[3].u];
  STEP_NEXT(5);
}
STEP(select_slot_imm) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? fp[ip[2].u] : ip[3].u;
  STEP_NEXT(5);
}
STEP(select_imm_imm) {
  fp[ip[1].u] = rd<uint32_t>(fp, ip[4].u) ? ip[2].u : ip[3].u;
  STEP_NEXT(5);
}

STEP(br) {
  ip = ip[1].target;
  return Stop::Next;
}
STEP(br_if_nz) {
  ip = rd<uint32_t>(fp, ip[1].u) ? ip[2].target : ip + 3;
  return Stop::Next;
}
STEP(br_back) {
  STEP_CHARGE();
  ip = ip[1].target;
  return Stop::Next;
}
STEP(br_if_nz_back) {
  if (!rd<uint32_t>(fp, ip[1].u)) STEP_NEXT(3);
  STEP_CHARGE();
  ip = ip[2].target;
  return Stop::Next;
}
STEP(br_if_z) {
  ip = rd<uint32_t>(fp, ip[1].u) ? ip + 3 : ip[2].target;
  return Stop::Next;
}
STEP(br_table) {
  STEP_CHARGE();
  uint64_t i = rd<uint32_t>(fp, ip[1].u);
  const uint64_t n = ip[2].u;
  if (i > n) i = n;
  ip = ip[3 + i].target;
  return Stop::Next;
}

// ---- globals ----

STEP(global_get) {
  fp[ip[1].u] = *static_cast<const uint64_t*>(ip[2].p);
  STEP_NEXT(3);
}
STEP(global_get2) {
  const uint64_t* cell = static_cast<const uint64_t*>(ip[2].p);
  fp[ip[1].u] = cell[0];
  fp[ip[1].u + 1] = cell[1];
  STEP_NEXT(3);
}
STEP(global_set) {
  *static_cast<uint64_t*>(const_cast<void*>(ip[1].p)) = fp[ip[2].u];
  STEP_NEXT(3);
}
STEP(global_set2) {
  uint64_t* cell = static_cast<uint64_t*>(const_cast<void*>(ip[1].p));
  cell[0] = fp[ip[2].u];
  cell[1] = fp[ip[2].u + 1];
  STEP_NEXT(3);
}

STEP(i32_add_imm_global_set) {
  const uint32_t v = rd<uint32_t>(fp, ip[2].u) + uint32_t(ip[3].u);
  wr<uint32_t>(fp, ip[1].u, v);
  *static_cast<uint64_t*>(const_cast<void*>(ip[4].p)) = v;
  STEP_NEXT(5);
}
STEP(global_i32_add_imm_set) {
  uint64_t* cell = static_cast<uint64_t*>(const_cast<void*>(ip[2].p));
  const uint32_t v = uint32_t(*cell) + uint32_t(ip[3].u);
  wr<uint32_t>(fp, ip[1].u, v);
  *cell = v;
  STEP_NEXT(4);
}

// ---- calls ----

// Zeroes the declared locals of `callee`, whose frame starts at `nfp`: the
// entering call does it (a prologue handler would cost a dispatch per call).
// Whole groups of four slots, at least one (frames have room), so the common
// case is one pass of straight-line code. CMakeLists.txt compiles the files
// including this one with -fno-builtin-memset: as a memset call (a C function on the web) this
// loop costs more than the call it is part of. (Clang's no_builtin attribute
// is not enough: it is lost where a handler's tail call to itself becomes a
// loop.)
#define ZERO_LOCALS(callee, nfp)                        \
  do {                                                  \
    uint64_t* z_ = (nfp) + (callee)->param_slots;       \
    uint64_t* const end_ = z_ + (callee)->zeroed_slots; \
    do {                                                \
      z_[0] = z_[1] = z_[2] = z_[3] = 0;                \
      z_ += 4;                                          \
    } while (z_ < end_);                                \
  } while (0)

// Pushes a frame for `callee` whose slot 0 is at `nfp` and enters it; the
// caller continues at `ret`, with a single result at `out`. Traps with "call
// stack exhausted" when the frame stack or the value stack is full.
#define ENTER(callee, nfp, out, resume) ENTER_FRAME(callee, nfp, out, resume, true)
#define ENTER_FRAME(callee, nfp, out, resume, reload_memory)                     \
  do {                                                                           \
    FrameRecord* f_ = ctx->frame + 1;                                            \
    if (__builtin_expect(f_ == ctx->frame_end ||                                 \
                             (nfp) + (callee)->frame_slots > ctx->stack_end, 0)) \
      STEP_TRAP(CallStackExhausted);                                             \
    f_->func = (callee);                                                         \
    f_->fp = (nfp);                                                              \
    f_->ret = (resume);                                                          \
    f_->result = (out);                                                          \
    ctx->frame = f_;                                                             \
    ZERO_LOCALS(callee, nfp);                                                    \
    if (reload_memory) {                                                         \
      const Memory* m_ = (callee)->memory;                                       \
      mem = m_->data_;                                                           \
      msize = m_->size_;                                                         \
    }                                                                            \
    fp = (nfp);                                                                  \
    ip = (callee)->code.data();                                                  \
    return Stop::Next;                                                           \
  } while (0)

// Leaves guest code to call a host function with arguments at `args`;
// the trampoline writes the results there and continues at `next`.
#define HOST_CALL(fn, args, next) \
  do {                            \
    ctx->host = (fn);             \
    ctx->host_args = (args);      \
    ctx->host_next = (next);      \
    return Stop::HostCall;        \
  } while (0)

STEP(call) {
  STEP_CHARGE();
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER(callee, nfp, fp + ip[3].u, ip + 4);
}

STEP(call_same) {
  STEP_CHARGE();
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER_FRAME(callee, nfp, fp + ip[3].u, ip + 4, false);
}

STEP(call_host) {
  STEP_CHARGE();
    HOST_CALL(static_cast<Function*>(const_cast<void*>(ip[1].p)), fp + ip[2].u, ip + 3);
}

// Resolves the callee of call_indirect / return_call_indirect:
// [Table*, type id, arg base, index slot].
#define RESOLVE_INDIRECT(out)                                                              \
  const Table* table_ = static_cast<const Table*>(ip[1].p);                                \
  const uint32_t index_ = rd<uint32_t>(fp, ip[4].u);                                       \
  if (__builtin_expect(index_ >= table_->elements.size(), 0)) STEP_TRAP(UndefinedElement); \
  FunctionState* out = reinterpret_cast<FunctionState*>(table_->elements[index_]);         \
  if (__builtin_expect(out == nullptr, 0)) {                                               \
    ctx->trap_index = index_;                                                              \
    STEP_TRAP(UninitializedElement);                                                       \
  }                                                                                        \
  if (__builtin_expect(out->type_id != ip[2].u, 0)) STEP_TRAP(IndirectCallTypeMismatch)

STEP(call_indirect) {
  STEP_CHARGE();
  RESOLVE_INDIRECT(callee);
  uint64_t* nfp = fp + ip[3].u;
  if (!callee->compiled) HOST_CALL(callee, nfp, ip + 5);
  ENTER(callee->compiled, nfp, nfp, ip + 5);
}

// The same calls after the moves that put their arguments in place (the
// call instruction's own, which write only its argument slots and the index
// slot): [the call's immediates, n, n move pairs as h::moves]. The caller
// continues after the moves. A budget stop comes before them.
STEP(call_moves) {
  STEP_CHARGE();
  const CodeWord* next = run_moves(ip + 5, ip[4].u, fp);
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER(callee, nfp, fp + ip[3].u, next);
}

STEP(call_same_moves) {
  STEP_CHARGE();
  const CodeWord* next = run_moves(ip + 5, ip[4].u, fp);
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  uint64_t* nfp = fp + ip[2].u;
  ENTER_FRAME(callee, nfp, fp + ip[3].u, next, false);
}

STEP(call_indirect_moves) {
  STEP_CHARGE();
  const CodeWord* next = run_moves(ip + 6, ip[5].u, fp);
  RESOLVE_INDIRECT(callee);
  uint64_t* nfp = fp + ip[3].u;
  if (!callee->compiled) HOST_CALL(callee, nfp, next);
  ENTER(callee->compiled, nfp, nfp, next);
}

// Replaces the current frame by `callee`, whose arguments are `n` slots at
// fp + `from`: moves them to slot 0 and jumps to the callee's entry.
#define TAIL_ENTER(callee, from, n)                                       \
  do {                                                                    \
    if (__builtin_expect(fp + (callee)->frame_slots > ctx->stack_end, 0)) \
      STEP_TRAP(CallStackExhausted);                                      \
    std::memmove(fp, fp + (from), (n) * sizeof(uint64_t));                \
    ZERO_LOCALS(callee, fp);                                              \
    ctx->frame->func = (callee);                                          \
    const Memory* m_ = (callee)->memory;                                  \
    mem = m_->data_;                                                      \
    msize = m_->size_;                                                    \
    ip = (callee)->code.data();                                           \
    return Stop::Next;                                                    \
  } while (0)

STEP(return_call) {
  STEP_CHARGE();
  CompiledFunction* callee = static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  TAIL_ENTER(callee, ip[2].u, ip[3].u);
}

STEP(return_call_indirect) {
  STEP_CHARGE();
  RESOLVE_INDIRECT(callee);
  // A host callee runs as an ordinary call; the return that follows returns its results.
  if (!callee->compiled) HOST_CALL(callee, fp + ip[3].u, ip + 6);
  TAIL_ENTER(callee->compiled, ip[3].u, ip[5].u);
}

// ---- returns: results go to slot 0.. (one one-slot result: to the frame's
// result slot), then the caller's frame resumes ----

#define RETURN_TO_CALLER(f_)             \
  do {                                   \
    ip = f_->ret;                        \
    ctx->frame = --f_;                   \
    fp = f_->fp;                         \
    const Memory* m_ = f_->func->memory; \
    mem = m_->data_;                     \
    msize = m_->size_;                   \
    return Stop::Next;                   \
  } while (0)

STEP(ret0) {
  FrameRecord* f = ctx->frame;
  RETURN_TO_CALLER(f);
}
STEP(ret1) {
  FrameRecord* f = ctx->frame;
  *f->result = fp[ip[1].u];
  RETURN_TO_CALLER(f);
}
STEP(retn) {
  std::memmove(fp, fp + ip[1].u, ip[2].u * sizeof(uint64_t));
  FrameRecord* f = ctx->frame;
  RETURN_TO_CALLER(f);
}

}  // namespace ws::h
