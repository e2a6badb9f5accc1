// Compiler from validated function bodies to threaded code (see interp.h),
// and the cold-path services built on its determinism: describing the Wasm
// operand stack at a code position (frames, backtraces) and patching
// breakpoints.
#pragma once
#include <vector>

#include "error.h"
#include "interp.h"

namespace ws {

// One Wasm operand-stack entry as the compiler models it. The value lives in
// its home slot (Slot), is still in a local (Local: a deferred local.get) or
// is a constant not yet written anywhere (Const).
struct StackItem {
  enum Kind : uint8_t { Slot, Local, Const };
  ValType type = ValType::I32;
  Kind kind = Slot;
  uint32_t slot = 0;        // home slot
  uint32_t local = 0;       // Local: the local's slot
  uint64_t bits[2] = {0, 0};  // Const
};

// Compiles the body of cf->func_index. cf->instance, memory and func must be
// set; code, positions, slot counts and local layout are filled in. With
// `fuse` off every Wasm instruction gets its own handler(s) and nothing is
// deferred, so execution can stop before each instruction.
Status compile_function(CompiledFunction* cf, bool fuse);
// Debug code for the debugger: unfused, and every Wasm instruction starts
// with an h::step_check word (its first position), which stops the thread
// with RunStatus::Breakpoint while Ctx::single_step is set and otherwise
// falls through. Same frame layout as the other two forms.
Status compile_debug_function(CompiledFunction* cf);

// The module offset and the Wasm operand stack at a code index of cf (a
// position where execution stopped). Recompiles the function to find out.
struct PositionState {
  uint32_t offset = 0;
  std::vector<StackItem> stack;
  // The Wasm instruction whose work the handler at the position begins with,
  // and the stack before it. It differs from `offset` where fusion folded an
  // earlier instruction into a later one's handler (a compare into br_if, an
  // address add into a load): moving a stopped frame to other code resumes
  // there.
  uint32_t start_offset = 0;
  std::vector<StackItem> start_stack;
};
bool describe_position(const CompiledFunction& cf, uint32_t code_index, PositionState* out);

// Code index of the first position at or after module offset `offset`, or
// UINT32_MAX if the function has none.
uint32_t code_index_at_offset(const CompiledFunction& cf, uint32_t offset);

// Breakpoints: the handler word at `code_index` (a position) is replaced by
// h::breakpoint, which stops the thread with RunStatus::Breakpoint; resuming
// runs the original handler. Return false if code_index is not a position.
bool set_breakpoint(CompiledFunction* cf, uint32_t code_index);
bool clear_breakpoint(CompiledFunction* cf, uint32_t code_index);

}  // namespace ws
