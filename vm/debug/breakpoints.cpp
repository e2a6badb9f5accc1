// Breakpoints: from a function, an offset or a source line to module offsets,
// patched into whichever code (fused or debug) each function runs; hit
// counts and conditions on the stopping frame's locals.
#include <cctype>
#include <cstdlib>

#include "../code_reader.h"
#include "../compiler.h"
#include "../store_impl.h"
#include "../thread_debug.h"
#include "session_impl.h"

namespace ws::debug {

namespace {

Error bp_error(std::string message) { return Error{std::move(message), "", std::nullopt, std::nullopt, ""}; }

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool parse_index(const std::string& s, uint32_t* out) {
  if (s.empty() || s.size() > 10) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v > UINT32_MAX) return false;
  *out = uint32_t(v);
  return true;
}

}  // namespace

Result<Condition> parse_condition(const std::string& text) {
  static const struct {
    const char* text;
    Condition::Op op;
  } kOps[] = {{"==", Condition::Eq}, {"!=", Condition::Ne}, {"<=", Condition::Le},
              {">=", Condition::Ge}, {"<", Condition::Lt},  {">", Condition::Gt}};
  for (const auto& o : kOps) {
    const size_t at = text.find(o.text);
    if (at == std::string::npos) continue;
    Condition c;
    c.local = trim(text.substr(0, at));
    c.op = o.op;
    c.number = trim(text.substr(at + std::char_traits<char>::length(o.text)));
    char* end = nullptr;
    if (c.local.empty() || c.number.empty()) break;
    std::strtod(c.number.c_str(), &end);
    if (*end != '\0') return bp_error("condition '" + text + "': '" + c.number + "' is not a number");
    return c;
  }
  return bp_error("condition '" + text + "': expected LOCAL OP NUMBER with OP one of == != < <= > >=");
}

CompiledFunction* SessionImpl::function_at(uint32_t offset) const {
  const auto& funcs = module_->funcs;
  auto it = std::upper_bound(funcs.begin(), funcs.end(), offset,
                             [](uint32_t v, const FuncBody& b) { return v < b.code_offset; });
  if (it == funcs.begin()) return nullptr;
  --it;
  if (offset >= it->code_end) return nullptr;
  return state_of(instance_)->compiled[size_t(it - funcs.begin())].get();
}

uint32_t SessionImpl::patch_index(const CompiledFunction& cf, uint32_t offset) const {
  for (const auto& p : cf.positions)
    if (p.offset >= offset) return p.code_index;
  return UINT32_MAX;
}

// Where a function breakpoint stops: like gdb, past the prologue (the code
// of the line the function starts at, which at -O0 stores the parameters
// into the frame the DWARF locations point at) when there is line info;
// else at the first instruction.
uint32_t SessionImpl::after_prologue(const FuncBody& body) const {
  const auto entry = line_at(body.code_offset);
  if (!entry) return body.code_offset;
  CodeReader reader(module_->binary.data(), body.code_offset, body.code_end);
  Instr in;
  while (!reader.at_end() && reader.next(&in)) {
    const auto loc = line_at(in.offset);
    if (loc && (loc->line != entry->line || loc->file != entry->file)) return in.offset;
  }
  return body.code_offset;
}

