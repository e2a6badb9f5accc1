// `wasmscope core [--memory ADDR LEN] COREDUMP [MODULE]`: post-mortem
// debugging of a Wasm coredump. Prints every thread's frames and each
// frame's operand stack and locals in the same text the live debugger uses
// (frame_text.h), and optionally a hexdump of memory.
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "commands.h"
#include "frame_text.h"
#include "load.h"
#include "vm/coredump/coredump.h"

namespace ws::cli {
namespace {

struct CoreOptions {
  std::string core_path;
  std::string module_path;  // empty: try the name the coredump records
  bool dump_memory = false;
  uint64_t memory_address = 0;
  uint64_t memory_length = 0;
};

// Decimal or 0x-prefixed hexadecimal.
bool parse_number(const std::string& s, uint64_t* out) {
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

std::string parse_core_options(const Args& args, CoreOptions* out) {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); i++) {
    if (args[i] == "--memory") {
      if (i + 2 >= args.size()) return "option '--memory' needs ADDR and LEN";
      if (!parse_number(args[i + 1], &out->memory_address)) return "bad --memory address '" + args[i + 1] + "'";
      if (!parse_number(args[i + 2], &out->memory_length)) return "bad --memory length '" + args[i + 2] + "'";
      out->dump_memory = true;
      i += 2;
    } else if (!args[i].empty() && args[i][0] == '-') {
      return "unknown option '" + args[i] + "' for 'core'";
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.empty()) return "core: missing COREDUMP";
  if (positional.size() > 2) return "core: too many arguments";
  out->core_path = positional[0];
  if (positional.size() == 2) out->module_path = positional[1];
  return "";
}

// The module a coredump names, looked up as given and next to the coredump.
std::string find_recorded_module(const std::string& recorded, const std::string& core_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (recorded.empty()) return "";
  if (fs::is_regular_file(recorded, ec)) return recorded;
  fs::path beside = fs::path(core_path).parent_path() / fs::path(recorded).filename();
  if (fs::is_regular_file(beside, ec)) return beside.string();
  return "";
}

// The view of one coredump frame, resolved against its module when known.
FrameView core_frame_view(const coredump::CoreFrame& frame, const Module* module, const dwarf::DebugInfo* debug) {
  FrameView view;
  view.func_index = frame.func_index;
  view.locals = frame.locals;
  view.stack = frame.stack;
  if (module == nullptr) {
    view.offset = frame.code_offset;
    return view;
  }
  if (frame.func_index < module->func_imports.size()) {
    const Import& im = module->imports[module->func_imports[frame.func_index]];
    view.host_name = im.module + "." + im.name;
    return view;
  }
  view.module = module;
  view.debug = debug;
  view.offset = coredump::module_offset(*module, frame);
  return view;
}

int print_memory(const coredump::Coredump& dump, const CoreOptions& options) {
  if (dump.instances.empty() || dump.instances[0].memories.empty()) {
    std::fprintf(stderr, "error: %s: the coredump has no memory\n", options.core_path.c_str());
    return kExitFailure;
  }
  const std::vector<uint8_t>& memory = dump.memories[dump.instances[0].memories[0]];
  if (options.memory_address > memory.size() || options.memory_length > memory.size() - options.memory_address) {
    std::fprintf(stderr,
                 "error: memory [0x%" PRIx64 ", +%" PRIu64 ") is out of bounds (the memory has %zu bytes)\n",
                 options.memory_address, options.memory_length, memory.size());
    return kExitFailure;
  }
  std::printf("memory 0x%" PRIx64 " (%" PRIu64 " bytes):\n", options.memory_address, options.memory_length);
  for (const std::string& line :
       hexdump_lines(options.memory_address, memory.data() + options.memory_address, options.memory_length)) {
    std::printf("%s\n", line.c_str());
  }
  return 0;
}

}  // namespace

int core_command(const Args& args) {
  CoreOptions options;
  std::string problem = parse_core_options(args, &options);
  if (!problem.empty()) return usage_error(problem);

  auto bytes = read_file(options.core_path);
  if (!bytes) {
    std::fprintf(stderr, "error: %s\n", bytes.error().to_string().c_str());
    return kExitFailure;
  }
  auto dump = coredump::read(*bytes);
  if (!dump) {
    std::fprintf(stderr, "error: %s: %s\n", options.core_path.c_str(), dump.error().to_string().c_str());
    return kExitFailure;
  }

  std::string module_path = options.module_path;
  if (module_path.empty() && !dump->modules.empty())
    module_path = find_recorded_module(dump->modules[0], options.core_path);
  std::shared_ptr<const Module> module;
  if (!module_path.empty()) {
    auto loaded = load_module(module_path);
    if (!loaded) {
      std::fprintf(stderr, "error: %s: %s\n", module_path.c_str(), loaded.error().to_string().c_str());
      return kExitFailure;
    }
    module = *loaded;
  }

  std::printf("coredump of %s\n", dump->executable.c_str());
  if (!module) std::printf("(module not found: give MODULE for names, offsets and source lines)\n");
  DebugInfoCache dwarf;
  const dwarf::DebugInfo* debug = dwarf.get(module);
  if (!dwarf.last_error().empty()) std::printf("(debug info unusable: %s)\n", dwarf.last_error().c_str());

  for (const coredump::CoreThread& thread : dump->threads) {
    std::printf("thread %s:\n", thread.name.c_str());
    for (size_t i = 0; i < thread.frames.size(); i++) {
      const coredump::CoreFrame& frame = thread.frames[i];
      FrameView view = core_frame_view(frame, module.get(), debug);
      if (!module) {
        std::printf("#%zu func[%" PRIu32 "]  (code offset 0x%" PRIx32 ")\n", i, frame.func_index, frame.code_offset);
      } else {
        for (const std::string& line : frame_lines(i, view)) std::printf("%s\n", line.c_str());
      }
      if (!view.host_name.empty()) continue;
      // The frame's instance's globals and memory 0, for C variables.
      const coredump::Coredump::InstanceRecord& instance = dump->instances[frame.instance_index];
      std::vector<Value> globals;
      for (uint32_t g : instance.globals) globals.push_back(dump->globals[g]);
      const std::vector<uint8_t>* memory =
          instance.memories.empty() ? nullptr : &dump->memories[instance.memories[0]];
      dwarf::FrameContext context = frame_context(view, &globals, memory ? memory->data() : nullptr,
                                                  memory ? memory->size() : 0);
      std::printf("    %s\n", stack_line(view).c_str());
      for (const std::string& line : local_lines(view, context)) std::printf("    %s\n", line.c_str());
    }
  }
  if (options.dump_memory) return print_memory(*dump, options);
  return 0;
}

}  // namespace ws::cli
