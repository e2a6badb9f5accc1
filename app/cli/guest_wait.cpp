#include "guest_wait.h"

#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <vector>

#include "tcp_transport.h"

namespace ws::cli {
namespace {

uint64_t monotonic_ns() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

// Milliseconds until `deadline_ns`, rounded up so the guest never wakes early
// (it would only suspend again), or -1 for no deadline.
int timeout_ms(const std::optional<uint64_t>& deadline_ns) {
  if (!deadline_ns) return -1;
  uint64_t now = monotonic_ns();
  if (*deadline_ns <= now) return 0;
  uint64_t ms = (*deadline_ns - now + 999999) / 1000000;
  return ms > uint64_t(INT_MAX) ? INT_MAX : int(ms);
}

}  // namespace

bool wait_for_guest(const wasi::WaitHint& hint) {
  std::vector<struct pollfd> fds;
  if (hint.stdin_read) fds.push_back({0, POLLIN, 0});
  for (const wasi::SocketWait& w : hint.sockets) {
    int fd = tcp_host_fd(w.socket);
    if (fd < 0) continue;
    short events = short((w.read ? POLLIN : 0) | (w.write ? POLLOUT : 0));
    fds.push_back({fd, events, 0});
  }
  if (fds.empty() && !hint.deadline_ns) return false;
  std::fflush(stdout);  // what the guest wrote before waiting must be visible
  int r = ::poll(fds.data(), nfds_t(fds.size()), timeout_ms(hint.deadline_ns));
  return r >= 0 || errno == EINTR;
}

wasi::InputSource nonblocking_stdin() {
  return [](uint8_t* buf, size_t size) -> std::optional<size_t> {
#ifdef __EMSCRIPTEN__
    // Node's stdin (NODERAWFS) cannot be polled: this build reads it
    // blocking, as a plain read(2) would.
    std::fflush(stdout);
#else
    struct pollfd p = {0, POLLIN, 0};
    if (::poll(&p, 1, 0) == 0) return std::nullopt;
#endif
    ssize_t n = ::read(0, buf, size);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return std::nullopt;
    return n > 0 ? size_t(n) : 0;
  };
}

}  // namespace ws::cli
