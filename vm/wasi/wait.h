// What a suspended WASI guest waits for. After Thread::run() returns
// Suspended, the embedder reads Wasi::wait_hint(), sleeps until one of these
// can make progress (or the deadline passes), and runs the thread again. A
// spurious wake-up is harmless: the retried call just suspends again.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "transport.h"

namespace ws::wasi {

struct SocketWait {
  Socket* socket = nullptr;  // one of the embedder's own sockets
  bool read = false;         // waiting to read (or, on a listener, to accept)
  bool write = false;
};

struct WaitHint {
  // A timer expires at this time: nanoseconds of the host's monotonic clock
  // (CLOCK_MONOTONIC, which std::chrono::steady_clock uses on Linux).
  std::optional<uint64_t> deadline_ns;
  bool stdin_read = false;  // input from the embedder's stdin source
  std::vector<SocketWait> sockets;

  bool empty() const { return !deadline_ns && !stdin_read && sockets.empty(); }
};

}  // namespace ws::wasi
