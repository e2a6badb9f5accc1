// The Session implementation, shared by vm/debug/*.cpp: session.cpp runs the
// guest and steps, breakpoints.cpp resolves and checks breakpoints,
// watchpoints.cpp watches memory, inspect.cpp shows and edits state.
#pragma once
#include <atomic>
#include <map>
#include <set>

#include "../interp.h"
#include "../opcodes.h"
#include "session.h"

namespace ws::debug {

// A parsed breakpoint condition: "<local> <op> <number>".
struct Condition {
  std::string local;  // a name, or "$N"
  enum Op { Eq, Ne, Lt, Le, Gt, Ge } op = Eq;
  std::string number;  // as written; parsed for the local's type when checked
};
Result<Condition> parse_condition(const std::string& text);

class SessionImpl : public Session {
 public:
  SessionImpl(std::shared_ptr<const Module> module, std::string name, SessionConfig config,
              std::unique_ptr<dwarf::DebugInfo> debug_info);
  Status instantiate();

  void resume(ResumeMode mode) override;
  StopEvent advance(uint64_t budget) override;
  void pause() override;
  Status restart() override;
  StopEvent last_stop() const override { return last_; }

  Result<int> add_breakpoint(const BreakpointSpec& spec) override;
  Status remove_breakpoint(int id) override;
  Status enable_breakpoint(int id, bool enabled) override;
  std::vector<Breakpoint> breakpoints() const override;
  Result<int> add_watchpoint(uint64_t address, uint32_t length) override;
  Status remove_watchpoint(int id) override;
  Status enable_watchpoint(int id, bool enabled) override;
  std::vector<Watchpoint> watchpoints() const override;

  std::vector<Frame> frames() const override;
  std::vector<NamedValue> globals() const override;
  Result<std::vector<uint8_t>> read_memory(uint64_t address, uint64_t length) const override;
  uint64_t memory_size() const override;
  const Table* table(uint32_t index) const override;
  const Module& module() const override { return *module_; }
  const dwarf::DebugInfo& debug_info() const override { return *debug_info_; }
  std::vector<std::pair<dwarf::Variable, std::string>> variables(size_t frame) const override;
  Result<std::string> evaluate(size_t frame, const std::string& expression) const override;

  Status set_local(size_t frame, uint32_t local_index, Value value) override;
  Status set_global(uint32_t global_index, Value value) override;
  Status write_memory(uint64_t address, const std::vector<uint8_t>& bytes) override;
  std::vector<uint8_t> coredump() const override;
  std::vector<std::string> warnings() const override { return warnings_; }
  const wasi::WaitHint& wait_hint() const override { return wasi_->wait_hint(); }
  void add_warning(std::string w) { warnings_.push_back(std::move(w)); }

 private:
  struct BreakpointState {
    Breakpoint info;
    std::optional<Condition> condition;
  };
  // A breakpoint the session sets itself to catch a return (step over a
  // call, finish): it fires only once the stack is back to `depth` frames.
  struct ReturnCatch {
    CompiledFunction* func = nullptr;
    uint32_t code_index = 0;
    size_t depth = 0;
    bool owned = false;  // patched for the catch (not also a breakpoint)
  };
  // A write into watched memory that is about to happen: the watched bytes
  // before it, compared once the instruction has run.
  struct PendingWrite {
    bool active = false;
    uint64_t first = 0, end = 0;  // the range written, if known (stores)
    bool known_range = false;
    std::map<int, std::vector<uint8_t>> before;  // watchpoint id -> bytes
  };

