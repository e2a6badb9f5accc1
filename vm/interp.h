// Internals of the execution engine shared by the compiler, the handlers and
// the thread trampoline. Nothing outside vm/ includes this; the public API is
// runtime.h.
//
// Compiled code is an array of 8-byte CodeWords: a Handler followed by its
// immediates (slot indices relative to the frame pointer, constants, branch
// targets as CodeWord pointers, object pointers). Every handler ends by
// tail-calling the next one, so guest code runs as a chain of jumps with the
// hot state (ip, fp, memory base and size) in argument registers. A handler
// only returns, to the trampoline in thread.cpp, to leave guest code: finish,
// budget spent, host call, trap or breakpoint.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "runtime.h"

namespace ws {

struct Ctx;
union CodeWord;

// Why a handler chain returned to the trampoline.
enum class Exit : uint32_t { Finished, OutOfBudget, HostCall, Trap, Breakpoint };

using Handler = Exit (*)(const CodeWord* ip, uint64_t* fp, uint8_t* mem, uint64_t mem_size, Ctx* ctx);

union CodeWord {
  Handler h;
  uint64_t u;
  const CodeWord* target;
  const void* p;
};

// Under Emscripten a handler jumps to the next one through h::dispatch, a
// switch on the handler's number that tail-calls it directly: in V8 a
// return_call_indirect costs about 6 ns, a br_table and a direct return_call
// about 2.5 ns. The number sits in the high half of the handler word (a
// function pointer is 32 bits there); 0 means "call ip->h indirectly".
#ifdef __EMSCRIPTEN__
#define WS_SWITCH_DISPATCH 1
uint32_t switch_number(Handler h);  // handlers_dispatch.cpp
#endif

// Every handler word is written with this, so that its number matches.
inline void set_handler(CodeWord& w, Handler h) {
#ifdef WS_SWITCH_DISPATCH
  w.u = uint64_t(reinterpret_cast<uintptr_t>(h)) | uint64_t(switch_number(h)) << 32;
#else
  w.h = h;
#endif
}

enum class TrapCode : uint8_t {
  Unreachable,
  DivideByZero,
  IntegerOverflow,
  InvalidConversion,
  MemoryOutOfBounds,
  TableOutOfBounds,
  UndefinedElement,
  UninitializedElement,
  IndirectCallTypeMismatch,
  CallStackExhausted,
};
const char* trap_message(TrapCode code);

struct InstanceState;

// A defined function compiled to threaded code. What a call that enters it
// reads (code, memory, slot counts) comes first, within 64 bytes: calls
// jump to many functions, whose lines are often not in L1. (Aligning the
// struct to 64 bytes gained nothing more and slowed loading by 1.7%.)
struct CompiledFunction {
  std::vector<CodeWord> code;
  Memory* memory = nullptr;    // the instance's memory 0, or an empty stand-in (never null)
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;    // params + declared locals
  uint32_t zeroed_slots = 0;   // declared locals: zeroed by the call that enters
  uint32_t frame_slots = 0;    // locals + the deepest operand stack, at least params + 4
  Function* func = nullptr;
  InstanceState* instance = nullptr;
  uint32_t func_index = 0;     // in the module's function index space
  std::vector<ValType> local_types;   // params then declared locals
  std::vector<uint32_t> local_slot;   // slot of each local
  bool fused = true;           // compiled with deferral and fusion
  bool step_checks = false;    // debug code (compile_debug_function)

  // Position map, sorted by code index: every place where execution can stop
  // (each emitted instruction) -> module offset of the Wasm instruction that
  // emitted it.
  struct Position {
    uint32_t code_index;
    uint32_t offset;
  };
  std::vector<Position> positions;
  // Breakpoints: code index -> the handler the breakpoint replaced.
  std::map<uint32_t, Handler> patches;

  const CodeWord* entry() const { return code.data(); }
  uint32_t index_of(const CodeWord* ip) const { return uint32_t(ip - code.data()); }
  // The position entry covering code index `i` (the last one at or before it).
  const Position* position_at(uint32_t i) const;
};

// Engine-side state of a Function created by the store.
struct FunctionState : Function {
  uint32_t type_id = 0;                 // canonical type id in the store
  CompiledFunction* compiled = nullptr; // defined functions
};

// Engine-side state of an Instance.
struct InstanceState : Instance {
  std::vector<uint32_t> type_ids;                 // module type index -> canonical id
  std::vector<std::vector<uint64_t>> elem_items;  // evaluated element segments
  std::vector<std::unique_ptr<CompiledFunction>> compiled;  // defined functions
};

inline FunctionState* state_of(Function* f) { return static_cast<FunctionState*>(f); }
inline InstanceState* state_of(Instance* i) { return static_cast<InstanceState*>(i); }

// One activation on a thread's frame stack. The bottom record is a sentinel
// for the thread's entry stub.
struct FrameRecord {
  CompiledFunction* func;
  uint64_t* fp;
  const CodeWord* ret;  // where the caller continues
  // Where ret1 writes a single one-slot result: the caller's slot the call
  // named (fp when the result stays in place; a local when the local.set
  // after the call was folded into it).
  uint64_t* result;
};

// Per-thread execution context, passed to every handler.
struct Ctx {
  uint64_t used = 0;                  // budget units charged so far
  std::atomic<uint64_t> limit{0};     // stop when used would exceed this
  FrameRecord* frame = nullptr;       // the current (top) frame
  FrameRecord* frame_end = nullptr;   // one past the deepest allowed frame
  uint64_t* stack_end = nullptr;      // one past the value stack
  // Saved by every exit: where execution stopped.
  const CodeWord* ip = nullptr;
  uint64_t* fp = nullptr;
  bool single_step = false;           // h::step_check stops (debug code only)
  TrapCode trap = TrapCode::Unreachable;
  uint64_t trap_index = 0;            // UninitializedElement: the table index
  // Exit::HostCall: what to call and where to continue.
  Function* host = nullptr;
  uint64_t* host_args = nullptr;
  const CodeWord* host_next = nullptr;
};

// The empty memory that functions of memory-less instances point at.
Memory* empty_memory();
// The frame-stack sentinel's function: memory = empty_memory().
CompiledFunction* sentinel_function();

// Value <-> slot conversion (v128 takes two slots).
void write_value(uint64_t* slot, const Value& v);
Value read_value(ValType t, const uint64_t* slot);

}  // namespace ws
