// The text of stack frames and their variables, shared by every command that
// shows a stack: trap reports (`run`), post-mortem (`core`) and the CLI
// debugger (`debug`: bt, frame, locals). One format everywhere, so a
// post-mortem session can be compared line by line with the live one.
//
//   frame:   #1 func[4] main  (offset 0x2c1) at examples/divide_by_zero.c:14:10
//   inlined:     inlined helper at examples/divide_by_zero.c:6:12
//   local:   divisor: int = 0            (C variable, from DWARF)
//            local[2]: i32 = 0           (Wasm local; "$name" when the name section names it)
//
// Lines carry no indentation and no newline; callers indent (trap reports
// by two spaces, locals under a frame by four).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vm/dwarf/debug_info.h"
#include "vm/runtime.h"

namespace ws::cli {

// A frame from any source: a live or trapped Thread (FrameInfo) or a
// coredump (coredump::CoreFrame).
struct FrameView {
  const Module* module = nullptr;              // the frame's module; null if unknown
  const dwarf::DebugInfo* debug = nullptr;     // its DWARF; null if none or not loaded
  uint32_t func_index = 0;
  std::string host_name;                       // "wasi_snapshot_preview1.fd_write" for host frames
  uint32_t offset = 0;                         // module offset of the current instruction
  std::vector<std::optional<Value>> locals;    // params first; nullopt = unavailable
  std::vector<std::optional<Value>> stack;     // bottom first
};

// `debug` may be null (no DWARF, or not wanted).
FrameView frame_view(const FrameInfo& frame, const dwarf::DebugInfo* debug);

// "#N func[I] NAME  (offset 0x...) at FILE:LINE:COL" (the location only with
// DWARF), followed by one "    inlined FUNC at FILE:LINE:COL" line per
// inlined call, innermost first. Host frames: "#N host MODULE.NAME".
std::vector<std::string> frame_lines(size_t depth, const FrameView& frame);

// A value as the locals and print commands show it: integers in signed
// decimal, floats round-trippable ("1.5", "-0", "nan", "inf"), v128 as
// "i32x4 0x... 0x... 0x... 0x...", references as "null" or "ref", and
// "<unavailable>" for a missing value.
std::string value_text(const std::optional<Value>& value);

// "NAME: TYPE = VALUE" for every Wasm local (params first). NAME is "$name"
// from the name section, else "local[N]".
std::vector<std::string> wasm_local_lines(const FrameView& frame);

// "NAME: CTYPE = VALUE" for every C variable in scope (DWARF), innermost
// scope first; empty without DWARF.
std::vector<std::string> c_variable_lines(const FrameView& frame, const dwarf::FrameContext& context);

// "stack: 24, 0" (bottom first; values typed as value_text shows them), or
// "stack: (empty)".
std::string stack_line(const FrameView& frame);

// All of a frame's variables: its C variables, then its Wasm locals.
std::vector<std::string> local_lines(const FrameView& frame, const dwarf::FrameContext& context);

// Where a frame's variables live: its locals and operand stack, and the
// process's globals and memory 0 (either may be null). The memory is read
// in place: it must outlive the context.
dwarf::FrameContext frame_context(const FrameView& frame, const std::vector<Value>* globals,
                                  const uint8_t* memory, uint64_t memory_size);

// Memory bytes, 16 a line: "00001000: 48 65 6c 6c 6f 00 ...  Hello.".
// `address` is the guest address of bytes[0].
std::vector<std::string> hexdump_lines(uint64_t address, const uint8_t* bytes, size_t size);

// The globals of a live instance, for frame_context.
std::vector<Value> global_values(const Instance& instance);

// DWARF per module, loaded on first use only: a program that never traps or
// stops never parses its debug sections. A module whose DWARF fails to load
// is treated as having none (the error is kept for whoever wants to show it).
class DebugInfoCache {
 public:
  const dwarf::DebugInfo* get(const std::shared_ptr<const Module>& module);
  const std::string& last_error() const { return last_error_; }

 private:
  std::map<const Module*, std::unique_ptr<dwarf::DebugInfo>> loaded_;
  std::string last_error_;
};

}  // namespace ws::cli
