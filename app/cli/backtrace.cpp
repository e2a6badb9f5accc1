#include "backtrace.h"

#include <cinttypes>

namespace ws::cli {

std::string format_frame(size_t depth, const FrameInfo& frame) {
  char line[64];
  const Function* f = frame.func;
  if (f != nullptr && f->is_host()) {
    std::snprintf(line, sizeof line, "  #%zu host ", depth);
    return line + f->host_name;
  }
  std::snprintf(line, sizeof line, "  #%zu func[%" PRIu32 "]", depth, frame.func_index);
  std::string text = line;
  if (f != nullptr && f->instance != nullptr && f->instance->module) {
    std::string name = f->instance->module->func_display_name(frame.func_index);
    // The display name falls back to "func[N]", already printed.
    if (name != "func[" + std::to_string(frame.func_index) + "]") text += " " + name;
  }
  std::snprintf(line, sizeof line, "  (offset 0x%" PRIx32 ")", frame.offset);
  return text + line;
}

void print_backtrace(std::FILE* out, const std::vector<FrameInfo>& frames) {
  for (size_t i = 0; i < frames.size(); i++) {
    std::fprintf(out, "%s\n", format_frame(i, frames[i]).c_str());
  }
}

}  // namespace ws::cli
