// Module validation per the WebAssembly 2.0 spec (plus tail calls and
// extended constant expressions): index spaces, limits, constant
// expressions, exports, and the type checking of every function body in a
// single linear pass. Messages follow the spec suite ("type mismatch",
// "unknown local 2", ...), with details after a colon where helpful.
#pragma once
#include "error.h"
#include "module.h"

namespace ws {

Status validate_module(const Module& module);

}  // namespace ws
