// Compiling direct, indirect and tail calls: arguments are materialised in
// place at the top of the caller's stack and become the callee's params.
#include "compiler_impl.h"

namespace ws {
namespace compiler_detail {

// Materialises the call's arguments in place and returns the slot of the first.
uint32_t Compiler::args_base(const FuncType& t) {
  materialize_top(t.params.size());
  return t.params.empty() ? height() : stack_[stack_.size() - t.params.size()].slot;
}

static uint32_t slots_of(const std::vector<ValType>& types) {
  uint32_t n = 0;
  for (ValType t : types) n += slot_count(t);
  return n;
}

// The call's own argument moves start a new run (one an earlier instruction
// began stays its own handler), so that the call can take them in; returns
// where they begin.
size_t Compiler::begin_argument_moves() {
  move_.valid = false;
  return code_.size();
}

// Begins the call handler `plain`, or, when the last handler is the run of
// argument moves that began at `moves_at`, `with_moves` in its place: true
// then, and the caller emits the call's immediates and emit_argument_moves().
bool Compiler::begin_call(Handler plain, Handler with_moves, size_t moves_at) {
  if (move_.valid && move_.start == moves_at && move_.end == code_.size()) {
    begin_in_place_of(moves_at, with_moves);
    return true;
  }
  begin(plain);
  return false;
}

void Compiler::emit_argument_moves() {
  word(move_run_size_);
  for (size_t i = 0; i < move_run_size_; ++i) {
    const MoveWords& m = move_run_[i];
    word(m.is_const ? m.dst | h::kMoveConstant : m.dst);
    word(m.from);
  }
}

void Compiler::call(uint32_t funcidx, bool tail) {
  Function* f = inst_.funcs[funcidx];
  const FuncType& t = f->type;
  const size_t moves_at = begin_argument_moves();
  const uint32_t base = args_base(t);
  FunctionState* fs = state_of(f);
  const uint32_t result_slots = slots_of(t.results);
  max_slots_ = std::max(max_slots_, base + result_slots);
  if (tail && fs->compiled) {
    begin(h::return_call);
    word_p(fs->compiled);
    word(base);
    word(slots_of(t.params));
    dead_ = true;
    return;
  }
  CompiledFunction* callee = fs->compiled;
  bool moves = false;
  if (!callee) begin(h::call_host);
  else if (callee->memory == cf_.memory) moves = begin_call(h::call_same, h::call_same_moves, moves_at);
  else moves = begin_call(h::call, h::call_moves, moves_at);
  word_p(callee ? static_cast<const void*>(callee) : f);
  word(base);
  const size_t result_word = code_.size();
  if (callee) word(base);  // the result slot: a local.set that follows may name its local instead
  if (moves) emit_argument_moves();
  for (size_t i = 0; i < t.params.size(); ++i) pop();
  if (tail) {  // a host callee: return what it returned
    emit_return_from_slots(base, result_slots);
    dead_ = true;
    return;
  }
  for (ValType r : t.results) push(r);
  if (callee && result_slots == 1) produced(result_word);
}

void Compiler::call_indirect(uint32_t typeidx, uint32_t tableidx, bool tail) {
  const FuncType& t = m_.types[typeidx];
  const Entry index = pop();
  const size_t moves_at = begin_argument_moves();
  const uint32_t base = args_base(t);
  const uint32_t si = src(index);
  const uint32_t result_slots = slots_of(t.results);
  max_slots_ = std::max(max_slots_, base + result_slots);
  bool moves = false;
  if (tail) begin(h::return_call_indirect);
  else moves = begin_call(h::call_indirect, h::call_indirect_moves, moves_at);
  word_p(inst_.tables[tableidx]);
  word(inst_.type_ids[typeidx]);
  word(base);
  word(si);
  if (moves) emit_argument_moves();
  if (tail) {
    word(slots_of(t.params));
    emit_return_from_slots(base, result_slots);
    dead_ = true;
    return;
  }
  for (size_t i = 0; i < t.params.size(); ++i) pop();
  for (ValType r : t.results) push(r);
}

}  // namespace compiler_detail
}  // namespace ws