  // ---- execution (session.cpp) ----
  StopEvent stop(StopEvent e);
  std::optional<StopEvent> on_breakpoint_exit();
  std::optional<StopEvent> step_stop();
  bool start_next_entry();
  CompiledFunction* current_function() const;
  uint32_t current_offset() const;
  // The handler about to run at the stop (past a step check).
  const CodeWord* next_handler_ip() const;
  Handler next_handler() const;
  CompiledFunction* call_target() const;  // of the call about to run; null for host/none
  bool is_call(Handler h) const;
  uint32_t call_words(Handler h) const;
  void catch_return(CompiledFunction* cf, uint32_t code_index, size_t depth);
  void clear_return_catch();
  void prepare_line_step_call();
  std::optional<dwarf::SourceLocation> line_at(uint32_t offset) const;
  bool has_line_info(const CompiledFunction& cf) const;
  // Whether `loc` is the line the current function starts at (its prologue).
  bool in_prologue(const dwarf::SourceLocation& loc) const;
  // Code modes. Every function with a frame on the stack runs debug code once
  // the thread has stopped; the others return to fused code on continue.
  Status debug_stack();
  Status ensure_debug(CompiledFunction* cf);
  void refuse_idle_functions();
  Status switch_function(CompiledFunction* cf, bool debug);

  // ---- breakpoints (breakpoints.cpp) ----
  Result<std::vector<uint32_t>> resolve(const BreakpointSpec& spec, std::string* description) const;
  void apply_patches(CompiledFunction* cf);
  void apply_all_patches();
  uint32_t patch_index(const CompiledFunction& cf, uint32_t offset) const;
  uint32_t after_prologue(const FuncBody& body) const;
  CompiledFunction* function_at(uint32_t offset) const;
  std::optional<int> breakpoint_hit(CompiledFunction* cf, uint32_t code_index, std::string* why);
  void move_to_breakpoint_offset();
  bool condition_holds(const Condition& c, std::string* error) const;

  // ---- watchpoints (watchpoints.cpp) ----
  bool watching() const;  // some watchpoint is enabled
  // Switches every function to debug code when watching starts, and back to
  // patched fused code when it ends.
  Status watching_changed(bool was_watching);
  bool may_write(CompiledFunction* cf, uint32_t code_index) const;
  void arm_write_check();
  std::optional<StopEvent> finish_write_check();

  // ---- inspection helpers (inspect.cpp) ----
  std::optional<Value> top_local(const std::string& name) const;
  std::string current_function_name() const;
  Memory* memory0() const;
  std::string local_name(uint32_t func_index, uint32_t local) const;
  Result<FrameRecord*> guest_frame(size_t frame) const;
  dwarf::FrameContext frame_context(const Frame& frame) const;

  std::shared_ptr<const Module> module_;
  std::string name_;
  SessionConfig config_;
  std::unique_ptr<dwarf::DebugInfo> debug_info_;

  // The live program (rebuilt by restart()).
  std::unique_ptr<wasi::Wasi> wasi_;
  std::unique_ptr<Store> store_;
  Instance* instance_ = nullptr;
  std::unique_ptr<Thread> thread_;
  std::vector<Function*> entries_;  // still to run: the start function, then _start
  bool started_ = false;             // resume() was called
  bool done_ = false;                // exited or trapped
  std::atomic<bool> pause_requested_{false};
  StopEvent last_;

  // What the current resume() asked for.
  ResumeMode mode_ = ResumeMode::Continue;
  bool user_step_ = false;  // the mode stops at every step check (not while catching a return)
  size_t step_depth_ = 0;
  std::optional<dwarf::SourceLocation> step_line_;
  std::optional<ReturnCatch> catch_;

  std::map<int, BreakpointState> breakpoints_;
  int next_id_ = 1;
  // Per function (module index): patched code index -> breakpoint ids there,
  // and the (smallest) module offset asked for there.
  struct PatchSite {
    std::vector<int> ids;
    uint32_t offset = UINT32_MAX;
  };
  std::map<uint32_t, std::map<uint32_t, PatchSite>> patched_;
  std::optional<uint32_t> hit_offset_;  // of the breakpoint the thread stopped at
  std::map<int, Watchpoint> watchpoints_;
  // With watchpoints: per function, code index of each instruction that may
  // write memory -> its opcode.
  std::map<uint32_t, std::map<uint32_t, Op>> write_sites_;
  PendingWrite pending_;
  std::vector<std::string> warnings_;
};

}  // namespace ws::debug
