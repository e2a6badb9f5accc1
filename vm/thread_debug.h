// The debugger's access to a stopped thread (internal to vm/; vm/debug uses
// it, nothing outside vm/ does): its activation records, and moving them
// between a function's fused code and its debug code.
#pragma once
#include "interp.h"

namespace ws {

struct ThreadAccess {
  static Ctx& ctx(Thread& t);
  static const Ctx& ctx(const Thread& t);
  // Frame records: [0] is the entry sentinel, ctx(t).frame the youngest.
  static FrameRecord* frames(Thread& t);
  static size_t depth(const Thread& t);  // guest frames on the stack
  static bool host_pending(const Thread& t);
  // The position run() resumes from without stopping at the breakpoint or
  // step check there (set by run() when it stops at one).
  static const CodeWord*& resume_point(Thread& t);
};

// Recompiles `cf` as fused code or as debug code (compile_debug_function).
// Every activation of cf on `thread` (may be null) moves to the new code at
// the same Wasm instruction; operand-stack entries the fused code had
// deferred are written to their slots first. Fused -> debug works at any
// stop; debug -> fused only when cf has no activation (an Error otherwise).
// Breakpoints patched into cf are dropped with its old code.
Status switch_code(Thread* thread, CompiledFunction* cf, bool debug);

}  // namespace ws
