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

// Fused code: the moves that would put the top `n` entries (the arguments)
// and a call_indirect's constant `index` in their slots go to move_run_ for
// the call handler to run (call_moves etc.), and the entries count as
// materialised. False, changing nothing, when there are none, or a v128 one,
// or too many.
bool Compiler::fold_argument_moves(size_t n, Entry* index) {
  if (!fuse_) return false;
  size_t count = index && index->kind == Entry::Const;
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
    const Entry& e = stack_[i];
    if (e.kind == Entry::Slot) continue;
    if (e.type == ValType::V128) return false;
    ++count;
  }
  if (count == 0 || count > kMaxMoveRun) return false;
  move_run_size_ = 0;
  auto take = [this](Entry& e) {
    const bool is_const = e.kind == Entry::Const;
    move_run_[move_run_size_++] = {is_const, e.slot, is_const ? e.bits[0] : e.local};
    e.kind = Entry::Slot;
  };
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i)
    if (stack_[i].kind != Entry::Slot) take(stack_[i]);
  if (index && index->kind == Entry::Const) take(*index);
  return true;
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
  FunctionState* fs = state_of(f);
  CompiledFunction* callee = fs->compiled;
  const bool moves = callee && !tail && fold_argument_moves(t.params.size(), nullptr);
  const uint32_t base = args_base(t);
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
  const bool same = callee && callee->memory == cf_.memory;
  begin(!callee ? h::call_host
        : same  ? (moves ? h::call_same_moves : h::call_same)
                : (moves ? h::call_moves : h::call));
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
  Entry index = pop();
  const bool moves = !tail && fold_argument_moves(t.params.size(), &index);
  const uint32_t base = args_base(t);
  const uint32_t si = src(index);
  const uint32_t result_slots = slots_of(t.results);
  max_slots_ = std::max(max_slots_, base + result_slots);
  begin(tail ? h::return_call_indirect : moves ? h::call_indirect_moves : h::call_indirect);
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
