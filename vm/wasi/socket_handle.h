// File descriptors for sockets: a listening socket (preopened by the
// embedder, e.g. `--listen`) and the connections sock_accept gives. They sit
// over the embedder's transport (transport.h); fd_read / fd_write /
// fd_close / poll_oneoff treat them like any other stream.
#pragma once
#include <memory>

#include "handle.h"
#include "transport.h"

namespace ws::wasi {

class ListenerHandle : public Handle {
 public:
  explicit ListenerHandle(std::shared_ptr<Listener> listener) : listener_(std::move(listener)) {}

  Filetype filetype() const override { return kFiletypeSocketStream; }
  Errno stat(FileStat* out) override;
  // Reading or writing a listening socket: ENOTCONN, as on POSIX.
  Errno read(const std::vector<IoBuffer>& bufs, uint64_t* nread) override;
  Errno write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) override;
  Readiness read_readiness() override { return listener_->read_readiness(); }
  void add_wait(bool write, WaitHint* hint) override;

  Errno accept(std::unique_ptr<Connection>* out) { return listener_->accept(out); }

 private:
  std::shared_ptr<Listener> listener_;
};

class ConnectionHandle : public Handle {
 public:
  explicit ConnectionHandle(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

  Filetype filetype() const override { return kFiletypeSocketStream; }
  Errno stat(FileStat* out) override;
  Errno read(const std::vector<IoBuffer>& bufs, uint64_t* nread) override;
  Errno write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) override;
  Readiness read_readiness() override { return connection_->read_readiness(); }
  Readiness write_readiness() override { return connection_->write_readiness(); }
  void add_wait(bool write, WaitHint* hint) override;

  // sock_recv. `peek` leaves the data queued (and ignores `waitall`).
  // `waitall` fills every buffer before returning (unless the stream ends
  // or fails): when `may_wait`, a partial fill answers kEagain and is
  // remembered, and the retried call (the same buffers) continues after it.
  Errno receive(const std::vector<IoBuffer>& bufs, bool peek, bool waitall, bool may_wait, uint64_t* nread);
  Errno shutdown(bool read, bool write) { return connection_->shutdown(read, write); }

 private:
  std::unique_ptr<Connection> connection_;
  uint64_t waitall_received_ = 0;  // bytes a suspended waitall receive already delivered
};

}  // namespace ws::wasi