Result<std::vector<uint32_t>> SessionImpl::resolve(const BreakpointSpec& spec, std::string* description) const {
  const Module& m = *module_;
  auto describe_at = [&](uint32_t offset) {
    const CompiledFunction* cf = function_at(offset);
    std::string d = cf ? "func[" + std::to_string(cf->func_index) + "] " + m.func_display_name(cf->func_index) : "?";
    d += " at " + hex(offset);
    if (auto loc = debug_info_->location(offset))
      if (loc->line) d += " (" + loc->file + ":" + std::to_string(loc->line) + ")";
    return d;
  };
  switch (spec.kind) {
    case BreakpointSpec::Function: {
      uint32_t index = UINT32_MAX;
      if (!parse_index(spec.function, &index)) {
        for (uint32_t i = 0; i < m.total_funcs() && index == UINT32_MAX; ++i) {
          auto named = m.names.functions.find(i);
          if ((named != m.names.functions.end() && named->second == spec.function) ||
              m.func_display_name(i) == spec.function)
            index = i;
        }
        for (const Export& e : m.exports)
          if (index == UINT32_MAX && e.kind == ExternKind::Func && e.name == spec.function) index = e.index;
        if (index == UINT32_MAX) return bp_error("no function '" + spec.function + "'");
      }
      if (index >= m.total_funcs()) return bp_error("no function " + spec.function);
      if (index < m.num_imported_funcs)
        return bp_error("func[" + std::to_string(index) + "] " + m.func_display_name(index) +
                        " is imported: it has no code to stop in");
      const uint32_t at = after_prologue(m.funcs[index - m.num_imported_funcs]);
      *description = describe_at(at);
      return std::vector<uint32_t>{at};
    }
    case BreakpointSpec::Offset: {
      const CompiledFunction* cf = function_at(spec.offset);
      if (!cf) return bp_error(hex(spec.offset) + " is not inside any function's code");
      const FuncBody& body = m.funcs[cf->func_index - m.num_imported_funcs];
      CodeReader reader(m.binary.data(), body.code_offset, body.code_end);
      Instr in;
      while (!reader.at_end() && reader.next(&in) && in.offset < spec.offset) {
      }
      if (in.offset != spec.offset) return bp_error(hex(spec.offset) + " is not the start of an instruction");
      *description = describe_at(spec.offset);
      return std::vector<uint32_t>{spec.offset};
    }
    case BreakpointSpec::Line: {
      std::vector<uint32_t> offsets = debug_info_->line_offsets(spec.file, spec.line);
      if (offsets.empty()) {
        if (!debug_info_->has_dwarf()) return bp_error("no debug info: cannot break at " + spec.file + ":" + std::to_string(spec.line));
        return bp_error("no code at " + spec.file + ":" + std::to_string(spec.line));
      }
      *description = describe_at(offsets[0]);
      if (offsets.size() > 1) *description += " and " + std::to_string(offsets.size() - 1) + " more";
      return offsets;
    }
  }
  return bp_error("unknown breakpoint kind");
}

void SessionImpl::apply_patches(CompiledFunction* cf) {
  while (!cf->patches.empty()) clear_breakpoint(cf, cf->patches.begin()->first);
  auto& here = patched_[cf->func_index];
  here.clear();
  const FuncBody& body = module_->funcs[cf->func_index - module_->num_imported_funcs];
  for (const auto& [id, bp] : breakpoints_) {
    if (!bp.info.enabled) continue;
    for (uint32_t offset : bp.info.offsets) {
      if (offset < body.code_offset || offset >= body.code_end) continue;
      const uint32_t index = patch_index(*cf, offset);
      if (index != UINT32_MAX && set_breakpoint(cf, index)) {
        here[index].ids.push_back(id);
        here[index].offset = std::min(here[index].offset, offset);
      }
    }
  }
  if (watching() && cf->step_checks) {
    // Every instruction that may write memory (stores, bulk memory, calls
    // that may reach the host) stops so the session can look at its range.
    auto& sites = write_sites_[cf->func_index];
    sites.clear();
    CodeReader reader(module_->binary.data(), body.code_offset, body.code_end);
    Instr in;
    while (!reader.at_end() && reader.next(&in)) {
      const OpInfo& info = op_info(in.op);
      const bool store = (info.imm == Imm::Mem || info.imm == Imm::MemLane) && info.results.empty();
      const bool bulk = in.op == Op::MemoryFill || in.op == Op::MemoryCopy || in.op == Op::MemoryInit;
      const bool host_call = (in.op == Op::Call && in.index < module_->num_imported_funcs) ||
                             in.op == Op::CallIndirect || in.op == Op::ReturnCallIndirect;
      if (!store && !bulk && !host_call) continue;
      const uint32_t index = patch_index(*cf, in.offset);
      if (index != UINT32_MAX && set_breakpoint(cf, index)) sites[index] = in.op;
    }
  } else {
    write_sites_.erase(cf->func_index);
  }
  if (catch_ && catch_->func == cf) {
    catch_->owned = !cf->patches.count(catch_->code_index);
    set_breakpoint(cf, catch_->code_index);
  }
}

void SessionImpl::apply_all_patches() {
  if (!instance_) return;
  for (auto& cf : state_of(instance_)->compiled)
    if (!cf->patches.empty() || !breakpoints_.empty() || watching()) apply_patches(cf.get());
}

Result<int> SessionImpl::add_breakpoint(const BreakpointSpec& spec) {
  std::optional<Condition> condition;
  if (!trim(spec.condition).empty()) {
    auto c = parse_condition(spec.condition);
    if (!c) return c.error();
    condition = *c;
  }
  std::string description;
  auto offsets = resolve(spec, &description);
  if (!offsets) return offsets.error();
  BreakpointState bp;
  bp.info.id = next_id_++;
  bp.info.spec = spec;
  bp.info.offsets = *offsets;
  bp.info.description = description;
  bp.condition = condition;
  const int id = bp.info.id;
  breakpoints_[id] = std::move(bp);
  std::set<CompiledFunction*> touched;
  for (uint32_t offset : *offsets)
    if (CompiledFunction* cf = function_at(offset)) touched.insert(cf);
  for (CompiledFunction* cf : touched) apply_patches(cf);
  return id;
}

