// Moving a stopped thread's activations of a function between its fused code
// and its debug code (see thread_debug.h). Both forms share the frame
// layout, so an activation moves by translating its code pointers through
// the module offset of the instruction they are at, and by writing into
// their slots the operand-stack entries fused code had left in locals or
// constants.
#include <unordered_map>

#include "compiler.h"
#include "handlers.h"
#include "thread_debug.h"

namespace ws {
namespace {

Error switch_error(const CompiledFunction& cf, const std::string& what) {
  return Error{what, "code", std::nullopt, cf.func_index, ""};
}

// The handler the compiler emitted at code index i, seeing through a
// patched breakpoint and a handler pair.
Handler original(const CompiledFunction& cf, uint32_t i) {
  auto it = cf.patches.find(i);
  return unpaired(it != cf.patches.end() ? it->second : cf.code[i].h);
}

// The call handler debug code has where fused code has `h` (fused code
// folds some calls' argument moves into them), or null if h is no call.
Handler unfused_call(Handler h) {
  if (h == h::call_moves) return h::call;
  if (h == h::call_same_moves) return h::call_same;
  if (h == h::call_indirect_moves) return h::call_indirect;
  const bool call = h == h::call || h == h::call_same || h == h::call_host ||
                    h == h::call_indirect || h == h::return_call_indirect;
  return call ? h : nullptr;
}

// Words that the call handler `h` at ip has beyond its unfused form's: the
// folded argument moves.
uint64_t folded_move_words(Handler h, const CodeWord* ip) {
  if (h == h::call_moves || h == h::call_same_moves) return 1 + 2 * ip[4].u;
  if (h == h::call_indirect_moves) return 1 + 2 * ip[5].u;
  return 0;
}

// First argument slot of the call handler at ip ([.., arg base, ..]).
uint64_t call_args_base(Handler h, const CodeWord* ip) {
  h = unfused_call(h);
  return h == h::call_indirect || h == h::return_call_indirect ? ip[3].u : ip[2].u;
}

// Code index in `cf` of the position at module offset `offset` holding handler
// `h` (any handler if h is null); UINT32_MAX if there is none.
uint32_t find_position(const CompiledFunction& cf, uint32_t offset, Handler h) {
  for (const auto& p : cf.positions) {
    if (p.offset < offset) continue;
    if (p.offset > offset) break;
    if (!h || original(cf, p.code_index) == h) return p.code_index;
  }
  return UINT32_MAX;
}

void materialize(uint64_t* fp, const StackItem& s) {
  switch (s.kind) {
    case StackItem::Slot: break;
    case StackItem::Local:
      fp[s.slot] = fp[s.local];
      if (s.type == ValType::V128) fp[s.slot + 1] = fp[s.local + 1];
      break;
    case StackItem::Const:
      fp[s.slot] = s.bits[0];
      if (s.type == ValType::V128) fp[s.slot + 1] = s.bits[1];
      break;
  }
}

// Where one code pointer of an activation goes in the new code, and which
// deferred entries must be written to the frame first.
struct Move {
  uint32_t index = UINT32_MAX;
  std::vector<StackItem> materialize;
};

class Translator {
 public:
  Translator(const CompiledFunction& from, const CompiledFunction& to) : from_(from), to_(to) {}

  // The youngest activation, stopped at code index i (nothing of the handler
  // there has run, except the moves before a charging branch).
  Result<Move> stopped_at(uint32_t i) {
    Move m;
    const PositionState& ps = describe(i);
    const Handler h = original(from_, i);
    if (h == h::br_back) {
      // The branch values are already moved into the loop's slots (and may
      // overwrite the slots of deferred entries): continue at the branch.
      m.index = find_position(to_, ps.offset, h::br_back);
    } else {
      m.index = find_position(to_, ps.start_offset, nullptr);
      m.materialize = ps.start_stack;
    }
    if (m.index == UINT32_MAX) return switch_error(from_, "no matching position to stop at");
    return m;
  }

  // A position inside the call handler at code index `call` (the return
  // address of a caller, or where a pending host call continues).
  Result<Move> in_call(uint32_t call, uint32_t i) {
    Move m;
    const Handler h = original(from_, call);
    const CompiledFunction::Position* pos = from_.position_at(call);
    const Handler unfused = unfused_call(h);
    const uint32_t target = pos && unfused ? find_position(to_, pos->offset, unfused) : UINT32_MAX;
    if (target == UINT32_MAX) return switch_error(from_, "no matching call to return to");
    // The same place after the call's immediates (debug code folds no moves).
    m.index = uint32_t(target + (i - call) - folded_move_words(h, from_.code.data() + call));
    // Entries below the arguments stay live across the call; the arguments
    // (and the slots above) now hold the callee's results.
    const uint64_t base = call_args_base(h, from_.code.data() + call);
    for (const StackItem& s : describe(call).stack)
      if (s.slot < base) m.materialize.push_back(s);
    return m;
  }

