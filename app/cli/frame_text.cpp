#include "frame_text.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace ws::cli {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

std::string location_text(const dwarf::SourceLocation& loc) {
  std::string s = loc.file + ":" + std::to_string(loc.line);
  if (loc.column != 0) s += ":" + std::to_string(loc.column);
  return s;
}

// Shortest text that reads back as the same float.
template <typename F>
std::string float_text(F v, int max_digits) {
  if (std::isnan(v)) return std::signbit(v) ? "-nan" : "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[48];
  for (int digits = 1; digits <= max_digits; digits++) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, double(v));
    if (F(std::strtod(buf, nullptr)) == v) break;
  }
  return buf;
}

}  // namespace

FrameView frame_view(const FrameInfo& frame, const dwarf::DebugInfo* debug) {
  FrameView view;
  if (frame.func != nullptr && frame.func->is_host()) {
    view.host_name = frame.func->host_name;
    return view;
  }
  if (frame.func != nullptr && frame.func->instance != nullptr) view.module = frame.func->instance->module.get();
  view.debug = debug;
  view.func_index = frame.func_index;
  view.offset = frame.offset;
  view.locals.assign(frame.locals.begin(), frame.locals.end());
  view.stack.assign(frame.stack.begin(), frame.stack.end());
  return view;
}

std::vector<std::string> frame_lines(size_t depth, const FrameView& frame) {
  std::string head = "#" + std::to_string(depth);
  if (!frame.host_name.empty()) return {head + " host " + frame.host_name};
  const std::string index_name = "func[" + std::to_string(frame.func_index) + "]";

  // DWARF, when present: source frames innermost first, the last one being
  // the out-of-line function, whose location is where this Wasm frame is in it.
  std::vector<dwarf::SourceFrame> source;
  std::optional<dwarf::SourceLocation> where;
  if (frame.debug != nullptr && frame.debug->has_dwarf()) {
    source = frame.debug->source_frames(frame.offset);
    if (!source.empty()) where = source.back().location;
    if (!where) where = frame.debug->location(frame.offset);
  }
  // The C name ("main") reads better than the linker's ("__original_main").
  std::string name;
  if (!source.empty()) name = source.back().function;
  if (name.empty() && frame.module != nullptr) name = frame.module->func_display_name(frame.func_index);
  head += " " + index_name;
  if (!name.empty() && name != index_name) head += " " + name;
  head += "  (offset " + hex(frame.offset) + ")";
  if (where) head += " at " + location_text(*where);

  std::vector<std::string> lines{head};
  for (size_t i = 0; i + 1 < source.size(); i++) {
    std::string line = "    inlined " + source[i].function;
    if (source[i].location) line += " at " + location_text(*source[i].location);
    lines.push_back(line);
  }
  return lines;
}

std::string value_text(const std::optional<Value>& value) {
  if (!value) return "<unavailable>";
  const Value& v = *value;
  switch (v.type) {
    case ValType::I32: return std::to_string(int32_t(v.i32));
    case ValType::I64: return std::to_string(int64_t(v.i64));
    case ValType::F32: return float_text(v.f32, 9);
    case ValType::F64: return float_text(v.f64, 17);
    case ValType::V128: {
      std::string s = "i32x4";
      for (int lane = 0; lane < 4; lane++) {
        uint32_t bits;
        std::memcpy(&bits, v.v128.bytes + 4 * lane, 4);
        s += " " + hex(bits);
      }
      return s;
    }
    case ValType::FuncRef:
    case ValType::ExternRef: return v.is_null() ? "null" : "ref";
  }
  return "?";
}

std::vector<std::string> wasm_local_lines(const FrameView& frame) {
  std::vector<std::string> lines;
  const std::map<uint32_t, std::string>* names = nullptr;
  if (frame.module != nullptr) {
    auto it = frame.module->names.locals.find(frame.func_index);
    if (it != frame.module->names.locals.end()) names = &it->second;
  }
  for (size_t i = 0; i < frame.locals.size(); i++) {
    std::string name = "local[" + std::to_string(i) + "]";
    if (names != nullptr) {
      auto named = names->find(uint32_t(i));
      if (named != names->end() && !named->second.empty()) name = "$" + named->second;
    }
    const std::optional<Value>& v = frame.locals[i];
    // A missing value still has a declared type; a coredump cannot say which.
    std::string type = v ? valtype_name(v->type) : "?";
    if (!v && frame.module != nullptr && frame.func_index >= frame.module->num_imported_funcs) {
      const FuncType& ft = frame.module->func_type(frame.func_index);
      uint32_t defined = frame.func_index - frame.module->num_imported_funcs;
      if (i < ft.params.size()) {
        type = valtype_name(ft.params[i]);
      } else if (defined < frame.module->funcs.size() &&
                 i - ft.params.size() < frame.module->funcs[defined].locals.size()) {
        type = valtype_name(frame.module->funcs[defined].locals[i - ft.params.size()]);
      }
    }
    lines.push_back(name + ": " + type + " = " + value_text(v));
  }
  return lines;
}

