// What the CLI prints and writes when a guest stops for good (a trap, or
// the fuel running out).
//
// The backtrace: one entry per frame, youngest first, in the shared frame
// format (frame_text.h), indented by two spaces:
//   #0 func[5] fib  (offset 0x1a3) at fib.c:12:5
// Names come from the name section (DWARF's for C functions); file:line from
// DWARF, which is loaded only here, when a trap is reported: running costs
// nothing extra.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "vm/runtime.h"

namespace ws::cli {

// Deep recursion makes backtraces of thousands of frames: the youngest
// kBacktraceHead and the oldest kBacktraceTail are printed, with a line
// saying how many were left out (a coredump keeps them all).
constexpr size_t kBacktraceHead = 20;
constexpr size_t kBacktraceTail = 10;

void print_backtrace(std::FILE* out, const std::vector<FrameInfo>& frames);

// Writes a coredump of `instance` (memories, globals) with `frames` as the
// main thread to `path`; prints "coredump written to PATH" or why not to
// `out`. `executable` is recorded as the program's name.
bool write_coredump_file(std::FILE* out, const std::string& path, const Instance& instance,
                         const std::string& executable, const std::vector<FrameInfo>& frames);

}  // namespace ws::cli
