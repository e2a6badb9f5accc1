// `wasmscope debug`: one line of the gdb-like command language, parsed into
// a DebugCommand. Parsing knows nothing of the session (so it is tested on
// its own); what a name or an address means is decided when the command runs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vm/debug/session.h"
#include "vm/error.h"

namespace ws::cli {

enum class DebugCommandKind {
  Nothing,  // an empty line or a # comment
  Break,
  Delete,
  Disable,
  Enable,
  Run,
  Continue,
  Step,
  Next,
  StepInstruction,
  NextInstruction,
  Finish,
  Backtrace,
  Frame,
  Up,
  Down,
  Locals,
  Print,
  SetVariable,
  Examine,
  Watch,
  InfoBreakpoints,
  InfoGlobals,
  Dump,
  Restart,
  Quit,
  Help,
  Echo,  // prints its text: marks sections of a script's output
};

// x/FMT: how many units of which size, printed how (gdb's letters).
struct ExamineFormat {
  uint64_t count = 1;
  char format = 'x';  // x hex, d signed, u unsigned, c char, s C string
  uint32_t unit = 4;  // bytes: b 1, h 2, w 4, g 8
};

struct DebugCommand {
  DebugCommandKind kind = DebugCommandKind::Nothing;
  debug::BreakpointSpec breakpoint;  // Break
  std::vector<int> ids;              // Delete (empty: all), Disable, Enable
  uint64_t count = 1;                // Step, Next, StepInstruction, NextInstruction, Up, Down
  std::optional<uint64_t> number;    // Frame: which frame (none: the selected one)
  std::string expression;            // Print; SetVariable: the name; Examine/Watch: the address
  std::string value;                 // SetVariable: the new value, as written
  ExamineFormat examine;             // Examine
  uint64_t length = 0;               // Watch
  std::string path;                  // Dump
  std::string text;                  // Echo
};

Result<DebugCommand> parse_debug_command(const std::string& line);

// A non-negative decimal or 0x-hexadecimal number that fits in 64 bits.
bool parse_unsigned(const std::string& text, uint64_t* out);

// The help text listing every command.
extern const char kDebugHelp[];

}  // namespace ws::cli
