#include "handle.h"

#include <algorithm>
#include <cstring>

namespace ws::wasi {

// Defaults: what an object that does not support an operation answers
// (streams answer like a pipe, non-directories like a file).
Errno Handle::read(const std::vector<IoBuffer>&, uint64_t*) { return kEbadf; }
Errno Handle::write(const std::vector<IoBuffer>&, uint64_t*) { return kEbadf; }
Errno Handle::seek(int64_t, Whence, uint64_t*) { return kEspipe; }
Errno Handle::pread(const std::vector<IoBuffer>&, uint64_t, uint64_t*) { return kEspipe; }
Errno Handle::pwrite(const std::vector<IoBuffer>&, uint64_t, uint64_t*) { return kEspipe; }
Errno Handle::set_size(uint64_t) { return kEinval; }
Errno Handle::set_times(const TimeChange&) { return kEnotsup; }
Errno Handle::sync(bool) { return kEinval; }
Errno Handle::allocate(uint64_t, uint64_t) { return kEspipe; }
Errno Handle::advise(uint64_t, uint64_t, uint32_t) { return kEspipe; }
Errno Handle::list(std::vector<DirEntry>*) { return kEnotdir; }
Errno Handle::open_at(const std::string&, const OpenRequest&, std::unique_ptr<Handle>*) { return kEnotdir; }
Errno Handle::stat_at(const std::string&, bool, FileStat*) { return kEnotdir; }
Errno Handle::set_times_at(const std::string&, bool, const TimeChange&) { return kEnotdir; }
Errno Handle::create_directory_at(const std::string&) { return kEnotdir; }
Errno Handle::remove_directory_at(const std::string&) { return kEnotdir; }
Errno Handle::unlink_file_at(const std::string&) { return kEnotdir; }
Errno Handle::symlink_at(const std::string&, const std::string&) { return kEnotdir; }
Errno Handle::readlink_at(const std::string&, std::string*) { return kEnotdir; }
Errno Handle::rename_at(const std::string&, Handle&, const std::string&) { return kEnotdir; }
Errno Handle::link_at(const std::string&, bool, Handle&, const std::string&) { return kEnotdir; }

Readiness Handle::read_readiness() { return Readiness{}; }
Readiness Handle::write_readiness() { return Readiness{}; }
void Handle::add_wait(bool, WaitHint*) {}

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
    if (!lookahead_.empty()) {
      size_t n = std::min(lookahead_.size(), size_t(b.size));
      std::memcpy(b.data, lookahead_.data(), n);
      lookahead_.erase(lookahead_.begin(), lookahead_.begin() + long(n));
      *nread = n;
      break;
    }
    if (pending_end_) {  // an end of input seen by read_readiness(), reported once
      pending_end_ = false;
      break;
    }
    std::optional<size_t> n = source_(b.data, b.size);
    if (!n) return kEagain;
    *nread = *n < b.size ? *n : b.size;
    break;
  }
  return kSuccess;
}

Readiness StreamHandle::read_readiness() {
  if (!is_input_) return Readiness{};  // a read fails at once: "ready"
  if (!source_) return Readiness{true, 0, true};
  if (lookahead_.empty() && !pending_end_) {
    constexpr size_t kLookaheadBytes = 4096;
    lookahead_.resize(kLookaheadBytes);
    std::optional<size_t> n = source_(lookahead_.data(), lookahead_.size());
    lookahead_.resize(n ? std::min(*n, kLookaheadBytes) : 0);
    if (!n) return Readiness{false, 0, false};
    pending_end_ = *n == 0;
  }
  return Readiness{true, lookahead_.size(), pending_end_};
}

void StreamHandle::add_wait(bool write, WaitHint* hint) {
  if (is_input_ && !write) hint->stdin_read = true;
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
