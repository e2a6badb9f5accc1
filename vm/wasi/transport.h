// Byte-stream sockets for WASI's sock_* calls, as an interface the embedder
// implements: the native CLI over real TCP (app/cli/tcp_transport.h), the web
// page over postMessage. Every operation is non-blocking: "nothing yet" is
// kEagain, and the WASI layer turns that into a suspended guest (or EAGAIN for
// a non-blocking fd). Nothing here may wait on the host.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "abi.h"

namespace ws::wasi {

// Whether an operation would proceed now (for poll_oneoff and for deciding
// to suspend). `nbytes` is how many bytes a read could return at once (or 0
// when unknown); `hangup` is set when the peer closed its side.
struct Readiness {
  bool ready = true;
  uint64_t nbytes = 0;
  bool hangup = false;
};

// Common base, so an embedder can recognise its own sockets in a WaitHint.
class Socket {
 public:
  virtual ~Socket() = default;
  virtual Readiness read_readiness() = 0;   // listener: a connection is pending
  virtual Readiness write_readiness() = 0;
};

class Connection : public Socket {
 public:
  // Up to `size` bytes into `buf`; *received == 0 with kSuccess is the end of
  // the stream. `peek` leaves the bytes queued. kEagain: nothing has arrived.
  virtual Errno recv(uint8_t* buf, size_t size, bool peek, size_t* received) = 0;
  // Queues up to `size` bytes; kEagain when none fit yet.
  virtual Errno send(const uint8_t* buf, size_t size, size_t* sent) = 0;
  virtual Errno shutdown(bool read, bool write) = 0;
};

class Listener : public Socket {
 public:
  // A new connection, or kEagain when none is pending.
  virtual Errno accept(std::unique_ptr<Connection>* out) = 0;
};

}  // namespace ws::wasi
