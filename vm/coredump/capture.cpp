// From a live instance and thread frames to a Coredump.
#include "coredump.h"

namespace ws::coredump {
namespace {

// The format has value types for numbers only; v128 and references are
// recorded as missing rather than guessed.
std::optional<Value> core_value(const Value& v) {
  switch (v.type) {
    case ValType::I32:
    case ValType::I64:
    case ValType::F32:
    case ValType::F64: return v;
    default: return std::nullopt;
  }
}

// A host frame's function index: the import it was called through in `module`.
std::optional<uint32_t> import_index(const Module& module, const Function& host) {
  for (uint32_t i = 0; i < module.func_imports.size(); i++) {
    const Import& im = module.imports[module.func_imports[i]];
    if (im.module + "." + im.name == host.host_name) return i;
  }
  return std::nullopt;
}

}  // namespace

CoreThread core_thread(const std::string& name, const Module& module, const std::vector<FrameInfo>& frames) {
  CoreThread thread;
  thread.name = name;
  for (const FrameInfo& info : frames) {
    CoreFrame frame;
    if (info.func != nullptr && info.func->is_host()) {
      // A host function has no code; it is known by the import it was called through.
      std::optional<uint32_t> index = import_index(module, *info.func);
      if (!index) continue;
      frame.func_index = *index;
      thread.frames.push_back(std::move(frame));
      continue;
    }
    frame.func_index = info.func_index;
    if (info.func_index >= module.num_imported_funcs) {
      uint32_t defined = info.func_index - module.num_imported_funcs;
      if (defined < module.funcs.size() && info.offset >= module.funcs[defined].body_offset)
        frame.code_offset = info.offset - module.funcs[defined].body_offset;
    }
    for (const Value& v : info.locals) frame.locals.push_back(core_value(v));
    for (const Value& v : info.stack) frame.stack.push_back(core_value(v));
    thread.frames.push_back(std::move(frame));
  }
  return thread;
}

Coredump capture(const Instance& instance, const std::string& executable, const std::vector<CoreThread>& threads) {
  Coredump dump;
  dump.executable = executable;
  // `run` loads one module from the file it names: that path identifies it.
  dump.modules.push_back(executable);
  Coredump::InstanceRecord record;
  for (const Memory* memory : instance.memories) {
    record.memories.push_back(uint32_t(dump.memories.size()));
    dump.memories.emplace_back(memory->data(), memory->data() + memory->size_bytes());
  }
  for (const Global* global : instance.globals) {
    record.globals.push_back(uint32_t(dump.globals.size()));
    dump.globals.push_back(global->value);
  }
  dump.instances.push_back(std::move(record));
  dump.threads = threads;
  return dump;
}

uint32_t module_offset(const Module& module, const CoreFrame& frame) {
  if (frame.func_index < module.num_imported_funcs) return 0;
  uint32_t defined = frame.func_index - module.num_imported_funcs;
  if (defined >= module.funcs.size()) return 0;
  const FuncBody& body = module.funcs[defined];
  // A code offset past the body (a dump of another module) is not trusted.
  if (frame.code_offset > body.code_end - body.body_offset) return 0;
  return body.body_offset + frame.code_offset;
}

}  // namespace ws::coredump
