#include "handle.h"

namespace ws::wasi {

// Defaults: what an object that does not support an operation answers.
Errno Handle::read(const std::vector<IoBuffer>&, uint64_t*) { return kEbadf; }
Errno Handle::write(const std::vector<IoBuffer>&, uint64_t*) { return kEbadf; }
Errno Handle::seek(int64_t, Whence, uint64_t*) { return kEspipe; }
Errno Handle::open_at(const std::string&, const OpenRequest&, std::unique_ptr<Handle>*) {
  return kEnotdir;
}
Errno Handle::stat_at(const std::string&, FileStat*) { return kEnotdir; }

Errno Handle::set_fdflags(uint16_t flags) {
  // Only non-blocking mode is meaningful for objects without host state.
  if (flags & ~kFdflagNonblock) return kEnotsup;
  fdflags_ = flags;
  return kSuccess;
}

std::unique_ptr<Handle> StreamHandle::input(InputSource source) {
  auto h = std::make_unique<StreamHandle>();
  h->source_ = std::move(source);
  h->is_input_ = true;
  return h;
}

std::unique_ptr<Handle> StreamHandle::output(OutputSink sink) {
  auto h = std::make_unique<StreamHandle>();
  h->sink_ = std::move(sink);
  return h;
}

Errno StreamHandle::stat(FileStat* out) {
  *out = FileStat{};
  out->filetype = kFiletypeCharacterDevice;
  return kSuccess;
}

Errno StreamHandle::read(const std::vector<IoBuffer>& bufs, uint64_t* nread) {
  *nread = 0;
  if (!is_input_) return kEbadf;
  if (!source_) return kSuccess;  // no stdin: end of input
  // Fill the first non-empty buffer only: a short read is always allowed
  // and it keeps an interactive source from being asked for more than it has.
  for (const IoBuffer& b : bufs) {
    if (b.size == 0) continue;
    std::optional<size_t> n = source_(b.data, b.size);
    if (!n) return kEagain;
    *nread = *n < b.size ? *n : b.size;
    break;
  }
  return kSuccess;
}

Errno StreamHandle::write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) {
  *nwritten = 0;
  if (is_input_) return kEbadf;
  for (const IoBuffer& b : bufs) {
    if (sink_ && b.size != 0) sink_(b.data, b.size);
    *nwritten += b.size;
  }
  return kSuccess;
}

}  // namespace ws::wasi
