#include "socket_handle.h"

#include <algorithm>
#include <cstring>

namespace ws::wasi {
namespace {

Errno socket_stat(FileStat* out) {
  *out = FileStat{};
  out->filetype = kFiletypeSocketStream;
  out->nlink = 1;
  return kSuccess;
}

uint64_t total_size(const std::vector<IoBuffer>& bufs) {
  uint64_t total = 0;
  for (const IoBuffer& b : bufs) total += b.size;
  return total;
}

// Most bytes one peek looks at: more than a socket buffer never waits
// in the queue at once.
constexpr uint64_t kMaxPeek = 1 << 20;

// Peeks up to the buffers' total size (at most kMaxPeek) and scatters it.
Errno peek_into(Connection& c, const std::vector<IoBuffer>& bufs, uint64_t* nread) {
  std::vector<uint8_t> data(size_t(std::min(total_size(bufs), kMaxPeek)));
  size_t got = 0;
  if (Errno e = c.recv(data.data(), data.size(), true, &got)) return e;
  size_t at = 0;
  for (const IoBuffer& b : bufs) {
    size_t n = std::min(size_t(b.size), got - at);
    if (n != 0) std::memcpy(b.data, data.data() + at, n);
    at += n;
  }
  *nread = got;
  return kSuccess;
}

}  // namespace

Errno ListenerHandle::stat(FileStat* out) { return socket_stat(out); }
Errno ListenerHandle::read(const std::vector<IoBuffer>&, uint64_t*) { return kEnotconn; }
Errno ListenerHandle::write(const std::vector<IoBuffer>&, uint64_t*) { return kEnotconn; }

void ListenerHandle::add_wait(bool write, WaitHint* hint) {
  if (!write) hint->sockets.push_back(SocketWait{listener_.get(), true, false});
}

Errno ConnectionHandle::stat(FileStat* out) { return socket_stat(out); }

void ConnectionHandle::add_wait(bool write, WaitHint* hint) {
  hint->sockets.push_back(SocketWait{connection_.get(), !write, write});
}

Errno ConnectionHandle::read(const std::vector<IoBuffer>& bufs, uint64_t* nread) {
  return receive(bufs, false, false, false, nread);
}

Errno ConnectionHandle::receive(const std::vector<IoBuffer>& bufs, bool peek, bool waitall, bool may_wait,
                                uint64_t* nread) {
  *nread = 0;
  uint64_t capacity = total_size(bufs);
  if (capacity == 0) return kSuccess;
  // A peek returns what is queued now, even with waitall: waiting for more
  // would mean waking on data that is already there, again and again.
  if (peek) return peek_into(*connection_, bufs, nread);
  uint64_t total = waitall_received_;
  uint64_t skip = total;
  Errno stop = kSuccess;
  bool ended = false;
  for (const IoBuffer& b : bufs) {
    if (skip >= b.size) {
      skip -= b.size;
      continue;
    }
    uint8_t* at = b.data + skip;
    size_t want = b.size - size_t(skip);
    skip = 0;
    while (want != 0) {
      size_t got = 0;
      stop = connection_->recv(at, want, false, &got);
      if (stop != kSuccess) break;
      if (got == 0) {
        ended = true;
        break;
      }
      total += got;
      at += got;
      want -= got;
    }
    if (stop != kSuccess || ended || (!waitall && want != 0)) break;
  }
  if (stop == kEagain && waitall && may_wait && total < capacity) {
    waitall_received_ = total;
    return kEagain;
  }
  waitall_received_ = 0;
  if (stop != kSuccess && total == 0) return stop;  // also kEagain: nothing has arrived
  *nread = total;
  return kSuccess;
}

Errno ConnectionHandle::write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) {
  *nwritten = 0;
  for (const IoBuffer& b : bufs) {
    size_t at = 0;
    while (at < b.size) {
      size_t sent = 0;
      Errno e = connection_->send(b.data + at, b.size - at, &sent);
      if (e == kSuccess && sent == 0) e = kEagain;  // no progress: never spin here
      if (e != kSuccess) return *nwritten != 0 ? kSuccess : e;  // a short write first
      at += sent;
      *nwritten += sent;
    }
  }
  return kSuccess;
}

}  // namespace ws::wasi
