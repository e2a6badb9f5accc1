// Compiling structured control: blocks, branches (with fused compares),
// br_table and returns.
#include "compiler_impl.h"

namespace ws {
namespace compiler_detail {

TypeList Compiler::block_params(const BlockType& bt) const {
  if (bt.kind == BlockType::TypeIndex) return TypeList(m_.types[bt.type_index].params);
  return {};
}
TypeList Compiler::block_results(const BlockType& bt) const {
  if (bt.kind == BlockType::TypeIndex) return TypeList(m_.types[bt.type_index].results);
  if (bt.kind == BlockType::Value) return TypeList::single(bt.value);
  return {};
}

void Compiler::enter_block(const Instr& in) {
  Label l;
  l.kind = in.op;
  l.params = block_params(in.block);
  l.results = block_results(in.block);
  CondJump jump;
  if (in.op == Op::If) jump = prepare_cond(pop(), false);
  materialize_all();
  l.base = stack_.size() - l.params.size();
  l.base_slot = l.base < stack_.size() ? stack_[l.base].slot : height();
  if (in.op == Op::Loop) {
    // Backward branches charge the budget; the head itself costs nothing.
    l.loop_head = code_.size();
    if (fuse_) loop_heads_.push_back(l.loop_head);
    zero_locals_ = 0;  // back edges arrive here
    if (!fuse_) boundary();
    target_here();
  } else if (in.op == Op::If) {
    l.else_fixup = emit_cond(jump, 0, false);
  } else if (!fuse_) {
    boundary();
  }
  labels_.push_back(std::move(l));
}

void Compiler::else_() {
  Label& l = labels_.back();
  if (!dead_) {
    materialize_top(l.results.size());
    begin(h::br);
    add_fixup(l, target_word(0));
  }
  patch(l.else_fixup, code_.size());
  l.else_fixup = kNone;
  stack_.resize(l.base);
  for (ValType t : l.params) push(t);
  dead_ = false;
  target_here();
}

void Compiler::end() {
  Label& l = labels_.back();
  if (labels_.size() == 1) {
    if (!dead_) emit_return();
    labels_.pop_back();
    return;
  }
  if (!dead_) materialize_top(l.results.size());
  if (l.else_fixup != kNone) patch(l.else_fixup, code_.size());
  patch_fixups(l, code_.size());
  stack_.resize(l.base);
  for (ValType t : l.results) push(t);
  labels_.pop_back();
  dead_ = false;
  target_here();
  if (!fuse_) boundary();
}

// True when taking a branch to `l` must move values: the branch values are
// deferred or not already in the label's slots.
bool Compiler::needs_copies(const Label& l) const {
  const TypeList types = l.branch_types();
  uint32_t slot = l.base_slot;
  for (size_t i = 0; i < types.size(); ++i) {
    const Entry& e = stack_[stack_.size() - types.size() + i];
    if (e.kind != Entry::Slot || e.slot != slot) return true;
    slot += slot_count(types[i]);
  }
  return false;
}

// Moves the branch values into the label's slots and jumps (the function
// label returns instead).
void Compiler::emit_copies_and_jump(Label& l) {
  if (&l == &labels_.front()) {
    emit_return();
    return;
  }
  const TypeList types = l.branch_types();
  uint32_t slot = l.base_slot;
  for (size_t i = 0; i < types.size(); ++i) {
    emit_move(slot, stack_[stack_.size() - types.size() + i]);
    slot += slot_count(types[i]);
  }
  if (l.kind == Op::Loop) {
    begin(h::br_back);
    target_word(l.loop_head);
  } else {
    begin(h::br);
    add_fixup(l, target_word(0));
  }
}

void Compiler::branch(uint32_t depth) {
  emit_copies_and_jump(labels_[labels_.size() - 1 - depth]);
  dead_ = true;
}

Compiler::CondJump Compiler::prepare_cond(Entry cond, bool want_true) {
  const OpHandlers& hs = handlers_;
  CondJump j;
  if (fuse_ && compare_.valid && compare_.end == code_.size() && cond.kind == Entry::Slot &&
      cond.slot == compare_.slot) {
    bool fused = true;
    if (compare_.unary) {
      // eqz: branch when zero, or (its complement) when non-zero, for i32 only.
      if (want_true) j.op = compare_.op;
      else fused = compare_.op == Op::I32Eqz;  // plain test of the operand
    } else {
      j.op = want_true ? compare_.op : complement(compare_.op);
      fused = j.op != Op::Count_ && hs.branch[size_t(j.op)];
      j.imm = compare_.b_imm;
      j.b = compare_.b;
      j.and_test = compare_.and_test;
    }
    if (fused) {
      j.a = compare_.a;
      truncate(compare_.start);
      return j;
    }
  }
  j = CondJump{};
  j.when_zero = !want_true;
  if (is_last_result(cond) && cond.kind == Entry::Local && last_.end == code_.size() &&
      last_.op == Op::I32Add && last_.imm) {
    // A counter stepped and tested (i32.add K; local.tee; br_if).
    j.add_test = true;
    j.add_dst = cond.local;
    j.a = last_.a;
    j.b = last_.b;
    truncate(last_.start);
    return j;
  }
  if (fuse_ && load_add_store_.valid && load_add_store_.end == code_.size() &&
      cond.kind == Entry::Local && cond.local == load_add_store_.sum) {
    // A reference count updated and tested (Py_DECREF).
    j.load_add_store = true;
    return j;
  }
  j.a = src(cond);
  return j;
}

// A forward branch on whether the i32.load just emitted (load_) loaded
// zero: one handler in the load's place (only its load can trap). True if
// emitted, without the target word.
bool Compiler::branch_on_load(const CondJump& j) {
  const bool zero_test = j.op == Op::I32Eqz || (j.op == Op::Count_ && !j.add_test && !j.load_add_store);
  if (!zero_test || code_[load_.start + 1].u != j.a) return false;
  const bool when_zero = j.op == Op::I32Eqz || j.when_zero;
  const size_t start = load_.start;
  CodeWord words[5];  // the load's immediates
  const size_t n = load_.end - start - 1;
  std::copy(&code_[start + 1], &code_[start + 1 + n], words);
  begin_in_place_of(start, load_.add ? (when_zero ? h::i32_load_add_z_br : h::i32_load_add_nz_br)
                                     : (when_zero ? h::i32_load_z_br : h::i32_load_nz_br));
  for (size_t i = 0; i < n; ++i) word(words[i].u);
  return true;
}

size_t Compiler::emit_cond(const CondJump& j, size_t target, bool back) {
  const OpHandlers& hs = handlers_;
  const size_t op = size_t(j.op);
  if (!back && load_.valid && load_.end == code_.size() && branch_on_load(j)) return target_word(target);
  if (j.load_add_store && back) {
    // (A fused backward branch would redo the update when a budget stop
    // re-runs it.)
    const uint64_t sum = load_add_store_.sum;
    begin(h::br_if_nz_back);
    word(sum);
  } else if (j.load_add_store) {
    const size_t start = load_add_store_.start;
    CodeWord words[5];
    std::copy(&code_[start + 1], &code_[start + 6], words);
    begin_in_place_of(start, j.when_zero ? h::i32_load_add_imm_store_z_br
                                         : h::i32_load_add_imm_store_nz_br);
    for (const CodeWord& w : words) word(w.u);
  } else if (j.add_test) {
    begin(j.when_zero ? h::i32_add_imm_z_br : back ? h::i32_add_imm_nz_br_back : h::i32_add_imm_nz_br);
    word(j.add_dst);
    word(j.a);
    word(j.b);
  } else if (j.op == Op::Count_) {
    begin(j.when_zero ? h::br_if_z : back ? h::br_if_nz_back : h::br_if_nz);
    word(j.a);
  } else if (j.and_test) {
    const bool nz = j.op == Op::I32Ne;
    begin(back ? (nz ? h::i32_and_nz_br_back : h::i32_and_z_br_back)
               : (nz ? h::i32_and_nz_br : h::i32_and_z_br));
    word(j.a);
    word(j.b);
  } else if (op_info(j.op).params.size() == 1) {
    begin(back ? hs.branch_back[op] : hs.branch[op]);
    word(j.a);
  } else {
    begin(back ? (j.imm ? hs.branch_imm_back[op] : hs.branch_back[op])
               : (j.imm ? hs.branch_imm[op] : hs.branch[op]));
    word(j.a);
    word(j.b);
  }
  return target_word(target);
}

void Compiler::branch_if(uint32_t depth) {
  Label& l = labels_[labels_.size() - 1 - depth];
  const Entry cond = pop();
  const bool is_fn = &l == &labels_.front();
  if (!is_fn && !needs_copies(l)) {
    const CondJump j = prepare_cond(cond, true);
    if (l.kind == Op::Loop) {
      emit_cond(j, l.loop_head, true);
    } else {
      add_fixup(l, emit_cond(j, 0, false));
    }
    return;
  }
  const CondJump j = prepare_cond(cond, false);
  const size_t skip = emit_cond(j, 0, false);
  emit_copies_and_jump(l);
  patch(skip, code_.size());
  target_here();
}

void Compiler::branch_table(const Instr& in) {
  const Entry index = pop();
  std::vector<uint32_t> depths(in.targets, in.targets + in.target_count);
  depths.push_back(in.index);
  if (!masked_br_table(index)) {
    const uint32_t si = src(index);
    begin(h::br_table);
    word(si);
  }
  word(in.target_count);
  const size_t first = code_.size();
  for (size_t i = 0; i < depths.size(); ++i) target_word(0);
  // Targets that need no copies jump straight to the label; the others go
  // through a stub that moves the values first. One stub per distinct label.
  std::vector<std::pair<uint32_t, size_t>> stubs;
  for (size_t i = 0; i < depths.size(); ++i) {
    Label& l = labels_[labels_.size() - 1 - depths[i]];
    const size_t w = first + i;
    const bool is_fn = &l == &labels_.front();
    if (!is_fn && !needs_copies(l)) {
      if (l.kind == Op::Loop) patch(w, l.loop_head);
      else add_fixup(l, w);
      continue;
    }
    auto found = std::find_if(stubs.begin(), stubs.end(), [&](auto& s) { return s.first == depths[i]; });
    if (found != stubs.end()) {
      patch(w, found->second);
      continue;
    }
    stubs.push_back({depths[i], code_.size()});
    patch(w, code_.size());
    emit_copies_and_jump(l);
  }
  dead_ = true;
}

void Compiler::emit_return() {
  const TypeList results = labels_.front().results;
  if (results.empty()) {
    begin(h::ret0);
    return;
  }
  if (results.size() == 1 && results[0] != ValType::V128) {
    const uint32_t s = src(stack_.back());
    begin(h::ret1);
    word(s);
    return;
  }
  // Materialise for this return only: a conditional return (br_if, br_table)
  // leaves the model of the path that continues unchanged.
  const std::vector<Entry> saved = stack_;
  materialize_top(results.size());
  const Entry& first = stack_[stack_.size() - results.size()];
  emit_return_from_slots(first.slot, height() - first.slot);
  stack_ = saved;
}

void Compiler::emit_return_from_slots(uint32_t base, uint32_t slots) {
  if (slots == 1) {
    begin(h::ret1);
    word(base);
    return;
  }
  begin(h::retn);
  word(base);
  word(slots);
}

}  // namespace compiler_detail
}  // namespace ws
