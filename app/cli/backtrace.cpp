#include "backtrace.h"

#include <cerrno>
#include <cstring>

#include "frame_text.h"
#include "vm/coredump/coredump.h"

namespace ws::cli {

void print_backtrace(std::FILE* out, const std::vector<FrameInfo>& frames) {
  DebugInfoCache dwarf;
  for (size_t i = 0; i < frames.size(); i++) {
    if (i == kBacktraceHead && frames.size() > kBacktraceHead + kBacktraceTail) {
      size_t skipped = frames.size() - kBacktraceHead - kBacktraceTail;
      std::fprintf(out, "  ... %zu more frames ...\n", skipped);
      i += skipped;
    }
    const Function* f = frames[i].func;
    const dwarf::DebugInfo* debug = nullptr;
    if (f != nullptr && f->instance != nullptr) debug = dwarf.get(f->instance->module);
    for (const std::string& line : frame_lines(i, frame_view(frames[i], debug))) {
      std::fprintf(out, "  %s\n", line.c_str());
    }
  }
  if (!dwarf.last_error().empty()) {
    std::fprintf(out, "  (debug info unusable: %s)\n", dwarf.last_error().c_str());
  }
}

bool write_coredump_file(std::FILE* out, const std::string& path, const Instance& instance,
                         const std::string& executable, const std::vector<FrameInfo>& frames) {
  coredump::CoreThread thread = coredump::core_thread("main", *instance.module, frames);
  std::vector<uint8_t> bytes = coredump::write(coredump::capture(instance, executable, {thread}));
  std::FILE* file = std::fopen(path.c_str(), "wb");
  bool ok = file != nullptr && std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  int saved_errno = errno;
  if (file != nullptr && std::fclose(file) != 0) {
    ok = false;
    saved_errno = errno;
  }
  if (!ok) {
    std::fprintf(out, "error: cannot write coredump %s: %s\n", path.c_str(), std::strerror(saved_errno));
    return false;
  }
  std::fprintf(out, "coredump written to %s\n", path.c_str());
  return true;
}

}  // namespace ws::cli
