// The debug-session API: one guest program under the debugger. The CLI
// debugger (`wasmscope debug`), the desktop app and the web page all drive
// this class; none of them reaches into the engine.
//
//   auto session = Session::load(bytes, "prog.wasm", config);
//   session->add_breakpoint(BreakpointSpec::line("main.c", 12));
//   session->resume(ResumeMode::Continue);
//   for (;;) {                       // the web page does one slice per frame
//     StopEvent e = session->advance(1 << 20);
//     if (e.reason != StopReason::Running) break;
//   }
//   session->frames();  session->memory(addr, len);  ...
//
// Execution happens only inside advance(); pause() may be called from any
// native thread (or between slices) and makes advance() return Paused soon.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../error.h"
#include "../runtime.h"
#include "../wasi/wasi.h"
#include "../dwarf/debug_info.h"

namespace ws::debug {

struct SessionConfig {
  wasi::WasiConfig wasi;  // args, env, preopens, stdio callbacks
  ExecLimits limits;
};

// How the next advance() runs.
enum class ResumeMode {
  Continue,         // until a breakpoint, watchpoint, pause, exit or trap
  StepInstruction,  // one Wasm instruction, entering calls (stepi)
  StepInstructionOver,  // one Wasm instruction, a call runs to its return (nexti)
  StepLine,         // to the next source line, entering calls that have line info (step)
  StepLineOver,     // to the next source line in this frame or a caller (next)
  StepOut,          // until the current function returns (finish)
};

enum class StopReason {
  Running,      // the budget of this advance() was spent; nothing happened
  NotStarted,   // resume() was never called
  Breakpoint,   // StopEvent::breakpoint_id
  Watchpoint,   // StopEvent::watchpoint_id, address, old and new bytes
  StepDone,     // the step asked for by resume() completed
  Paused,       // pause() was called
  Suspended,    // the guest waits for input (stdin); advance() again once there is some
  Exited,       // StopEvent::exit_code (also when main returned: 0)
  Trapped,      // StopEvent::message; frames() show where
};

struct StopEvent {
  StopReason reason = StopReason::NotStarted;
  int breakpoint_id = 0;
  int watchpoint_id = 0;
  uint64_t address = 0;                 // watchpoint: the first byte written in the range
  std::vector<uint8_t> old_bytes, new_bytes;  // watchpoint: the watched range before/after
  int exit_code = 0;
  std::string message;                  // trap message, or why a resume was refused
};

// A typed value with its name ("x", "$var0", "local[3]").
struct NamedValue {
  std::string name;
  Value value;
};

struct Frame {
  uint32_t func_index = 0;
  std::string function;                 // name section, else export/import name, else func[N]
  uint32_t offset = 0;                  // module offset of the instruction about to run / that trapped
  uint32_t code_offset = 0;             // relative to the function body start (coredump codeoffset)
  bool is_host = false;                 // a host (WASI) function: no locals
  std::vector<dwarf::SourceFrame> source;  // innermost first; empty without DWARF
  std::vector<NamedValue> locals;       // parameters first
  std::vector<Value> stack;             // operand stack, bottom first
};

struct BreakpointSpec {
  enum Kind { Function, Offset, Line } kind = Function;
  std::string function;        // Function: a name, or a decimal index
  uint32_t offset = 0;         // Offset: module offset
  std::string file;            // Line
  uint32_t line = 0;
  // Optional condition on a local of the stopping frame: "n == 3", "i >= 10",
  // "$1 != 0" (a local by name or by index). Operators: == != < <= > >=.
  std::string condition;
  static BreakpointSpec at_function(std::string name);
  static BreakpointSpec at_offset(uint32_t offset);
  static BreakpointSpec at_line(std::string file, uint32_t line);
};

struct Breakpoint {
  int id = 0;
  BreakpointSpec spec;
  bool enabled = true;
  uint64_t hits = 0;
  std::vector<uint32_t> offsets;  // module offsets where it is set
  std::string description;        // "func[3] fib at 0x1a3 (fib.c:7)"
};

struct Watchpoint {
  int id = 0;
  uint64_t address = 0;
  uint32_t length = 0;
  bool enabled = true;
  uint64_t hits = 0;
};

class Session {
 public:
  // Decodes, validates and instantiates `bytes` with WASI imports, loads its
  // DWARF, and prepares `_start` (or the start function) without running it.
  static Result<std::unique_ptr<Session>> load(std::vector<uint8_t> bytes, std::string name,
                                               SessionConfig config);
  virtual ~Session() = default;

  // ---- execution ----
  virtual void resume(ResumeMode mode) = 0;
  virtual StopEvent advance(uint64_t budget) = 0;
  virtual void pause() = 0;      // thread-safe
  virtual Status restart() = 0;  // fresh instance, same breakpoints and watchpoints
  virtual StopEvent last_stop() const = 0;

  // ---- breakpoints and watchpoints ----
  virtual Result<int> add_breakpoint(const BreakpointSpec& spec) = 0;
  virtual Status remove_breakpoint(int id) = 0;
  virtual Status enable_breakpoint(int id, bool enabled) = 0;
  virtual std::vector<Breakpoint> breakpoints() const = 0;
  virtual Result<int> add_watchpoint(uint64_t address, uint32_t length) = 0;
  virtual Status remove_watchpoint(int id) = 0;
  virtual Status enable_watchpoint(int id, bool enabled) = 0;
  virtual std::vector<Watchpoint> watchpoints() const = 0;

  // ---- inspection while stopped ----
  virtual std::vector<Frame> frames() const = 0;  // youngest first
  virtual std::vector<NamedValue> globals() const = 0;
  virtual Result<std::vector<uint8_t>> read_memory(uint64_t address, uint64_t length) const = 0;
  virtual uint64_t memory_size() const = 0;
  virtual const Table* table(uint32_t index) const = 0;
  virtual const Module& module() const = 0;
  virtual const dwarf::DebugInfo& debug_info() const = 0;
  // C variables of frame `frame` (DWARF), evaluated; and `print EXPR`: a
  // local/global by name or a C expression (see DebugInfo::evaluate_expression).
  virtual std::vector<std::pair<dwarf::Variable, std::string>> variables(size_t frame) const = 0;
  virtual Result<std::string> evaluate(size_t frame, const std::string& expression) const = 0;

  // ---- editing while stopped ----
  virtual Status set_local(size_t frame, uint32_t local_index, Value value) = 0;
  virtual Status set_global(uint32_t global_index, Value value) = 0;
  virtual Status write_memory(uint64_t address, const std::vector<uint8_t>& bytes) = 0;

  // ---- coredump of the current state (paused or trapped) ----
  virtual std::vector<uint8_t> coredump() const = 0;

  // What a Suspended guest waits for (stdin, sockets, a timer deadline), so
  // the embedder can sleep until it can go on instead of spinning.
  virtual const wasi::WaitHint& wait_hint() const = 0;

  // Problems that did not stop the session from loading ("debug info
  // ignored: ..." when the DWARF is malformed).
  virtual std::vector<std::string> warnings() const = 0;
};

}  // namespace ws::debug