std::vector<std::string> c_variable_lines(const FrameView& frame, const dwarf::FrameContext& context) {
  std::vector<std::string> lines;
  if (frame.debug == nullptr || !frame.debug->has_dwarf() || !frame.host_name.empty()) return lines;
  for (const dwarf::Variable& var : frame.debug->variables(frame.offset)) {
    lines.push_back(var.name + ": " + var.type_name + " = " +
                    frame.debug->evaluate(var, frame.offset, context));
  }
  return lines;
}

std::string stack_line(const FrameView& frame) {
  if (frame.stack.empty()) return "stack: (empty)";
  std::string line = "stack:";
  for (size_t i = 0; i < frame.stack.size(); i++) line += (i == 0 ? " " : ", ") + value_text(frame.stack[i]);
  return line;
}

std::vector<std::string> local_lines(const FrameView& frame, const dwarf::FrameContext& context) {
  std::vector<std::string> lines = c_variable_lines(frame, context);
  for (std::string& line : wasm_local_lines(frame)) lines.push_back(std::move(line));
  return lines;
}

dwarf::FrameContext frame_context(const FrameView& frame, const std::vector<Value>* globals,
                                  const uint8_t* memory, uint64_t memory_size) {
  dwarf::FrameContext context;
  // The callbacks copy what they need: the context may outlive `frame`.
  std::vector<std::optional<Value>> locals = frame.locals, stack = frame.stack;
  context.local = [locals](uint32_t index) -> std::optional<Value> {
    return index < locals.size() ? locals[index] : std::nullopt;
  };
  context.operand = [stack](uint32_t depth) -> std::optional<Value> {
    return depth < stack.size() ? stack[stack.size() - 1 - depth] : std::nullopt;
  };
  std::vector<Value> global_copy = globals != nullptr ? *globals : std::vector<Value>{};
  context.global = [global_copy](uint32_t index) -> std::optional<Value> {
    if (index < global_copy.size()) return global_copy[index];
    return std::nullopt;
  };
  context.read_memory = [memory, memory_size](uint64_t addr, void* out, size_t size) {
    if (memory == nullptr || addr > memory_size || size > memory_size - addr) return false;
    std::memcpy(out, memory + addr, size);
    return true;
  };
  return context;
}

std::vector<std::string> hexdump_lines(uint64_t address, const uint8_t* bytes, size_t size) {
  std::vector<std::string> lines;
  for (size_t row = 0; row < size; row += 16) {
    char text[128];
    int n = std::snprintf(text, sizeof text, "%08" PRIx64 ":", address + row);
    std::string ascii;
    for (size_t i = row; i < row + 16; i++) {
      if (i < size) {
        n += std::snprintf(text + n, sizeof text - size_t(n), " %02x", bytes[i]);
        ascii += bytes[i] >= 0x20 && bytes[i] < 0x7F ? char(bytes[i]) : '.';
      } else {
        n += std::snprintf(text + n, sizeof text - size_t(n), "   ");
      }
    }
    lines.push_back(std::string(text) + "  " + ascii);
  }
  return lines;
}

std::vector<Value> global_values(const Instance& instance) {
  std::vector<Value> values;
  for (const Global* g : instance.globals) values.push_back(g->value);
  return values;
}

const dwarf::DebugInfo* DebugInfoCache::get(const std::shared_ptr<const Module>& module) {
  if (!module) return nullptr;
  auto it = loaded_.find(module.get());
  if (it == loaded_.end()) {
    auto info = dwarf::DebugInfo::load(module);
    std::unique_ptr<dwarf::DebugInfo> kept;
    if (info) {
      kept = std::move(*info);
    } else {
      last_error_ = info.error().to_string();
    }
    it = loaded_.emplace(module.get(), std::move(kept)).first;
  }
  return it->second && it->second->has_dwarf() ? it->second.get() : nullptr;
}

}  // namespace ws::cli
