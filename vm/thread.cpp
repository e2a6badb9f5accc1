// Threads: the trampoline that enters threaded code and handles its exits
// (host calls, budget, traps, breakpoints), and the reconstruction of frames
// from the frame stack and the compiler's position map.
#include <cstdlib>
#include <cstring>
#include <map>

#include "compiler.h"
#include "handlers.h"
#include "store_impl.h"
#include "thread_debug.h"

namespace ws {

const char* trap_message(TrapCode code) {
  switch (code) {
    case TrapCode::Unreachable: return "unreachable";
    case TrapCode::DivideByZero: return "integer divide by zero";
    case TrapCode::IntegerOverflow: return "integer overflow";
    case TrapCode::InvalidConversion: return "invalid conversion to integer";
    case TrapCode::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapCode::TableOutOfBounds: return "out of bounds table access";
    case TrapCode::UndefinedElement: return "undefined element";
    case TrapCode::UninitializedElement: return "uninitialized element";
    case TrapCode::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapCode::CallStackExhausted: return "call stack exhausted";
  }
  return "trap";
}

void write_value(uint64_t* slot, const Value& v) {
  switch (v.type) {
    case ValType::I32:
    case ValType::F32: slot[0] = v.i32; break;
    case ValType::V128: std::memcpy(slot, v.v128.bytes, 16); break;
    default: slot[0] = v.i64; break;
  }
}

Value read_value(ValType t, const uint64_t* slot) {
  Value v;
  v.type = t;
  switch (t) {
    case ValType::I32:
    case ValType::F32: v.i32 = uint32_t(slot[0]); break;
    case ValType::V128: std::memcpy(v.v128.bytes, slot, 16); break;
    default: v.i64 = slot[0]; break;
  }
  return v;
}

CompiledFunction* sentinel_function() {
  static CompiledFunction sentinel = [] {
    CompiledFunction s;
    s.memory = empty_memory();
    return s;
  }();
  return &sentinel;
}

// Trap backtraces keep the youngest frames only: a stack overflow would
// otherwise describe tens of thousands of identical frames.
constexpr size_t kMaxTrapFrames = 256;

struct Thread::Impl {
  explicit Impl(Store& s) : store(s) {}
  ~Impl() { std::free(stack); }

  Store& store;
  Ctx ctx;
  uint64_t* stack = nullptr;
  size_t stack_slots = 0;
  std::vector<FrameRecord> frames;
  std::vector<CodeWord> entry;  // [call callee, 0, 0] (call_host: [call_host func, 0]) [finish]
  Function* func = nullptr;
  enum class State { Idle, Ready, Done } state = State::Idle;
  RunStatus last = RunStatus::Finished;
  bool host_pending = false;         // a host call is due (first try or retry)
  const CodeWord* resume_breakpoint = nullptr;  // run the original handler here
  std::atomic<bool> stop_requested{false};
  uint64_t run_start = 0;
  std::vector<Value> results;
  Trap trap;
  int exit_code = 0;

