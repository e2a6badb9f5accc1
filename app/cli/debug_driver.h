// `wasmscope debug`: runs parsed commands against a debug::Session and
// prints what they show. All program state lives in the session; this class
// only remembers what the command language needs (the selected frame,
// whether the program has started) and formats stops like gdb:
//
//   Breakpoint 1, func[3] fib (n=5) at fib.c:7
//   7	  if (n < 2) return n;
//   Watchpoint 2: 0x1000 changed from 0 to 5
//   Program exited with code 0
//   Program trapped: integer divide by zero
#pragma once
#include <atomic>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "debug_parse.h"
#include "frame_text.h"
#include "vm/debug/session.h"

namespace ws::cli {

struct DebuggerOptions {
  // Each run/continue/step command stops after this many units of fuel
  // (a watchdog for scripted sessions over programs that never stop).
  std::optional<uint64_t> fuel;
  // Set by a SIGINT handler: the running program pauses at the next slice.
  std::atomic<bool>* interrupt = nullptr;
};

class Debugger {
 public:
  Debugger(debug::Session& session, DebuggerOptions options, std::FILE* out, std::FILE* err);

  // Runs one command; false when it was `quit`. Errors are printed, and
  // counted in failures().
  bool execute(const DebugCommand& command);
  // Prints an error message (a command that did not parse, for instance).
  void fail(const std::string& message);
  int failures() const { return failures_; }

 private:
  enum class State { NotStarted, Stopped, Exited, Trapped };

  // Execution.
  void run();
  bool can_resume();
  void resume(debug::ResumeMode mode, uint64_t count);
  debug::StopEvent advance_until_stop();
  void report(const debug::StopEvent& event, debug::ResumeMode mode);
  void report_return_value(uint32_t callee);

  // Inspection.
  bool require_frames();  // false (and a message) when there is no stack
  FrameView view(const debug::Frame& frame) const;
  dwarf::FrameContext context(const FrameView& view);
  std::string location_line(size_t index, bool with_offset);
  void print_source_line(const debug::Frame& frame);
  void print_frame(size_t index);
  void backtrace();
  void locals();
  void print(const std::string& expression);
  void set_variable(const std::string& name, const std::string& value);
  bool set_c_variable(const std::string& name, const std::string& value);
  std::optional<uint64_t> address_of(const std::string& expression);
  void examine(const DebugCommand& command);

  // Breakpoints.
  void add_breakpoint(const debug::BreakpointSpec& spec);
  void delete_breakpoints(const std::vector<int>& ids);
  void enable_breakpoints(const std::vector<int>& ids, bool enabled);
  void watch(const std::string& address, uint64_t length);
  void info_breakpoints();
  void info_globals();

  void dump(const std::string& path);
  void restart();

  debug::Session& session_;
  DebuggerOptions options_;
  std::FILE* out_;
  std::FILE* err_;
  int failures_ = 0;
  State state_ = State::NotStarted;
  size_t selected_ = 0;
  // Stack and memory as of the last stop; refreshed after anything that may change them.
  std::vector<debug::Frame> frames_;
  std::vector<Value> globals_;
  std::vector<uint8_t> memory_;
  bool memory_loaded_ = false;
  void refresh();
  const std::vector<uint8_t>& memory();
  // Source files, split into lines, read on first use (empty if unreadable).
  std::map<std::string, std::vector<std::string>> sources_;
};

}  // namespace ws::cli