Status SessionImpl::remove_breakpoint(int id) {
  auto it = breakpoints_.find(id);
  if (it == breakpoints_.end()) return bp_error("no breakpoint " + std::to_string(id));
  const std::vector<uint32_t> offsets = it->second.info.offsets;
  breakpoints_.erase(it);
  for (uint32_t offset : offsets)
    if (CompiledFunction* cf = function_at(offset)) apply_patches(cf);
  return Ok{};
}

Status SessionImpl::enable_breakpoint(int id, bool enabled) {
  auto it = breakpoints_.find(id);
  if (it == breakpoints_.end()) return bp_error("no breakpoint " + std::to_string(id));
  it->second.info.enabled = enabled;
  for (uint32_t offset : it->second.info.offsets)
    if (CompiledFunction* cf = function_at(offset)) apply_patches(cf);
  return Ok{};
}

std::vector<Breakpoint> SessionImpl::breakpoints() const {
  std::vector<Breakpoint> out;
  for (const auto& [id, bp] : breakpoints_) out.push_back(bp.info);
  return out;
}

std::optional<int> SessionImpl::breakpoint_hit(CompiledFunction* cf, uint32_t code_index, std::string* why) {
  auto f = patched_.find(cf->func_index);
  if (f == patched_.end()) return std::nullopt;
  auto at = f->second.find(code_index);
  if (at == f->second.end()) return std::nullopt;
  std::optional<int> hit;
  for (int id : at->second.ids) {
    auto it = breakpoints_.find(id);
    if (it == breakpoints_.end() || !it->second.info.enabled) continue;
    BreakpointState& bp = it->second;
    std::string error;
    if (bp.condition && !condition_holds(*bp.condition, &error) && error.empty()) continue;
    if (!error.empty() && why->empty()) *why = "breakpoint " + std::to_string(id) + ": " + error;
    ++bp.info.hits;
    if (!hit) hit = id;
  }
  if (hit) hit_offset_ = at->second.offset;
  return hit;
}

// Fused code defers pushes (local.get, constants) into the next instruction
// that does work, so a breakpoint there stops after the offset asked for,
// with nothing between them run. Once the frame runs debug code, move it
// back to the offset asked for: the pushes then run as instructions.
void SessionImpl::move_to_breakpoint_offset() {
  const std::optional<uint32_t> offset = hit_offset_;
  hit_offset_.reset();
  CompiledFunction* cf = current_function();
  if (!offset || !cf || !cf->step_checks || ThreadAccess::host_pending(*thread_)) return;
  if (current_offset() <= *offset) return;
  const uint32_t index = patch_index(*cf, *offset);
  if (index == UINT32_MAX) return;
  Ctx& ctx = ThreadAccess::ctx(*thread_);
  const CodeWord* ip = cf->code.data() + index;
  if (ThreadAccess::resume_point(*thread_) == ctx.ip) ThreadAccess::resume_point(*thread_) = ip;
  ctx.ip = ip;
}

bool SessionImpl::condition_holds(const Condition& c, std::string* error) const {
  std::optional<Value> v = top_local(c.local);
  double lhs = 0;
  if (v) {
    switch (v->type) {
      case ValType::I32: lhs = double(int32_t(v->i32)); break;
      case ValType::I64: lhs = double(int64_t(v->i64)); break;
      case ValType::F32: lhs = double(v->f32); break;
      case ValType::F64: lhs = v->f64; break;
      default:
        *error = "'" + c.local + "' is not a number";
        return false;
    }
  } else {
    // Not a Wasm local: a C variable, through DWARF.
    auto text = evaluate(0, c.local);
    char* end = nullptr;
    if (text) lhs = std::strtod(text->c_str(), &end);
    if (!text || end == text->c_str()) {
      *error = "no local '" + c.local + "' in " + current_function_name();
      return false;
    }
  }
  const double rhs = std::strtod(c.number.c_str(), nullptr);
  switch (c.op) {
    case Condition::Eq: return lhs == rhs;
    case Condition::Ne: return lhs != rhs;
    case Condition::Lt: return lhs < rhs;
    case Condition::Le: return lhs <= rhs;
    case Condition::Gt: return lhs > rhs;
    case Condition::Ge: return lhs >= rhs;
  }
  return false;
}

}  // namespace ws::debug
