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

void Compiler::call(uint32_t funcidx, bool tail) {
  Function* f = inst_.funcs[funcidx];
  const FuncType& t = f->type;
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
  begin(!callee ? h::call_host : callee->memory == cf_.memory ? h::call_same : h::call);
  word_p(callee ? static_cast<const void*>(callee) : f);
  word(base);
  const size_t result_word = code_.size();
  if (callee) word(base);  // the result slot: a local.set that follows may name its local instead
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
  const uint32_t base = args_base(t);
  const uint32_t si = src(index);
  const uint32_t result_slots = slots_of(t.results);
  max_slots_ = std::max(max_slots_, base + result_slots);
  begin(tail ? h::return_call_indirect : h::call_indirect);
  word_p(inst_.tables[tableidx]);
  word(inst_.type_ids[typeidx]);
  word(base);
  word(si);
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
