// Inspecting and editing a stopped program: frames with names and source
// locations, locals, globals, memory, C variables, and coredumps.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "../coredump/coredump.h"
#include "../store_impl.h"
#include "../thread_debug.h"
#include "session_impl.h"

namespace ws::debug {

namespace {

Error inspect_error(std::string message) { return Error{std::move(message), "", std::nullopt, std::nullopt, ""}; }

std::string value_text(const Value& v) {
  char buf[96];
  switch (v.type) {
    case ValType::I32: std::snprintf(buf, sizeof buf, "%" PRId32, int32_t(v.i32)); break;
    case ValType::I64: std::snprintf(buf, sizeof buf, "%" PRId64, int64_t(v.i64)); break;
    case ValType::F32: std::snprintf(buf, sizeof buf, "%.9g", double(v.f32)); break;
    case ValType::F64: std::snprintf(buf, sizeof buf, "%.17g", v.f64); break;
    case ValType::V128: {
      std::string s = "0x";
      for (int i = 15; i >= 0; --i) {
        std::snprintf(buf, sizeof buf, "%02x", v.v128.bytes[i]);
        s += buf;
      }
      return s;
    }
    default: std::snprintf(buf, sizeof buf, v.ref ? "ref 0x%" PRIx64 : "null", v.ref); break;
  }
  return buf;
}

// "$N" or "local[N]": a local by index.
bool local_index(const std::string& name, uint32_t* out) {
  const char* p = nullptr;
  if (name.size() > 1 && name[0] == '$') p = name.c_str() + 1;
  if (name.size() > 7 && name.compare(0, 6, "local[") == 0 && name.back() == ']') p = name.c_str() + 6;
  if (!p || *p < '0' || *p > '9') return false;
  char* end = nullptr;
  const unsigned long v = std::strtoul(p, &end, 10);
  if (*end != '\0' && *end != ']') return false;
  *out = uint32_t(v);
  return true;
}

}  // namespace

std::string SessionImpl::local_name(uint32_t func_index, uint32_t local) const {
  auto f = module_->names.locals.find(func_index);
  if (f != module_->names.locals.end()) {
    auto l = f->second.find(local);
    if (l != f->second.end()) return l->second;
  }
  return "local[" + std::to_string(local) + "]";
}

std::string SessionImpl::current_function_name() const {
  const CompiledFunction* cf = current_function();
  return cf ? module_->func_display_name(cf->func_index) : "no function";
}

std::optional<Value> SessionImpl::top_local(const std::string& name) const {
  const CompiledFunction* cf = current_function();
  if (!cf) return std::nullopt;
  uint32_t index = UINT32_MAX;
  if (!local_index(name, &index)) {
    auto f = module_->names.locals.find(cf->func_index);
    if (f != module_->names.locals.end())
      for (const auto& [i, n] : f->second)
        if (n == name) index = i;
  }
  if (index >= cf->local_types.size()) return std::nullopt;
  return read_value(cf->local_types[index], ThreadAccess::ctx(*thread_).frame->fp + cf->local_slot[index]);
}

std::vector<Frame> SessionImpl::frames() const {
  std::vector<Frame> out;
  if (!thread_ || !started_) return out;
  const Module& m = *module_;
  for (const FrameInfo& info : thread_->frames()) {
    Frame f;
    if (info.func && info.func->is_host()) {
      f.is_host = true;
      for (uint32_t i = 0; i < m.num_imported_funcs; ++i)
        if (instance_->funcs[i] == info.func) f.func_index = i;
      f.function = m.func_display_name(f.func_index);
      out.push_back(std::move(f));
      continue;
    }
    f.func_index = info.func_index;
    f.function = m.func_display_name(info.func_index);
    f.offset = info.offset;
    if (info.func_index >= m.num_imported_funcs) {
      const FuncBody& body = m.funcs[info.func_index - m.num_imported_funcs];
      f.code_offset = info.offset >= body.body_offset ? info.offset - body.body_offset : 0;
    }
    f.source = debug_info_->source_frames(info.offset);
    if (f.source.empty()) {
      if (auto loc = debug_info_->location(info.offset)) {
        dwarf::SourceFrame s;
        s.function = f.function;
        s.location = loc;
        f.source.push_back(std::move(s));
      }
    }
    for (size_t i = 0; i < info.locals.size(); ++i)
      f.locals.push_back({local_name(info.func_index, uint32_t(i)), info.locals[i]});
    f.stack = info.stack;
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<NamedValue> SessionImpl::globals() const {
  std::vector<NamedValue> out;
  if (!instance_) return out;
  for (uint32_t i = 0; i < instance_->globals.size(); ++i) {
    std::string name;
    auto named = module_->names.globals.find(i);
    if (named != module_->names.globals.end()) name = named->second;
    for (const Export& e : module_->exports)
      if (name.empty() && e.kind == ExternKind::Global && e.index == i) name = e.name;
    if (name.empty()) name = "global[" + std::to_string(i) + "]";
    Value v = instance_->globals[i]->value;
    v.type = instance_->globals[i]->type.type;
    out.push_back({name, v});
  }
  return out;
}

Result<std::vector<uint8_t>> SessionImpl::read_memory(uint64_t address, uint64_t length) const {
  const Memory* mem = memory0();
  if (!mem) return inspect_error("the module has no memory");
  if (address > mem->size_bytes() || length > mem->size_bytes() - address)
    return inspect_error("memory read of " + std::to_string(length) + " bytes at " + std::to_string(address) +
                         " is outside the memory (" + std::to_string(mem->size_bytes()) + " bytes)");
  return std::vector<uint8_t>(mem->data() + address, mem->data() + address + length);
}

uint64_t SessionImpl::memory_size() const {
  const Memory* mem = memory0();
  return mem ? mem->size_bytes() : 0;
}

const Table* SessionImpl::table(uint32_t index) const {
  return instance_ && index < instance_->tables.size() ? instance_->tables[index] : nullptr;
}

dwarf::FrameContext SessionImpl::frame_context(const Frame& frame) const {
  dwarf::FrameContext c;
  std::vector<Value> locals;
  for (const NamedValue& l : frame.locals) locals.push_back(l.value);
  c.local = [locals](uint32_t i) -> std::optional<Value> {
    if (i >= locals.size()) return std::nullopt;
    return locals[i];
  };
  const std::vector<NamedValue> globals = this->globals();
  c.global = [globals](uint32_t i) -> std::optional<Value> {
    if (i >= globals.size()) return std::nullopt;
    return globals[i].value;
  };
  const std::vector<Value> stack = frame.stack;
  c.operand = [stack](uint32_t depth) -> std::optional<Value> {
    if (depth >= stack.size()) return std::nullopt;
    return stack[stack.size() - 1 - depth];
  };
  const Memory* mem = memory0();
  c.read_memory = [mem](uint64_t addr, void* out, size_t size) {
    if (!mem || addr > mem->size_bytes() || size > mem->size_bytes() - addr) return false;
    std::memcpy(out, mem->data() + addr, size);
    return true;
  };
  return c;
}

std::vector<std::pair<dwarf::Variable, std::string>> SessionImpl::variables(size_t frame) const {
  std::vector<std::pair<dwarf::Variable, std::string>> out;
  const std::vector<Frame> fs = frames();
  if (frame >= fs.size() || fs[frame].is_host) return out;
  const dwarf::FrameContext context = frame_context(fs[frame]);
  for (const dwarf::Variable& v : debug_info_->variables(fs[frame].offset))
    out.push_back({v, debug_info_->evaluate(v, fs[frame].offset, context)});
  return out;
}

Result<std::string> SessionImpl::evaluate(size_t frame, const std::string& expression) const {
  const std::vector<Frame> fs = frames();
  if (frame >= fs.size()) return inspect_error("no frame " + std::to_string(frame));
  const Frame& f = fs[frame];
  uint32_t index = 0;
  if (local_index(expression, &index)) {
    if (index >= f.locals.size()) return inspect_error("no local " + expression + " in " + f.function);
    return value_text(f.locals[index].value);
  }
  for (const NamedValue& l : f.locals)
    if (l.name == expression) return value_text(l.value);
  if (!f.is_host && debug_info_->has_dwarf()) {
    auto r = debug_info_->evaluate_expression(expression, f.offset, frame_context(f));
    if (r) return r;
    for (const NamedValue& g : globals())
      if (g.name == expression) return value_text(g.value);
    return r.error();
  }
  for (const NamedValue& g : globals())
    if (g.name == expression) return value_text(g.value);
  return inspect_error("no local or global '" + expression + "' in " + f.function);
}

Result<FrameRecord*> SessionImpl::guest_frame(size_t frame) const {
  if (!thread_ || !started_) return inspect_error("the program has not started");
  const size_t host = ThreadAccess::host_pending(*thread_) ? 1 : 0;
  if (frame < host) return inspect_error("frame " + std::to_string(frame) + " is a host function: it has no locals");
  const size_t depth = ThreadAccess::depth(*thread_);
  if (frame - host >= depth) return inspect_error("no frame " + std::to_string(frame));
  Thread& t = *thread_;
  return ThreadAccess::ctx(t).frame - (frame - host);
}

Status SessionImpl::set_local(size_t frame, uint32_t local_index, Value value) {
  // Debug code first: fused code may still read a local through an operand
  // pushed before, which must keep the old value.
  Status debug = debug_stack();
  if (!debug) return debug;
  auto record = guest_frame(frame);
  if (!record) return record.error();
  const CompiledFunction& cf = *(*record)->func;
  if (local_index >= cf.local_types.size())
    return inspect_error("no local " + std::to_string(local_index) + " in " + module_->func_display_name(cf.func_index));
  if (value.type != cf.local_types[local_index])
    return inspect_error("local " + std::to_string(local_index) + " has type " + valtype_name(cf.local_types[local_index]) +
                         ", not " + valtype_name(value.type));
  write_value((*record)->fp + cf.local_slot[local_index], value);
  return Ok{};
}

Status SessionImpl::set_global(uint32_t global_index, Value value) {
  if (!instance_ || global_index >= instance_->globals.size())
    return inspect_error("no global " + std::to_string(global_index));
  Global* g = instance_->globals[global_index];
  if (value.type != g->type.type)
    return inspect_error("global " + std::to_string(global_index) + " has type " + valtype_name(g->type.type) +
                         ", not " + valtype_name(value.type));
  g->value = value;
  return Ok{};
}

Status SessionImpl::write_memory(uint64_t address, const std::vector<uint8_t>& bytes) {
  Memory* mem = memory0();
  if (!mem) return inspect_error("the module has no memory");
  if (address > mem->size_bytes() || bytes.size() > mem->size_bytes() - address)
    return inspect_error("memory write of " + std::to_string(bytes.size()) + " bytes at " + std::to_string(address) +
                         " is outside the memory (" + std::to_string(mem->size_bytes()) + " bytes)");
  if (!bytes.empty()) std::memcpy(mem->data() + address, bytes.data(), bytes.size());
  return Ok{};
}

std::vector<uint8_t> SessionImpl::coredump() const {
  if (!instance_) return {};
  std::vector<coredump::CoreThread> threads;
  if (thread_ && started_) threads.push_back(coredump::core_thread("main", *module_, thread_->frames()));
  return coredump::write(coredump::capture(*instance_, name_, threads));
}

}  // namespace ws::debug
