// Running a guest under the debugger: loading, slices of execution,
// stopping, and the step modes.
//
// Until the program first stops, every function runs its fused code with the
// breakpoints patched in, as fast as a plain run. When it stops, the
// functions with frames on the stack switch to debug code (a step check
// before every instruction, see compile_debug_function), so that stepping
// stops before each instruction; on continue, functions without frames go
// back to fused code.
#include <algorithm>

#include "../compiler.h"
#include "../decoder.h"
#include "../handlers.h"
#include "../store_impl.h"
#include "../thread_debug.h"
#include "../validator.h"
#include "session_impl.h"

namespace ws::debug {

namespace {

Error session_error(std::string message) { return Error{std::move(message), "", std::nullopt, std::nullopt, ""}; }

// The module without its DWARF, for debugging a module whose DWARF is broken.
std::shared_ptr<const Module> without_dwarf(const Module& module) {
  auto copy = std::make_shared<Module>(module);
  copy->customs.erase(std::remove_if(copy->customs.begin(), copy->customs.end(),
                                     [](const CustomSection& c) { return c.name.rfind(".debug", 0) == 0; }),
                      copy->customs.end());
  return copy;
}

}  // namespace

BreakpointSpec BreakpointSpec::at_function(std::string name) {
  BreakpointSpec s;
  s.kind = Function;
  s.function = std::move(name);
  return s;
}
BreakpointSpec BreakpointSpec::at_offset(uint32_t offset) {
  BreakpointSpec s;
  s.kind = Offset;
  s.offset = offset;
  return s;
}
BreakpointSpec BreakpointSpec::at_line(std::string file, uint32_t line) {
  BreakpointSpec s;
  s.kind = Line;
  s.file = std::move(file);
  s.line = line;
  return s;
}

Result<std::unique_ptr<Session>> Session::load(std::vector<uint8_t> bytes, std::string name,
                                               SessionConfig config) {
  auto decoded = decode_module(std::move(bytes));
  if (!decoded) return decoded.error();
  Status valid = validate_module(**decoded);
  if (!valid) return valid.error();
  std::shared_ptr<const Module> module = *decoded;
  auto debug_info = dwarf::DebugInfo::load(module);
  std::string dwarf_problem;
  if (!debug_info) {
    // Broken DWARF costs source-level views, not the session.
    dwarf_problem = debug_info.error().to_string();
    debug_info = dwarf::DebugInfo::load(without_dwarf(*module));
    if (!debug_info) return debug_info.error();
  }
  auto session = std::make_unique<SessionImpl>(module, std::move(name), std::move(config),
                                               std::move(*debug_info));
  if (!dwarf_problem.empty()) session->add_warning("debug info ignored: " + dwarf_problem);
  Status ready = session->instantiate();
  if (!ready) return ready.error();
  return std::unique_ptr<Session>(std::move(session));
}

SessionImpl::SessionImpl(std::shared_ptr<const Module> module, std::string name, SessionConfig config,
                         std::unique_ptr<dwarf::DebugInfo> debug_info)
    : module_(std::move(module)), name_(std::move(name)), config_(std::move(config)),
      debug_info_(std::move(debug_info)) {}

Status SessionImpl::instantiate() {
  thread_.reset();
  instance_ = nullptr;
  store_.reset();
  auto wasi = wasi::Wasi::create(config_.wasi);
  if (!wasi) return wasi.error();
  wasi_ = std::move(*wasi);
  store_ = std::make_unique<Store>(config_.limits);
  auto imports = wasi_->resolve_imports(*store_, *module_);
  if (!imports) return imports.error();
  auto instance = store_->instantiate(module_, *imports);
  if (!instance) return instance.error();
  instance_ = *instance;
  thread_ = std::make_unique<Thread>(*store_);
  entries_.clear();
  if (instance_->start) entries_.push_back(instance_->start);
  const Extern* start = instance_->find_export("_start");
  if (start && start->kind == ExternKind::Func) entries_.push_back(start->func());
  if (entries_.empty()) return session_error(name_ + ": no '_start' function exported");
  started_ = done_ = false;
  pause_requested_ = false;
  last_ = StopEvent{};
  pending_ = PendingWrite{};
  catch_.reset();
  user_step_ = false;
  patched_.clear();
  if (watching())
    for (auto& cf : state_of(instance_)->compiled) {
      Status s = switch_function(cf.get(), true);
      if (!s) return s;
    }
  apply_all_patches();
  return Ok{};
}

Status SessionImpl::restart() { return instantiate(); }

void SessionImpl::pause() {
  pause_requested_ = true;
  if (thread_) thread_->request_stop();
}

bool SessionImpl::start_next_entry() {
  if (entries_.empty()) return false;
  Function* f = entries_.front();
  entries_.erase(entries_.begin());
  Status s = thread_->start(f, {});
  if (!s) {
    done_ = true;
    last_ = StopEvent{};
    last_.reason = StopReason::Trapped;
    last_.message = s.error().message;
    return false;
  }
  return true;
}

// ---- where the thread is ----

CompiledFunction* SessionImpl::current_function() const {
  if (!thread_ || ThreadAccess::depth(*thread_) == 0) return nullptr;
  return ThreadAccess::ctx(*thread_).frame->func;
}

uint32_t SessionImpl::current_offset() const {
  const CompiledFunction* cf = current_function();
  if (!cf) return 0;
  const CompiledFunction::Position* p = cf->position_at(cf->index_of(ThreadAccess::ctx(*thread_).ip));
  return p ? p->offset : 0;
}

const CodeWord* SessionImpl::next_handler_ip() const {
  const CodeWord* ip = ThreadAccess::ctx(*thread_).ip;
  const CompiledFunction* cf = current_function();
  if (!cf) return ip;  // the thread's entry stub
  auto it = cf->patches.find(cf->index_of(ip));
  const Handler h = it != cf->patches.end() ? it->second : ip->h;
  return h == h::step_check ? ip + 1 : ip;
}

Handler SessionImpl::next_handler() const {
  const CodeWord* ip = next_handler_ip();
  const CompiledFunction* cf = current_function();
  if (!cf) return ip->h;
  auto it = cf->patches.find(cf->index_of(ip));
  return it != cf->patches.end() ? it->second : ip->h;
}

bool SessionImpl::is_call(Handler h) const {
  return h == h::call || h == h::call_same || h == h::call_host || h == h::call_indirect;
}

uint32_t SessionImpl::call_words(Handler h) const {
  return h == h::call_indirect ? 5 : h == h::call_host ? 3 : 4;
}

CompiledFunction* SessionImpl::call_target() const {
  const Handler h = next_handler();
  const CodeWord* ip = next_handler_ip();
  if (h == h::call || h == h::call_same || h == h::return_call)
    return static_cast<CompiledFunction*>(const_cast<void*>(ip[1].p));
  if (h != h::call_indirect && h != h::return_call_indirect) return nullptr;
  const Table* table = static_cast<const Table*>(ip[1].p);
  const uint64_t* fp = ThreadAccess::ctx(*thread_).fp;
  const uint32_t index = uint32_t(fp[ip[4].u]);
  if (index >= table->elements.size()) return nullptr;
  auto* f = reinterpret_cast<FunctionState*>(table->elements[index]);
  return f && f->type_id == ip[2].u ? f->compiled : nullptr;
}

std::optional<dwarf::SourceLocation> SessionImpl::line_at(uint32_t offset) const {
  auto loc = debug_info_->location(offset);
  if (loc && loc->line == 0) return std::nullopt;  // compiler-generated code
  return loc;
}

bool SessionImpl::has_line_info(const CompiledFunction& cf) const {
  const FuncBody& body = module_->funcs[cf.func_index - module_->num_imported_funcs];
  return line_at(body.code_offset).has_value();
}

bool SessionImpl::in_prologue(const dwarf::SourceLocation& loc) const {
  const CompiledFunction* cf = current_function();
  if (!cf) return false;
  const FuncBody& body = module_->funcs[cf->func_index - module_->num_imported_funcs];
  const auto entry = line_at(body.code_offset);
  return entry && entry->line == loc.line && entry->file == loc.file;
}

// ---- code modes ----

Status SessionImpl::switch_function(CompiledFunction* cf, bool debug) {
  Status s = switch_code(thread_.get(), cf, debug);
  if (!s) return s;
  apply_patches(cf);
  return Ok{};
}

Status SessionImpl::ensure_debug(CompiledFunction* cf) {
  if (!cf || cf->step_checks) return Ok{};
  return switch_function(cf, true);
}

Status SessionImpl::debug_stack() {
  if (!thread_) return Ok{};
  const size_t depth = ThreadAccess::depth(*thread_);
  FrameRecord* frames = ThreadAccess::frames(*thread_);
  for (size_t i = 1; i <= depth; ++i) {
    Status s = ensure_debug(frames[i].func);
    if (!s) return s;
  }
  return Ok{};
}

void SessionImpl::refuse_idle_functions() {
  if (watching() || !instance_) return;
  std::set<const CompiledFunction*> active;
  if (thread_) {
    const size_t depth = ThreadAccess::depth(*thread_);
    FrameRecord* frames = ThreadAccess::frames(*thread_);
    for (size_t i = 1; i <= depth; ++i) active.insert(frames[i].func);
  }
  for (auto& cf : state_of(instance_)->compiled)
    if (cf->step_checks && !active.count(cf.get())) switch_function(cf.get(), false);
}

// ---- stepping ----

void SessionImpl::catch_return(CompiledFunction* cf, uint32_t code_index, size_t depth) {
  clear_return_catch();
  ReturnCatch c;
  c.func = cf;
  c.code_index = code_index;
  c.depth = depth;
  c.owned = !cf->patches.count(code_index);
  if (!set_breakpoint(cf, code_index)) return;  // not a position: keep single-stepping
  catch_ = c;
  user_step_ = false;
}

void SessionImpl::clear_return_catch() {
  if (catch_ && catch_->owned) clear_breakpoint(catch_->func, catch_->code_index);
  catch_.reset();
}

// Before a call runs during a line step: step into it only when stepping
// into calls and the callee has line info; otherwise run it to its return.
void SessionImpl::prepare_line_step_call() {
  const Handler h = next_handler();
  const bool tail = h == h::return_call || h == h::return_call_indirect;
  if (!(is_call(h) && h != h::call_host) && !tail) return;
  CompiledFunction* callee = call_target();
  const bool into = mode_ == ResumeMode::StepLine || tail;
  if (into && callee && has_line_info(*callee)) {
    ensure_debug(callee);
    return;
  }
  Ctx& ctx = ThreadAccess::ctx(*thread_);
  const size_t depth = ThreadAccess::depth(*thread_);
  if (tail) {
    // The frame is replaced: catch the return to the caller.
    if (depth > 1) catch_return((ctx.frame - 1)->func, (ctx.frame - 1)->func->index_of(ctx.frame->ret), depth - 1);
    return;
  }
  CompiledFunction* cf = current_function();
  catch_return(cf, cf->index_of(next_handler_ip()) + call_words(h), depth);
}

void SessionImpl::resume(ResumeMode mode) {
  if (done_ || !thread_) return;
  if (!started_) {
    started_ = true;
    if (!start_next_entry()) return;
  }
  clear_return_catch();
  mode_ = mode;
  user_step_ = false;
  Ctx& ctx = ThreadAccess::ctx(*thread_);
  const size_t depth = ThreadAccess::depth(*thread_);
  if (mode == ResumeMode::Continue) {
    refuse_idle_functions();
  } else {
    debug_stack();
  }
  switch (mode) {
    case ResumeMode::Continue:
      break;
    case ResumeMode::StepInstructionOver:
      if (is_call(next_handler()) && current_function()) {
        CompiledFunction* cf = current_function();
        catch_return(cf, cf->index_of(next_handler_ip()) + call_words(next_handler()), depth);
        if (catch_) break;
      }
      [[fallthrough]];
    case ResumeMode::StepInstruction: {
      const Handler h = next_handler();
      if (is_call(h) || h == h::return_call || h == h::return_call_indirect) ensure_debug(call_target());
      user_step_ = true;
      break;
    }
    case ResumeMode::StepLine:
    case ResumeMode::StepLineOver:
      step_depth_ = depth;
      step_line_ = current_function() ? line_at(current_offset()) : std::nullopt;
      user_step_ = true;
      prepare_line_step_call();
      break;
    case ResumeMode::StepOut:
      if (depth > 1) {
        CompiledFunction* caller = (ctx.frame - 1)->func;
        catch_return(caller, caller->index_of(ctx.frame->ret), depth - 1);
      }
      break;
  }
  ThreadAccess::resume_point(*thread_) = ctx.ip;
  pending_ = PendingWrite{};
  if (watching() && current_function()) {
    CompiledFunction* cf = current_function();
    if (may_write(cf, cf->index_of(ctx.ip))) arm_write_check();
  }
  ctx.single_step = user_step_ || pending_.active;
}

std::optional<StopEvent> SessionImpl::step_stop() {
  StopEvent done;
  done.reason = StopReason::StepDone;
  const size_t depth = ThreadAccess::depth(*thread_);
  switch (mode_) {
    case ResumeMode::StepInstruction:
    case ResumeMode::StepInstructionOver:
      return done;
    case ResumeMode::StepLine:
    case ResumeMode::StepLineOver: {
      const auto loc = line_at(current_offset());
      if (depth < step_depth_) {
        // Back in a caller, in the middle of its line: finish that line.
        if (!loc) return done;
        step_depth_ = depth;
        step_line_ = loc;
      } else if (loc && depth > step_depth_) {
        // Entered a function: stop past its prologue, which has the line of
        // its opening brace.
        if (!in_prologue(*loc)) return done;
      } else if (loc) {
        if (!step_line_ || loc->line != step_line_->line || loc->file != step_line_->file) return done;
      } else if (depth > step_depth_) {
        // Entered code without line info: run it to its return.
        Ctx& ctx = ThreadAccess::ctx(*thread_);
        if (depth > 1) {
          catch_return((ctx.frame - 1)->func, (ctx.frame - 1)->func->index_of(ctx.frame->ret), depth - 1);
          return std::nullopt;
        }
      }
      prepare_line_step_call();
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<StopEvent> SessionImpl::on_breakpoint_exit() {
  Ctx& ctx = ThreadAccess::ctx(*thread_);
  CompiledFunction* cf = current_function();
  if (!cf) return std::nullopt;
  const uint32_t index = cf->index_of(ctx.ip);
  const size_t depth = ThreadAccess::depth(*thread_);
  if (pending_.active) {
    auto e = finish_write_check();
    ctx.single_step = user_step_;
    if (e) return e;
  }
  const bool patched = ctx.ip->h == h::breakpoint;
  if (patched) {
    std::string why;
    if (auto id = breakpoint_hit(cf, index, &why)) {
      StopEvent e;
      e.reason = StopReason::Breakpoint;
      e.breakpoint_id = *id;
      e.message = why;
      return e;
    }
    if (catch_ && catch_->func == cf && catch_->code_index == index && depth <= catch_->depth) {
      clear_return_catch();
      if (mode_ == ResumeMode::StepOut || mode_ == ResumeMode::StepInstructionOver) {
        StopEvent e;
        e.reason = StopReason::StepDone;
        return e;
      }
      user_step_ = true;
      ctx.single_step = true;
    }
  }
  auto it = cf->patches.find(index);
  const Handler h = it != cf->patches.end() ? it->second : ctx.ip->h;
  if (user_step_ && h == h::step_check) {
    if (auto e = step_stop()) return e;
  }
  if (watching() && may_write(cf, index)) arm_write_check();
  ctx.single_step = user_step_ || pending_.active;
  return std::nullopt;
}

StopEvent SessionImpl::stop(StopEvent e) {
  if (thread_) {
    ThreadAccess::ctx(*thread_).single_step = false;
    clear_return_catch();
    user_step_ = false;
    pending_ = PendingWrite{};
    if (e.reason == StopReason::Breakpoint || e.reason == StopReason::Watchpoint ||
        e.reason == StopReason::StepDone || e.reason == StopReason::Paused)
      debug_stack();
    if (e.reason == StopReason::Breakpoint) move_to_breakpoint_offset();
    hit_offset_.reset();
  }
  last_ = e;
  return e;
}

StopEvent SessionImpl::advance(uint64_t budget) {
  if (!started_) return last_;
  if (done_) return last_;
  uint64_t left = budget;
  for (;;) {
    const RunStatus status = thread_->run(left);
    left -= std::min(left, thread_->budget_used());
    StopEvent e;
    switch (status) {
      case RunStatus::Finished:
        if (start_next_entry()) continue;
        if (done_) return last_;  // the next entry could not start
        done_ = true;
        e.reason = StopReason::Exited;
        return stop(e);
      case RunStatus::OutOfBudget:
        if (pause_requested_.exchange(false)) {
          e.reason = StopReason::Paused;
          return stop(e);
        }
        e.reason = StopReason::Running;
        return e;
      case RunStatus::Suspended:
        e.reason = StopReason::Suspended;
        last_ = e;
        return e;
      case RunStatus::Trapped:
        done_ = true;
        e.reason = StopReason::Trapped;
        e.message = thread_->trap().message;
        return stop(e);
      case RunStatus::Exited:
        done_ = true;
        e.reason = StopReason::Exited;
        e.exit_code = thread_->exit_code();
        return stop(e);
      case RunStatus::Breakpoint:
        if (auto stopped = on_breakpoint_exit()) return stop(*stopped);
        if (left == 0) {
          e.reason = StopReason::Running;
          return e;
        }
        continue;
    }
  }
}

}  // namespace ws::debug
