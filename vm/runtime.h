// The engine's public API: a Store of runtime objects, instantiation with
// explicit imports (linking across instances), and resumable Threads that run
// guest code in budgeted slices. Everything the CLI, the spec runner, WASI,
// the debugger and the UI need goes through here; none of them reaches into
// the compiler's or the interpreter's internals.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "error.h"
#include "module.h"
#include "types.h"

namespace ws {

class Store;
class Instance;
class Thread;
struct CompiledFunction;  // the compiler's output; opaque outside the engine
struct ThreadAccess;      // the debugger's access to a stopped thread (vm/thread_debug.h)

// ---- runtime objects (owned by a Store, shared between instances) ----

class Memory {
 public:
  MemoryType type;
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  uint64_t size_bytes() const { return size_; }
  uint32_t pages() const { return uint32_t(size_ / kPageSize); }
  // Grows by `delta` pages; returns the old page count, or -1 when the type's
  // maximum or the store's page limit would be exceeded.
  int64_t grow(uint32_t delta);
  ~Memory();
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  uint64_t capacity_ = 0;
  uint32_t page_limit_ = kMaxPages;  // embedder's limit (ExecLimits::max_memory_pages)
};

class Table {
 public:
  TableType type;
  std::vector<uint64_t> elements;  // funcref: Function*; externref: opaque (0 = null)
  int64_t grow(uint32_t delta, uint64_t init);  // old size or -1
};

class Global {
 public:
  GlobalType type;
  Value value;
};

// What a host function returns to the engine.
enum class HostResult {
  Ok,       // results are written
  Suspend,  // not ready (e.g. stdin empty): the thread returns RunStatus::Suspended
            // and, when run() is called again, the same host call is retried
  Trap,     // HostCall::trap_message says why
  Exit,     // the guest asked to exit (WASI proc_exit); HostCall::exit_code
};

struct HostCall {
  Thread& thread;
  Instance* caller;             // instance of the calling guest function, or null
  Memory* memory;               // caller's memory 0, or null
  const Value* args;
  Value* results;
  std::string trap_message;
  int exit_code = 0;
};
using HostFn = std::function<HostResult(HostCall&)>;

class Function {
 public:
  FuncType type;
  Instance* instance = nullptr;  // defining instance; null for host functions
  uint32_t index = 0;            // index in the defining module's function space
  HostFn host;                   // set for host functions
  std::string host_name;         // "module.name" for host functions
  bool is_host() const { return instance == nullptr; }
};

// An import or export: one of the four kinds of runtime object.
struct Extern {
  ExternKind kind = ExternKind::Func;
  void* object = nullptr;  // Function*, Table*, Memory* or Global*
  Function* func() const { return kind == ExternKind::Func ? static_cast<Function*>(object) : nullptr; }
  Table* table() const { return kind == ExternKind::Table ? static_cast<Table*>(object) : nullptr; }
  Memory* memory() const { return kind == ExternKind::Memory ? static_cast<Memory*>(object) : nullptr; }
  Global* global() const { return kind == ExternKind::Global ? static_cast<Global*>(object) : nullptr; }
};

class Instance {
 public:
  std::shared_ptr<const Module> module;
  std::vector<Function*> funcs;      // combined index spaces, imports first
  std::vector<Table*> tables;
  std::vector<Memory*> memories;
  std::vector<Global*> globals;
  std::vector<bool> dropped_elems;   // elem.drop / data.drop state
  std::vector<bool> dropped_datas;
  Function* start = nullptr;         // the start function, run by the embedder
  const Extern* find_export(const std::string& name) const;
  std::vector<std::pair<std::string, Extern>> exports;
};

// Limits that make runaway guests stop cleanly instead of crashing the host.
struct ExecLimits {
  uint32_t max_call_depth = 20000;
  uint64_t max_stack_bytes = 64u << 20;   // value stack (locals + operands)
  uint32_t max_memory_pages = kMaxPages;  // cap on any memory a store creates or grows
};

class Store {
 public:
  explicit Store(ExecLimits limits = {});
  ~Store();
  const ExecLimits& limits() const { return limits_; }

  Function* create_host_function(FuncType type, HostFn fn, std::string name);
  Memory* create_memory(MemoryType type);
  Table* create_table(TableType type, uint64_t init = 0);
  Global* create_global(GlobalType type, Value value);

  // Links `imports` (in the order of module->imports; kinds and types are
  // checked: "incompatible import type" / "unknown import" messages), allocates
  // the module's objects and applies element and data segments. The start
  // function is NOT run: it is left in Instance::start for the embedder to run
  // on a Thread. A segment that is out of bounds fails instantiation with the
  // trap message, after the earlier segments were applied (spec semantics).
  Result<Instance*> instantiate(std::shared_ptr<const Module> module,
                                const std::vector<Extern>& imports);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ExecLimits limits_;
  friend class Thread;
};

// One frame of a paused or trapped thread, youngest first. `offset` is the
// byte offset in the module binary of the instruction about to execute (or
// that trapped); `locals` include the parameters.
struct FrameInfo {
  Function* func = nullptr;
  uint32_t func_index = 0;
  uint32_t offset = 0;
  std::vector<Value> locals;
  std::vector<Value> stack;
};

struct Trap {
  std::string message;             // "integer divide by zero", "out of bounds memory access", ...
  std::vector<FrameInfo> frames;   // backtrace at the trap, youngest first
};

enum class RunStatus {
  Finished,     // the function returned; results() holds its results
  OutOfBudget,  // the budget ran out; run() again to continue
  Suspended,    // a host function asked to wait; run() again to retry it
  Trapped,      // trap() says why and where
  Exited,       // a host function asked to exit; exit_code()
  Breakpoint,   // stopped at a patched breakpoint (see vm/compiler.h); run() again to continue
};

// A guest thread: its own value stack and frame stack. Guest calls never
// recurse on the native stack, so run() can return at any budget boundary and
// resume exactly where it stopped.
class Thread {
 public:
  explicit Thread(Store& store);
  ~Thread();
  // Prepares a call of `func` with `args` (checked against its type).
  Status start(Function* func, const std::vector<Value>& args);
  // Runs until done or until `budget` units are spent. One unit is charged per
  // function call and per loop iteration (taken backward branch), which bounds
  // the work between checks; UINT64_MAX means no budget.
  RunStatus run(uint64_t budget);
  // Makes the running thread stop with OutOfBudget as soon as possible; safe
  // to call from another native thread.
  void request_stop();

  const std::vector<Value>& results() const;
  const Trap& trap() const;
  int exit_code() const;
  uint64_t budget_used() const;   // units charged by the last run()
  // Frames of a paused (OutOfBudget / Suspended) or trapped thread.
  std::vector<FrameInfo> frames() const;

 private:
  friend struct ThreadAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Evaluates a call to completion with no budget (spec tests, start functions).
RunStatus invoke(Store& store, Function* func, const std::vector<Value>& args,
                 std::vector<Value>* results, Trap* trap);

}  // namespace ws
