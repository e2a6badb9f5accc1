// The `spectest` module that spec scripts import from: print functions,
// globals of each number type, a table and a memory.
#pragma once
#include <map>
#include <string>

#include "vm/runtime.h"

namespace ws::cli {

using ExternMap = std::map<std::string, Extern>;

// Creates spectest's objects in `store`. The print functions write their
// arguments to stderr when `verbose`, and do nothing otherwise.
ExternMap make_spectest(Store& store, bool verbose);

}  // namespace ws::cli
