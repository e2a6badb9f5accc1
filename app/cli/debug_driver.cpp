#include "debug_driver.h"

#include <algorithm>
#include <cinttypes>
#include <fstream>

#include "debug_format.h"
#include "guest_wait.h"

namespace ws::cli {
namespace {

using debug::ResumeMode;
using debug::StopReason;

// Instructions per advance(): between slices the debugger notices Ctrl-C
// and the fuel limit.
constexpr uint64_t kSlice = 1u << 20;

const char kNotRunning[] = "The program is not being run.";

std::string strip_dollar(const std::string& name) {
  return !name.empty() && name[0] == '$' ? name.substr(1) : name;
}

// "$3" or "local[3]" (prefix "local") names index 3.
std::optional<uint32_t> indexed_name(const std::string& name, const std::string& prefix) {
  std::string digits;
  if (name.rfind(prefix + "[", 0) == 0 && name.back() == ']') {
    digits = name.substr(prefix.size() + 1, name.size() - prefix.size() - 2);
  } else if (prefix == "local" && name.size() > 1 && name[0] == '$') {
    digits = name.substr(1);
  } else {
    return std::nullopt;
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  uint64_t n = 0;
  if (!parse_unsigned(digits, &n) || n > UINT32_MAX) return std::nullopt;
  return uint32_t(n);
}

// A local or global named `name` ("x", "$x", or an index form) in `values`.
std::optional<uint32_t> find_named(const std::vector<debug::NamedValue>& values, const std::string& name,
                                   const std::string& index_prefix) {
  if (auto index = indexed_name(name, index_prefix); index && *index < values.size()) return index;
  for (size_t i = 0; i < values.size(); i++) {
    if (strip_dollar(values[i].name) == strip_dollar(name)) return uint32_t(i);
  }
  return std::nullopt;
}

}  // namespace

Debugger::Debugger(debug::Session& session, DebuggerOptions options, std::FILE* out, std::FILE* err)
    : session_(session), options_(options), out_(out), err_(err) {}

void Debugger::fail(const std::string& message) {
  std::fflush(out_);  // keep errors in order with what was printed before them
  std::fprintf(err_, "error: %s\n", message.c_str());
  std::fflush(err_);
  failures_++;
}

bool Debugger::execute(const DebugCommand& c) {
  using Kind = DebugCommandKind;
  switch (c.kind) {
    case Kind::Nothing: break;
    case Kind::Break: add_breakpoint(c.breakpoint); break;
    case Kind::Delete: delete_breakpoints(c.ids); break;
    case Kind::Disable: enable_breakpoints(c.ids, false); break;
    case Kind::Enable: enable_breakpoints(c.ids, true); break;
    case Kind::Run: run(); break;
    case Kind::Continue: if (can_resume()) resume(ResumeMode::Continue, 1); break;
    case Kind::Step: if (can_resume()) resume(ResumeMode::StepLine, c.count); break;
    case Kind::Next: if (can_resume()) resume(ResumeMode::StepLineOver, c.count); break;
    case Kind::StepInstruction: if (can_resume()) resume(ResumeMode::StepInstruction, c.count); break;
    case Kind::NextInstruction: if (can_resume()) resume(ResumeMode::StepInstructionOver, c.count); break;
    case Kind::Finish:
      if (can_resume() && require_frames()) {
        // gdb finishes the selected frame: step out of it and every younger one.
        std::fprintf(out_, "Run till exit from %s\n", location_line(selected_, false).c_str());
        uint32_t callee = frames_[selected_].func_index;
        resume(ResumeMode::StepOut, selected_ + 1);
        if (session_.last_stop().reason == StopReason::StepDone) report_return_value(callee);
      }
      break;
    case Kind::Backtrace: backtrace(); break;
    case Kind::Frame:
      if (!require_frames()) break;
      if (c.number) {
        if (*c.number >= frames_.size()) {
          fail("No frame " + std::to_string(*c.number) + " (the stack has " + std::to_string(frames_.size()) +
               " frames).");
          break;
        }
        selected_ = size_t(*c.number);
      }
      print_frame(selected_);
      break;
    case Kind::Up:
    case Kind::Down:
      if (!require_frames()) break;
      if (c.kind == Kind::Up ? selected_ + c.count >= frames_.size() : c.count > selected_) {
        fail(c.kind == Kind::Up ? "Initial frame selected; you cannot go up." : "Bottom (innermost) frame selected; you cannot go down.");
        break;
      }
      selected_ = c.kind == Kind::Up ? selected_ + size_t(c.count) : selected_ - size_t(c.count);
      print_frame(selected_);
      break;
    case Kind::Locals: locals(); break;
    case Kind::Print: print(c.expression); break;
    case Kind::SetVariable: set_variable(c.expression, c.value); break;
    case Kind::Examine: examine(c); break;
    case Kind::Watch: watch(c.expression, c.length); break;
    case Kind::InfoBreakpoints: info_breakpoints(); break;
    case Kind::InfoGlobals: info_globals(); break;
    case Kind::Dump: dump(c.path); break;
    case Kind::Restart: restart(); break;
    case Kind::Quit: return false;
    case Kind::Help: std::fputs(kDebugHelp, out_); break;
    case Kind::Echo: std::fprintf(out_, "%s\n", c.text.c_str()); break;
  }
  std::fflush(out_);
  return true;
}

// ---- execution ----

void Debugger::run() {
  if (state_ != State::NotStarted) {
    Status restarted = session_.restart();
    if (!restarted) return fail("cannot restart: " + restarted.error().to_string());
  }
  resume(ResumeMode::Continue, 1);
}

// Only `run` starts the program, as in gdb.
bool Debugger::can_resume() {
  if (state_ == State::NotStarted || state_ == State::Exited) {
    fail(kNotRunning);
    return false;
  }
  if (state_ == State::Trapped) {
    fail("The program trapped; 'run' starts it again.");
    return false;
  }
  return true;
}

void Debugger::resume(ResumeMode mode, uint64_t count) {
  for (uint64_t i = 0; i < count; i++) {
    session_.resume(mode);
    debug::StopEvent event = advance_until_stop();
    refresh();
    selected_ = 0;
    if (event.reason != StopReason::StepDone || i + 1 == count) return report(event, mode);
  }
}

debug::StopEvent Debugger::advance_until_stop() {
  if (options_.interrupt) options_.interrupt->store(false);
  uint64_t spent = 0;
  for (;;) {
    if (options_.interrupt && options_.interrupt->exchange(false)) session_.pause();
    uint64_t budget = options_.fuel ? std::min(kSlice, *options_.fuel - spent) : kSlice;
    debug::StopEvent event = session_.advance(budget);
    if (event.reason == StopReason::Suspended) {
      // Sleeping (poll_oneoff) or waiting for a socket: wait without spinning.
      if (wait_for_guest(session_.wait_hint())) continue;
      event.message = "the program waits for something that can never happen";
      return event;
    }
    if (event.reason != StopReason::Running) return event;
    spent += budget;
    if (options_.fuel && spent >= *options_.fuel) {
      session_.pause();
      do {
        event = session_.advance(1);
      } while (event.reason == StopReason::Running);
      if (event.reason == StopReason::Paused) {
        event.message = "fuel exhausted (" + std::to_string(*options_.fuel) + " units)";
      }
      return event;
    }
  }
}

void Debugger::report(const debug::StopEvent& event, ResumeMode mode) {
  bool instruction_step = mode == ResumeMode::StepInstruction || mode == ResumeMode::StepInstructionOver;
  switch (event.reason) {
    case StopReason::Breakpoint:
      state_ = State::Stopped;
      std::fprintf(out_, "Breakpoint %d, %s\n", event.breakpoint_id, location_line(0, false).c_str());
      break;
    case StopReason::Watchpoint: {
      state_ = State::Stopped;
      uint64_t start = event.address;
      for (const debug::Watchpoint& w : session_.watchpoints()) {
        if (w.id == event.watchpoint_id) start = w.address;
      }
      std::fprintf(out_, "Watchpoint %d: %s changed from %s to %s\n", event.watchpoint_id, hex_address(start).c_str(),
                   watched_bytes_text(event.old_bytes).c_str(), watched_bytes_text(event.new_bytes).c_str());
      std::fprintf(out_, "%s\n", location_line(0, false).c_str());
      break;
    }
    case StopReason::StepDone:
      state_ = State::Stopped;
      std::fprintf(out_, "%s\n", location_line(0, instruction_step).c_str());
      break;
    case StopReason::Paused:
      state_ = State::Stopped;
      std::fprintf(out_, "Program %s\n", event.message.empty() ? "paused" : ("stopped: " + event.message).c_str());
      std::fprintf(out_, "%s\n", location_line(0, true).c_str());
      break;
    case StopReason::Exited:
      state_ = State::Exited;
      std::fprintf(out_, "Program exited with code %d\n", event.exit_code);
      return;
    case StopReason::Trapped:
      state_ = State::Trapped;
      std::fprintf(out_, "Program trapped: %s\n", event.message.c_str());
      if (!frames_.empty()) std::fprintf(out_, "%s\n", location_line(0, false).c_str());
      break;
    case StopReason::Running:
    case StopReason::NotStarted:
    case StopReason::Suspended:
      state_ = State::Stopped;
      return fail(event.message.empty() ? "the program did not run" : event.message);
  }
  if (!frames_.empty()) print_source_line(frames_[0]);
}

void Debugger::report_return_value(uint32_t callee) {
  const FuncType& type = session_.module().func_type(callee);
  if (type.results.size() != 1 || frames_.empty() || frames_[0].stack.empty()) return;
  std::fprintf(out_, "Value returned: %s\n", value_text(frames_[0].stack.back()).c_str());
}

void Debugger::restart() {
  Status restarted = session_.restart();
  if (!restarted) return fail("cannot restart: " + restarted.error().to_string());
  state_ = State::NotStarted;
  frames_.clear();
  selected_ = 0;
  memory_loaded_ = false;
  std::fprintf(out_, "Program restarted (not running; 'run' starts it)\n");
}

// ---- inspection ----

void Debugger::refresh() {
  frames_ = session_.frames();
  globals_.clear();
  for (const debug::NamedValue& g : session_.globals()) globals_.push_back(g.value);
  memory_loaded_ = false;
  if (selected_ >= frames_.size()) selected_ = 0;
}

const std::vector<uint8_t>& Debugger::memory() {
  if (!memory_loaded_) {
    auto bytes = session_.read_memory(0, session_.memory_size());
    memory_ = bytes ? std::move(*bytes) : std::vector<uint8_t>();
    memory_loaded_ = true;
  }
  return memory_;
}

bool Debugger::require_frames() {
  if (state_ == State::NotStarted) {
    fail(kNotRunning);
    return false;
  }
  if (state_ == State::Exited || frames_.empty()) {
    fail("No stack.");
    return false;
  }
  return true;
}

FrameView Debugger::view(const debug::Frame& frame) const {
  FrameView v;
  if (frame.is_host) {
    v.host_name = frame.function;
    return v;
  }
  v.module = &session_.module();
  v.debug = session_.debug_info().has_dwarf() ? &session_.debug_info() : nullptr;
  v.func_index = frame.func_index;
  v.offset = frame.offset;
  for (const debug::NamedValue& local : frame.locals) v.locals.push_back(local.value);
  v.stack.assign(frame.stack.begin(), frame.stack.end());
  return v;
}

dwarf::FrameContext Debugger::context(const FrameView& v) {
  const std::vector<uint8_t>& mem = memory();
  return frame_context(v, &globals_, mem.data(), mem.size());
}

// "func[3] fib (n=5) at fib.c:7", with "0x1a3 in " in front for instruction steps.
std::string Debugger::location_line(size_t index, bool with_offset) {
  const debug::Frame& f = frames_[index];
  if (f.is_host) return "host " + f.function;
  std::string text = with_offset ? hex_address(f.offset) + " in " : "";
  std::string plain = "func[" + std::to_string(f.func_index) + "]";
  text += plain;
  // As in bt: the C name of the out-of-line function when DWARF has one.
  std::string name = !f.source.empty() && !f.source.back().function.empty() ? f.source.back().function : f.function;
  if (name != plain) text += " " + name;
  std::string args;
  for (const auto& [variable, value] : session_.variables(index)) {
    if (variable.is_parameter) args += (args.empty() ? "" : ", ") + variable.name + "=" + value;
  }
  if (args.empty() && f.source.empty()) {  // no DWARF: the Wasm parameters
    size_t params = session_.module().func_type(f.func_index).params.size();
    for (size_t i = 0; i < params && i < f.locals.size(); i++) {
      args += (i == 0 ? "" : ", ") + f.locals[i].name + "=" + value_text(f.locals[i].value);
    }
  }
  text += " (" + args + ")";
  if (!f.source.empty() && f.source.front().location) {
    const dwarf::SourceLocation& loc = *f.source.front().location;
    text += " at " + loc.file + ":" + std::to_string(loc.line);
  }
  return text;
}

// "7\t  if (n < 2) return n;" when the source file is readable.
void Debugger::print_source_line(const debug::Frame& frame) {
  if (frame.source.empty() || !frame.source.front().location) return;
  const dwarf::SourceLocation& loc = *frame.source.front().location;
  auto cached = sources_.find(loc.file);
  if (cached == sources_.end()) {
    std::vector<std::string> lines;
    std::ifstream in(loc.file);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    cached = sources_.emplace(loc.file, std::move(lines)).first;
  }
  if (loc.line >= 1 && loc.line <= cached->second.size()) {
    std::fprintf(out_, "%u\t%s\n", loc.line, cached->second[loc.line - 1].c_str());
  }
}

void Debugger::print_frame(size_t index) {
  for (const std::string& line : frame_lines(index, view(frames_[index]))) std::fprintf(out_, "%s\n", line.c_str());
  print_source_line(frames_[index]);
}

void Debugger::backtrace() {
  if (!require_frames()) return;
  for (size_t i = 0; i < frames_.size(); i++) {
    for (const std::string& line : frame_lines(i, view(frames_[i]))) std::fprintf(out_, "%s\n", line.c_str());
  }
}

void Debugger::locals() {
  if (!require_frames()) return;
  FrameView v = view(frames_[selected_]);
  std::vector<std::string> lines = local_lines(v, context(v));
  if (lines.empty()) std::fprintf(out_, "No locals.\n");
  for (const std::string& line : lines) std::fprintf(out_, "%s\n", line.c_str());
}

void Debugger::print(const std::string& expression) {
  if (!require_frames()) return;
  auto value = session_.evaluate(selected_, expression);
  if (!value) return fail(value.error().message);
  std::fprintf(out_, "%s = %s\n", expression.c_str(), value->c_str());
}

void Debugger::set_variable(const std::string& name, const std::string& text) {
  if (!require_frames()) return;
  const debug::Frame& frame = frames_[selected_];
  if (auto local = find_named(frame.locals, name, "local")) {
    auto value = parse_typed_value(frame.locals[*local].value.type, text);
    if (!value) return fail(value.error().message);
    Status set = session_.set_local(selected_, *local, *value);
    if (!set) return fail(set.error().message);
  } else if (auto global = find_named(session_.globals(), name, "global")) {
    auto value = parse_typed_value(globals_.at(*global).type, text);
    if (!value) return fail(value.error().message);
    Status set = session_.set_global(*global, *value);
    if (!set) return fail(set.error().message);
  } else if (!set_c_variable(name, text)) {
    return;
  }
  size_t selected = selected_;
  refresh();
  selected_ = selected;
}

// A C variable in memory: its address from the DWARF evaluator ("&name"),
// its size from its type. False (with a message) when that is not possible.
bool Debugger::set_c_variable(const std::string& name, const std::string& text) {
  std::optional<dwarf::Variable> variable;
  for (const auto& [v, value] : session_.variables(selected_)) {
    if (v.name == name) {
      variable = v;
      break;
    }
  }
  if (!variable) {
    fail("No local, global or C variable named '" + name + "' in frame " + std::to_string(selected_) + ".");
    return false;
  }
  auto scalar = c_scalar_type(variable->type_name);
  if (!scalar) {
    fail("cannot set '" + name + "': only scalar variables can be set, not " + variable->type_name);
    return false;
  }
  auto bytes = c_scalar_bytes(*scalar, text);
  if (!bytes) {
    fail(bytes.error().message);
    return false;
  }
  auto address_text = session_.evaluate(selected_, "&" + name);
  uint64_t address = 0;
  if (!address_text || !leading_address(*address_text, &address)) {
    fail("cannot set '" + name + "': it does not live in memory" +
         (address_text ? std::string() : " (" + address_text.error().message + ")"));
    return false;
  }
  Status written = session_.write_memory(address, *bytes);
  if (!written) {
    fail(written.error().message);
    return false;
  }
  return true;
}

// A number, or an expression whose value starts with one (a pointer).
std::optional<uint64_t> Debugger::address_of(const std::string& expression) {
  uint64_t address = 0;
  if (parse_unsigned(expression, &address)) return address;
  if (!require_frames()) return std::nullopt;
  auto value = session_.evaluate(selected_, expression);
  if (!value) {
    fail(value.error().message);
    return std::nullopt;
  }
  if (!leading_address(*value, &address)) {
    fail("'" + expression + "' is " + *value + ", not an address");
    return std::nullopt;
  }
  return address;
}

void Debugger::examine(const DebugCommand& c) {
  auto address = address_of(c.expression);
  if (!address) return;
  uint64_t size = session_.memory_size();
  if (c.examine.count > size) {
    return fail("x: " + std::to_string(c.examine.count) + " units is more than the whole memory");
  }
  uint64_t length = c.examine.count * c.examine.unit;
  if (c.examine.format == 's') {  // up to the end of memory; strings end at a NUL
    length = *address < size ? std::min<uint64_t>(c.examine.count * (kMaxExamineString + 1), size - *address) : 1;
  }
  auto bytes = session_.read_memory(*address, length);
  if (!bytes) return fail("Cannot access memory at " + hex_address(*address) + " (memory is " + std::to_string(size) + " bytes)");
  for (const std::string& line : examine_lines(*address, *bytes, c.examine)) std::fprintf(out_, "%s\n", line.c_str());
}

// ---- breakpoints and watchpoints ----

void Debugger::add_breakpoint(const debug::BreakpointSpec& spec) {
  auto id = session_.add_breakpoint(spec);
  if (!id) return fail(id.error().message);
  for (const debug::Breakpoint& b : session_.breakpoints()) {
    if (b.id == *id) std::fprintf(out_, "Breakpoint %d: %s\n", b.id, b.description.c_str());
  }
}

void Debugger::delete_breakpoints(const std::vector<int>& ids) {
  if (ids.empty()) {
    for (const debug::Breakpoint& b : session_.breakpoints()) session_.remove_breakpoint(b.id);
    for (const debug::Watchpoint& w : session_.watchpoints()) session_.remove_watchpoint(w.id);
    return;
  }
  for (int id : ids) {
    if (!session_.remove_breakpoint(id) && !session_.remove_watchpoint(id)) {
      fail("No breakpoint number " + std::to_string(id) + ".");
    }
  }
}

void Debugger::enable_breakpoints(const std::vector<int>& ids, bool enabled) {
  for (int id : ids) {
    // Breakpoints and watchpoints share one numbering.
    if (!session_.enable_breakpoint(id, enabled) && !session_.enable_watchpoint(id, enabled))
      fail("No breakpoint number " + std::to_string(id) + ".");
  }
}

void Debugger::watch(const std::string& address_text, uint64_t length) {
  auto address = address_of(address_text);
  if (!address) return;
  auto id = session_.add_watchpoint(*address, uint32_t(length));
  if (!id) return fail(id.error().message);
  std::fprintf(out_, "Watchpoint %d: %s (%" PRIu64 " bytes)\n", *id, hex_address(*address).c_str(), length);
}

void Debugger::info_breakpoints() {
  struct Row {
    int id;
    std::string text;
  };
  std::vector<Row> rows;
  char head[96];
  for (const debug::Breakpoint& b : session_.breakpoints()) {
    std::snprintf(head, sizeof head, "%-4d breakpoint  %-3s %-5" PRIu64 " ", b.id, b.enabled ? "y" : "n", b.hits);
    std::string text = head + b.description + "\n";
    if (!b.spec.condition.empty()) text += "        stop only if " + b.spec.condition + "\n";
    rows.push_back({b.id, text});
  }
  for (const debug::Watchpoint& w : session_.watchpoints()) {
    std::snprintf(head, sizeof head, "%-4d watchpoint  %-3s %-5" PRIu64 " ", w.id, w.enabled ? "y" : "n", w.hits);
    rows.push_back({w.id, head + hex_address(w.address) + " (" + std::to_string(w.length) + " bytes)\n"});
  }
  if (rows.empty()) {
    std::fprintf(out_, "No breakpoints or watchpoints.\n");
    return;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
  std::fprintf(out_, "Num  Type        Enb Hits  What\n");
  for (const Row& r : rows) std::fputs(r.text.c_str(), out_);
}

void Debugger::info_globals() {
  std::vector<debug::NamedValue> globals = session_.globals();
  if (globals.empty()) std::fprintf(out_, "No globals.\n");
  for (const debug::NamedValue& g : globals) {
    std::fprintf(out_, "%s: %s = %s\n", g.name.c_str(), valtype_name(g.value.type), value_text(g.value).c_str());
  }
}

void Debugger::dump(const std::string& path) {
  if (!require_frames()) return;
  std::vector<uint8_t> bytes = session_.coredump();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  bool written = file != nullptr && std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  if (file != nullptr && std::fclose(file) != 0) written = false;
  if (!written) return fail("cannot write the coredump to '" + path + "'");
  std::fprintf(out_, "Coredump written to %s (%zu bytes)\n", path.c_str(), bytes.size());
}

}  // namespace ws::cli