  std::vector<FrameInfo> describe(size_t max_frames) const;
  RunStatus finish_with(RunStatus s) {
    last = s;
    if (s == RunStatus::Finished || s == RunStatus::Trapped || s == RunStatus::Exited) state = State::Done;
    return s;
  }
  RunStatus trapped(std::string message) {
    trap.message = std::move(message);
    trap.frames = describe(kMaxTrapFrames);
    return finish_with(RunStatus::Trapped);
  }
  // Performs the pending host call; returns true to continue running.
  bool host_call(Thread& self, RunStatus* status);
};

Thread::Thread(Store& store) : impl_(std::make_unique<Impl>(store)) {}
Thread::~Thread() = default;

Status Thread::start(Function* func, const std::vector<Value>& args) {
  Impl& t = *impl_;
  auto fail = [](std::string m) { return Error{std::move(m), "", std::nullopt, std::nullopt, ""}; };
  if (!func) return fail("no function to call");
  if (args.size() != func->type.params.size())
    return fail("wrong number of arguments: expected " + std::to_string(func->type.params.size()) +
                ", got " + std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type != func->type.params[i])
      return fail("argument " + std::to_string(i) + " has type " + valtype_name(args[i].type) +
                  ", expected " + valtype_name(func->type.params[i]));
  const ExecLimits& limits = t.store.limits();
  if (!t.stack) {
    // Allocated once at its full size; untouched pages cost nothing.
    t.stack_slots = std::max<uint64_t>(limits.max_stack_bytes / sizeof(uint64_t), 64);
    t.stack = static_cast<uint64_t*>(std::calloc(t.stack_slots, sizeof(uint64_t)));
    if (!t.stack) return fail("cannot allocate the value stack");
    t.frames.resize(size_t(limits.max_call_depth) + 1);
  }
  uint32_t slot = 0;
  for (const Value& v : args) {
    if (slot + 2 > t.stack_slots) return fail("too many arguments for the value stack");
    write_value(t.stack + slot, v);
    slot += slot_count(v.type);
  }
  FunctionState* fs = state_of(func);
  t.entry.clear();
  CodeWord w;
  set_handler(w, fs->compiled ? h::call : h::call_host);
  t.entry.push_back(w);
  w.p = fs->compiled ? static_cast<const void*>(fs->compiled) : func;
  t.entry.push_back(w);
  w.u = 0;
  t.entry.push_back(w);  // arguments at slot 0
  if (fs->compiled) t.entry.push_back(w);  // and the result
  set_handler(w, h::finish);
  t.entry.push_back(w);

  t.frames[0] = {sentinel_function(), t.stack, nullptr, t.stack};
  t.ctx.frame = &t.frames[0];
  t.ctx.frame_end = t.frames.data() + t.frames.size();
  t.ctx.stack_end = t.stack + t.stack_slots;
  t.ctx.ip = t.entry.data();
  t.ctx.fp = t.stack;
  t.func = func;
  t.state = Impl::State::Ready;
  t.host_pending = false;
  t.resume_breakpoint = nullptr;
  t.results.clear();
  t.trap = Trap{};
  t.exit_code = 0;
  return Ok{};
}

bool Thread::Impl::host_call(Thread& self, RunStatus* status) {
  Function* f = ctx.host;
  std::vector<Value> args, res(f->type.results.size());
  const uint64_t* p = ctx.host_args;
  for (ValType t : f->type.params) {
    args.push_back(read_value(t, p));
    p += slot_count(t);
  }
  for (size_t i = 0; i < res.size(); ++i) res[i] = Value::null_of(f->type.results[i]);
  CompiledFunction* caller = ctx.frame->func;
  Memory* memory = caller->memory == empty_memory() ? nullptr : caller->memory;
  HostCall call{self, caller->instance, memory, args.data(), res.data(), {}, 0};
  const HostResult r = f->host ? f->host(call) : HostResult::Trap;
  if (!f->host) call.trap_message = "host function " + f->host_name + " is not callable";
  switch (r) {
    case HostResult::Ok: {
      uint64_t* out = ctx.host_args;
      for (size_t i = 0; i < res.size(); ++i) {
        res[i].type = f->type.results[i];
        write_value(out, res[i]);
        out += slot_count(res[i].type);
      }
      host_pending = false;
      ctx.ip = ctx.host_next;
      return true;
    }
    case HostResult::Suspend:
      *status = finish_with(RunStatus::Suspended);
      return false;
    case HostResult::Trap:
      *status = trapped(call.trap_message.empty() ? "host function trapped" : call.trap_message);
      host_pending = false;
      return false;
    case HostResult::Exit:
      exit_code = call.exit_code;
      host_pending = false;
      *status = finish_with(RunStatus::Exited);
      return false;
  }
  return false;
}

RunStatus Thread::run(uint64_t budget) {
  Impl& t = *impl_;
  if (t.state != Impl::State::Ready) return t.last;
  Ctx& ctx = t.ctx;
  t.run_start = ctx.used;
  const uint64_t limit = budget > UINT64_MAX - ctx.used ? UINT64_MAX : ctx.used + budget;
  ctx.limit.store(limit, std::memory_order_relaxed);
  if (t.stop_requested.exchange(false)) ctx.limit.store(0, std::memory_order_relaxed);
  for (;;) {
    RunStatus status;
    if (t.host_pending && !t.host_call(*this, &status)) return status;
    const CodeWord* ip = ctx.ip;
    Handler h = ip->h;
    if (ip == t.resume_breakpoint) {
      // Resuming where the thread stopped: run what a breakpoint replaced,
      // and pass the step check that stopped it.
      if (h == h::breakpoint) {
        CompiledFunction* cf = ctx.frame->func;
        h = cf->patches.at(cf->index_of(ip));
      }
      if (h == h::step_check) h = (++ip)->h;
    }
    const Memory* m = ctx.frame->func->memory;
    const Exit e = h(ip, ctx.fp, m->data_, m->size_, &ctx);
    if (ctx.ip != t.resume_breakpoint) t.resume_breakpoint = nullptr;
    switch (e) {
      case Exit::Finished: {
        const uint64_t* p = t.stack;
        for (ValType r : t.func->type.results) {
          t.results.push_back(read_value(r, p));
          p += slot_count(r);
        }
        return t.finish_with(RunStatus::Finished);
      }
      case Exit::OutOfBudget:
        t.stop_requested.store(false);
        return t.finish_with(RunStatus::OutOfBudget);
      case Exit::Trap:
        if (ctx.trap == TrapCode::UninitializedElement)
          return t.trapped(std::string(trap_message(ctx.trap)) + " " + std::to_string(ctx.trap_index));
        return t.trapped(trap_message(ctx.trap));
      case Exit::HostCall:
        t.host_pending = true;
        continue;
      case Exit::Breakpoint:
        t.resume_breakpoint = ctx.ip;
        return t.finish_with(RunStatus::Breakpoint);
    }
  }
}

void Thread::request_stop() {
  impl_->stop_requested.store(true);
  impl_->ctx.limit.store(0, std::memory_order_relaxed);
}

const std::vector<Value>& Thread::results() const { return impl_->results; }
const Trap& Thread::trap() const { return impl_->trap; }
int Thread::exit_code() const { return impl_->exit_code; }
uint64_t Thread::budget_used() const { return impl_->ctx.used - impl_->run_start; }

std::vector<FrameInfo> Thread::frames() const {
  if (impl_->state == Impl::State::Idle) return {};
  return impl_->describe(SIZE_MAX);
}

std::vector<FrameInfo> Thread::Impl::describe(size_t max_frames) const {
  std::vector<FrameInfo> out;
  if (host_pending && ctx.host) {
    FrameInfo host;
    host.func = ctx.host;
    out.push_back(std::move(host));
  }
  // Positions repeat in recursion: describe each one once.
  std::map<std::pair<const CompiledFunction*, uint32_t>, PositionState> cache;
  for (const FrameRecord* f = ctx.frame; f > frames.data() && out.size() < max_frames; --f) {
    const CompiledFunction& cf = *f->func;
    // The top frame stopped at ctx.ip; callers are inside their call instruction.
    const CodeWord* ip = f == ctx.frame ? ctx.ip : (f + 1)->ret - 1;
    const CompiledFunction::Position* pos = cf.position_at(cf.index_of(ip));
    FrameInfo info;
    info.func = cf.func;
    info.func_index = cf.func_index;
    for (size_t i = 0; i < cf.local_types.size(); ++i)
      info.locals.push_back(read_value(cf.local_types[i], f->fp + cf.local_slot[i]));
    if (pos) {
      auto key = std::make_pair(&cf, pos->code_index);
      auto it = cache.find(key);
      if (it == cache.end()) {
        PositionState ps;
        if (!describe_position(cf, pos->code_index, &ps)) ps.offset = pos->offset;
        it = cache.emplace(key, std::move(ps)).first;
      }
      info.offset = it->second.offset;
      for (const StackItem& s : it->second.stack) {
        switch (s.kind) {
          case StackItem::Slot: info.stack.push_back(read_value(s.type, f->fp + s.slot)); break;
          case StackItem::Local: info.stack.push_back(read_value(s.type, f->fp + s.local)); break;
          case StackItem::Const: info.stack.push_back(read_value(s.type, s.bits)); break;
        }
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

Ctx& ThreadAccess::ctx(Thread& t) { return t.impl_->ctx; }
const Ctx& ThreadAccess::ctx(const Thread& t) { return t.impl_->ctx; }
FrameRecord* ThreadAccess::frames(Thread& t) { return t.impl_->frames.data(); }
size_t ThreadAccess::depth(const Thread& t) {
  const Thread::Impl& i = *t.impl_;
  return i.state == Thread::Impl::State::Idle || i.frames.empty() ? 0 : size_t(i.ctx.frame - i.frames.data());
}
bool ThreadAccess::host_pending(const Thread& t) { return t.impl_->host_pending; }
const CodeWord*& ThreadAccess::resume_point(Thread& t) { return t.impl_->resume_breakpoint; }

RunStatus invoke(Store& store, Function* func, const std::vector<Value>& args,
                 std::vector<Value>* results, Trap* trap) {
  Thread thread(store);
  Status s = thread.start(func, args);
  if (!s) {
    if (trap) trap->message = s.error().message;
    return RunStatus::Trapped;
  }
  const RunStatus status = thread.run(UINT64_MAX);
  if (status == RunStatus::Finished && results) *results = thread.results();
  if (status == RunStatus::Trapped && trap) *trap = thread.trap();
  return status;
}

}  // namespace ws
