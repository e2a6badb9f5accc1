// Type checking of function bodies: the spec's validation algorithm
// (operand stack of value types, control frames with label types and an
// unreachable flag) in one pass over the code. Part of the validator; the
// buffers are reused from one function to the next, so checking allocates
// nothing per instruction.
#pragma once
#include <string>
#include <vector>

#include "code_reader.h"
#include "error.h"
#include "module.h"

namespace ws {

class FuncValidator {
 public:
  // `declared_funcs[i]`: function i may be named by ref.func in code (it
  // occurs in an element segment, a global initialiser or an export).
  FuncValidator(const Module& module, const std::vector<bool>& declared_funcs);

  // Validates the defined function with combined-space index `func_index`.
  Status validate(uint32_t func_index);

 private:
  // Stack slot types: a ValType byte, or kUnknown for a value that exists
  // only in unreachable code and matches anything.
  using Slot = uint8_t;
  static constexpr Slot kUnknown = 0;

  struct TypeList {
    const ValType* data = nullptr;
    uint32_t size = 0;
  };

  struct Frame {
    Op kind;             // Block, Loop, If, Else (an if after its else), or Block for the function
    BlockType type;
    uint32_t height;     // operand stack height at entry (after popping the params)
    bool unreachable;
  };

  // What CodeReader::visit calls: known() for one-byte opcodes, dynamic()
  // for prefixed ones.
  struct Visitor {
    FuncValidator& v;
    template <Op K>
    __attribute__((always_inline)) bool known(const Instr& in) { return v.known<K>(in); }
    bool dynamic(const Instr& in) { return v.dynamic(in); }
  };
  template <Op op>
  bool known(const Instr& in);
  bool dynamic(const Instr& in);
  bool by_hand(Op op, const Instr& in);
  template <Op op>
  bool fixed_signature(const Instr& in);
  bool simple_immediates(const Instr& in);
  bool memarg(const Instr& in);

  TypeList params(const BlockType& bt) const;
  TypeList results(const BlockType& bt) const;
  TypeList label_types(const Frame& f) const {
    return f.kind == Op::Loop ? params(f.type) : results(f.type);
  }
  bool block_type(const BlockType& bt);
  bool push_frame(Op kind, const BlockType& bt);
  bool end_frame();
  void enter_top_frame();
  bool call(const FuncType& callee, bool tail);

  // The operand stack is stack_[0, top_). Before each instruction stack_ is
  // grown to hold as many more values as one instruction can push (room_),
  // so pushes need no capacity check, plus 4 bytes so that the top values
  // can be read as one word.
  void reserve_room() {
    if (stack_.size() - top_ < room_ + 4) stack_.resize(2 * stack_.size() + room_ + 4);
  }
  void push(Slot t) { stack_[top_++] = t; }
  void push(TypeList t) {
    for (uint32_t i = 0; i < t.size; ++i) stack_[top_++] = Slot(t.data[i]);
  }
  bool pop(Slot expected);
  bool pop_any(Slot* actual);
  bool pop(TypeList t);
  bool check_top(TypeList t);  // like pop(t) then push back, without moving anything
  void set_unreachable();

  bool label(uint32_t depth);
  bool table(uint32_t index);
  bool memory();
  bool func(uint32_t index);
  bool type_index(uint32_t index);
  bool data_segment(uint32_t index);

  bool mismatch(Slot expected, Slot actual, bool missing);
  bool fail(std::string message);

  const Module& m_;
  const std::vector<bool>& declared_;
  uint32_t room_ = 1;  // the most values one instruction can push
  std::vector<Slot> stack_;
  uint32_t top_ = 0;
  // The innermost frame's height and unreachable flag, copied out of
  // frames_.back() because every pop tests them.
  uint32_t floor_ = 0;
  bool unreachable_ = false;
  std::vector<Frame> frames_;
  std::vector<ValType> locals_;  // params, then declared locals
  TypeList func_results_;
  std::string error_;
  bool error_is_malformed_ = false;  // error_ breaks a binary-format rule
};

}  // namespace ws
