// Preview1 socket calls: sock_accept, sock_recv, sock_send, sock_shutdown.
// The sockets themselves are the embedder's (transport.h); a call that would
// block suspends the guest unless its fd is non-blocking (then EAGAIN).
#include "fd.h"
#include "socket_handle.h"

namespace ws::wasi {
namespace {

constexpr uint32_t kRecvPeek = 1 << 0;     // riflags
constexpr uint32_t kRecvWaitall = 1 << 1;
constexpr uint32_t kShutdownRead = 1 << 0; // sdflags
constexpr uint32_t kShutdownWrite = 1 << 1;

bool blocking(const Handle& h) { return !(h.fdflags() & kFdflagNonblock); }

// The errno for a socket call on `h` that needs a connection: ENOTCONN on a
// listening socket, ENOTSOCK on anything else.
Errno not_a_connection(Handle& h) { return dynamic_cast<ListenerHandle*>(&h) ? kEnotconn : kEnotsock; }

}  // namespace

HostResult Wasi::sock_accept(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t flags = arg_u32(call, 1);
  uint32_t fd_ptr = arg_u32(call, 2);
  if (flags & ~uint32_t(kFdflagNonblock)) return done(call, kEinval);
  auto* listener = dynamic_cast<ListenerHandle*>(f->handle.get());
  if (listener == nullptr) {
    return done(call, dynamic_cast<ConnectionHandle*>(f->handle.get()) ? kEinval : kEnotsock);
  }
  if (!mem.in_bounds(fd_ptr, 4)) return done(call, kEfault);
  std::unique_ptr<Connection> connection;
  Errno e = listener->accept(&connection);
  if (e == kEagain && blocking(*listener)) return suspend_on(*listener, false);
  if (e != kSuccess) return done(call, e);
  auto handle = std::make_unique<ConnectionHandle>(std::move(connection));
  handle->set_fdflags(uint16_t(flags));
  uint32_t number = 0;
  if (Errno added = add_fd(std::move(handle), &number)) return done(call, added);
  mem.write_u32(fd_ptr, number);
  return done(call, kSuccess);
}

HostResult Wasi::sock_recv(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t flags = arg_u32(call, 3);
  uint32_t size_ptr = arg_u32(call, 4), flags_ptr = arg_u32(call, 5);
  auto* connection = dynamic_cast<ConnectionHandle*>(f->handle.get());
  if (connection == nullptr) return done(call, not_a_connection(*f->handle));
  if (flags & ~(kRecvPeek | kRecvWaitall)) return done(call, kEinval);
  if (!mem.in_bounds(size_ptr, 4) || !mem.in_bounds(flags_ptr, 2)) return done(call, kEfault);
  std::vector<IoBuffer> bufs;
  if (Errno e = read_iovecs(mem, arg_u32(call, 1), arg_u32(call, 2), &bufs)) return done(call, e);
  uint64_t n = 0;
  bool may_wait = blocking(*connection);
  Errno e = connection->receive(bufs, flags & kRecvPeek, flags & kRecvWaitall, may_wait, &n);
  if (e == kEagain && may_wait) return suspend_on(*connection, false);
  if (e != kSuccess) return done(call, e);
  mem.write_u32(size_ptr, uint32_t(n));
  uint16_t roflags = 0;  // RECV_DATA_TRUNCATED only exists for datagrams
  mem.write(flags_ptr, &roflags, 2);
  return done(call, kSuccess);
}

HostResult Wasi::sock_send(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t size_ptr = arg_u32(call, 4);
  auto* connection = dynamic_cast<ConnectionHandle*>(f->handle.get());
  if (connection == nullptr) return done(call, not_a_connection(*f->handle));
  if (arg_u32(call, 3) != 0) return done(call, kEinval);  // siflags defines no flag
  if (!mem.in_bounds(size_ptr, 4)) return done(call, kEfault);
  std::vector<IoBuffer> bufs;
  if (Errno e = read_iovecs(mem, arg_u32(call, 1), arg_u32(call, 2), &bufs)) return done(call, e);
  uint64_t n = 0;
  Errno e = connection->write(bufs, &n);
  if (e == kEagain && blocking(*connection)) return suspend_on(*connection, true);
  if (e != kSuccess) return done(call, e);
  mem.write_u32(size_ptr, uint32_t(n));
  return done(call, kSuccess);
}

HostResult Wasi::sock_shutdown(HostCall& call) {
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t how = arg_u32(call, 1);
  auto* connection = dynamic_cast<ConnectionHandle*>(f->handle.get());
  if (connection == nullptr) return done(call, not_a_connection(*f->handle));
  if (how == 0 || (how & ~(kShutdownRead | kShutdownWrite))) return done(call, kEinval);
  return done(call, connection->shutdown(how & kShutdownRead, how & kShutdownWrite));
}

}  // namespace ws::wasi