 private:
  const PositionState& describe(uint32_t i) {
    auto it = cache_.find(i);
    if (it == cache_.end()) {
      PositionState ps;
      if (!describe_position(from_, i, &ps)) {
        const CompiledFunction::Position* p = from_.position_at(i);
        ps.offset = ps.start_offset = p ? p->offset : 0;
      }
      it = cache_.emplace(i, std::move(ps)).first;
    }
    return it->second;
  }

  const CompiledFunction& from_;
  const CompiledFunction& to_;
  std::unordered_map<uint32_t, PositionState> cache_;
};

}  // namespace

Status switch_code(Thread* thread, CompiledFunction* cf, bool debug) {
  if (cf->step_checks == debug && cf->fused == !debug) return Ok{};
  // Every code pointer into cf: (the pointer to rewrite, the frame it belongs to).
  struct Ref {
    const CodeWord** ptr;
    uint64_t* fp;
    bool youngest;  // stopped at *ptr (else inside a call handler)
    FrameRecord* callee = nullptr;  // inside a call: the activation it entered
  };
  std::vector<Ref> refs;
  Ctx* ctx = nullptr;
  if (thread && ThreadAccess::depth(*thread) > 0) {
    ctx = &ThreadAccess::ctx(*thread);
    FrameRecord* base = ThreadAccess::frames(*thread);
    for (FrameRecord* f = base + 1; f <= ctx->frame; ++f) {
      if (f->func != cf) continue;
      if (f == ctx->frame) {
        const bool in_host_call = ThreadAccess::host_pending(*thread);
        refs.push_back({&ctx->ip, f->fp, !in_host_call});
        if (in_host_call) refs.push_back({&ctx->host_next, f->fp, false});
      } else {
        refs.push_back({&(f + 1)->ret, f->fp, false, f + 1});
      }
    }
  }
  if (!refs.empty() && !debug)
    return switch_error(*cf, "cannot return a function with active frames to fused code");

  CompiledFunction next;
  next.func = cf->func;
  next.instance = cf->instance;
  next.memory = cf->memory;
  next.func_index = cf->func_index;
  Status compiled = debug ? compile_debug_function(&next) : compile_function(&next, true);
  if (!compiled) return compiled;

  // Translate everything before changing anything: a failure leaves the
  // thread as it was.
  Translator translate(*cf, next);
  std::vector<Move> moves;
  for (const Ref& r : refs) {
    const uint32_t i = cf->index_of(*r.ptr);
    // A return address / host continuation follows its call handler.
    const CompiledFunction::Position* call = r.youngest || i == 0 ? nullptr : cf->position_at(i - 1);
    if (!r.youngest && !call) return switch_error(*cf, "return address outside any call");
    Result<Move> m = r.youngest ? translate.stopped_at(i) : translate.in_call(call->code_index, i);
    if (!m) return m.error();
    moves.push_back(std::move(*m));
  }
  const CodeWord** resume = thread ? &ThreadAccess::resume_point(*thread) : nullptr;
  const CodeWord* const old_resume = resume ? *resume : nullptr;
  if (resume && old_resume >= cf->code.data() && old_resume < cf->code.data() + cf->code.size())
    *resume = nullptr;  // set again below if an activation is stopped there
  for (size_t k = 0; k < refs.size(); ++k) {
    for (const StackItem& s : moves[k].materialize) materialize(refs[k].fp, s);
    const CodeWord* moved = next.code.data() + moves[k].index;
    if (resume && old_resume == *refs[k].ptr) *resume = moved;
    *refs[k].ptr = moved;
    // Debug code folds no local.set into a call: the result goes back to the
    // callee's slot 0, which the code after the call reads.
    if (refs[k].callee) refs[k].callee->result = refs[k].callee->fp;
  }
  cf->code = std::move(next.code);
  cf->positions = std::move(next.positions);
  cf->patches.clear();
  cf->fused = next.fused;
  cf->step_checks = next.step_checks;
  cf->frame_slots = next.frame_slots;
  return Ok{};
}

}  // namespace ws
