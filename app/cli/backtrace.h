// Printing where a guest thread is: one line per frame, youngest first,
//   #0 func[5] fib  (offset 0x1a3)
// with names from the module's name section (Module::func_display_name).
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "vm/runtime.h"

namespace ws::cli {

std::string format_frame(size_t depth, const FrameInfo& frame);
void print_backtrace(std::FILE* out, const std::vector<FrameInfo>& frames);

}  // namespace ws::cli
