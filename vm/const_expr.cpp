#include "const_expr.h"

#include "code_reader.h"

namespace ws {

Result<Value> eval_const_expr(const Module& module, const ConstExpr& expr, const Instance& instance) {
  (void)module;
  auto fail = [&](const std::string& what, uint32_t at) {
    return Error{what, "", expr.offset + at, std::nullopt, ""};
  };
  CodeReader reader(expr.bytes.data(), 0, uint32_t(expr.bytes.size()));
  std::vector<Value> stack;
  Instr in;
  while (!reader.at_end()) {
    if (!reader.next(&in)) return fail(reader.error(), reader.error_offset());
    switch (in.op) {
      case Op::I32Const: stack.push_back(Value::make_i32(uint32_t(in.bits))); break;
      case Op::I64Const: stack.push_back(Value::make_i64(in.bits)); break;
      case Op::F32Const: {
        Value v = Value::make_f32(0);
        v.i32 = uint32_t(in.bits);
        stack.push_back(v);
        break;
      }
      case Op::F64Const: {
        Value v = Value::make_f64(0);
        v.i64 = in.bits;
        stack.push_back(v);
        break;
      }
      case Op::V128Const: stack.push_back(Value::make_v128(in.v128)); break;
      case Op::RefNull: stack.push_back(Value::null_of(in.type)); break;
      case Op::RefFunc:
        if (in.index >= instance.funcs.size()) return fail("unknown function", in.offset);
        stack.push_back(Value::make_ref(ValType::FuncRef, uint64_t(uintptr_t(instance.funcs[in.index]))));
        break;
      case Op::GlobalGet:
        if (in.index >= instance.globals.size()) return fail("unknown global", in.offset);
        stack.push_back(instance.globals[in.index]->value);
        stack.back().type = instance.globals[in.index]->type.type;
        break;
      case Op::I32Add: case Op::I32Sub: case Op::I32Mul:
      case Op::I64Add: case Op::I64Sub: case Op::I64Mul: {
        if (stack.size() < 2) return fail("type mismatch", in.offset);
        const Value b = stack.back();
        stack.pop_back();
        Value& a = stack.back();
        const bool is32 = in.op == Op::I32Add || in.op == Op::I32Sub || in.op == Op::I32Mul;
        const uint64_t x = is32 ? a.i32 : a.i64, y = is32 ? b.i32 : b.i64;
        uint64_t r = 0;
        switch (in.op) {
          case Op::I32Add: case Op::I64Add: r = x + y; break;
          case Op::I32Sub: case Op::I64Sub: r = x - y; break;
          default: r = x * y; break;
        }
        a = is32 ? Value::make_i32(uint32_t(r)) : Value::make_i64(r);
        break;
      }
      case Op::End:
        break;
      default:
        return fail("constant expression required", in.offset);
    }
  }
  if (stack.size() != 1) return fail("type mismatch", 0);
  return stack[0];
}

}  // namespace ws
