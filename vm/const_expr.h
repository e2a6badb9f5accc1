// Evaluation of constant expressions (global initialisers, segment offsets and
// element items) at instantiation, including extended-const arithmetic.
#pragma once
#include "error.h"
#include "runtime.h"

namespace ws {

// Evaluates `expr` of `module`; global.get and ref.func resolve through
// `instance`, whose functions and earlier globals must already exist.
Result<Value> eval_const_expr(const Module& module, const ConstExpr& expr, const Instance& instance);

}  // namespace ws
