#include "tcp_transport.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ws::cli {
namespace {

using wasi::Errno;
using wasi::Readiness;

Errno socket_errno(int e) {
  switch (e) {
    case EAGAIN: return wasi::kEagain;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return wasi::kEagain;
#endif
    case ECONNABORTED: return wasi::kEconnaborted;
    case ECONNREFUSED: return wasi::kEconnrefused;
    case ECONNRESET: return wasi::kEconnreset;
    case ENOTCONN: return wasi::kEnotconn;
    case ENOTSOCK: return wasi::kEnotsock;
    default: return wasi::errno_from_host(e);
  }
}

bool make_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

// Base of every socket made here: owns the host fd.
class TcpSocket {
 public:
  explicit TcpSocket(int fd) : fd_(fd) {}
  virtual ~TcpSocket() { ::close(fd_); }
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;
  int fd() const { return fd_; }

 protected:
  // poll(2) with no timeout: the revents for `events`.
  short poll_now(short events) const {
    struct pollfd p = {fd_, events, 0};
    return ::poll(&p, 1, 0) == 1 ? p.revents : 0;
  }

 private:
  int fd_;
};

class TcpConnection : public wasi::Connection, public TcpSocket {
 public:
  using TcpSocket::TcpSocket;

  Errno recv(uint8_t* buf, size_t size, bool peek, size_t* received) override {
    for (;;) {
      ssize_t n = ::recv(fd(), buf, size, MSG_DONTWAIT | (peek ? MSG_PEEK : 0));
      if (n >= 0) {
        *received = size_t(n);
        return wasi::kSuccess;
      }
      if (errno != EINTR) return socket_errno(errno);
    }
  }

  Errno send(const uint8_t* buf, size_t size, size_t* sent) override {
    for (;;) {
      // MSG_NOSIGNAL: a peer that went away is EPIPE for the guest, not
      // SIGPIPE for the CLI.
      ssize_t n = ::send(fd(), buf, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n >= 0) {
        *sent = size_t(n);
        return wasi::kSuccess;
      }
      if (errno != EINTR) return socket_errno(errno);
    }
  }

  Errno shutdown(bool read, bool write) override {
    int how = read && write ? SHUT_RDWR : read ? SHUT_RD : SHUT_WR;
    return ::shutdown(fd(), how) == 0 ? wasi::kSuccess : socket_errno(errno);
  }

  Readiness read_readiness() override {
    short revents = poll_now(POLLIN);
    if (revents == 0) return Readiness{false, 0, false};
    int available = 0;
    if (::ioctl(fd(), FIONREAD, &available) != 0) available = 0;
    // Readable with nothing queued: the peer has closed its side.
    bool hangup = (revents & POLLHUP) || ((revents & POLLIN) && available == 0);
    return Readiness{true, uint64_t(available), hangup};
  }

  Readiness write_readiness() override {
    short revents = poll_now(POLLOUT);
    return Readiness{revents != 0, 0, (revents & POLLHUP) != 0};
  }
};

class TcpListener : public wasi::Listener, public TcpSocket {
 public:
  using TcpSocket::TcpSocket;

  Errno accept(std::unique_ptr<wasi::Connection>* out) override {
    for (;;) {
      int fd = ::accept(this->fd(), nullptr, nullptr);
      if (fd >= 0) {
        if (!make_nonblocking(fd)) {
          int e = errno;
          ::close(fd);
          return socket_errno(e);
        }
        *out = std::make_unique<TcpConnection>(fd);
        return wasi::kSuccess;
      }
      if (errno != EINTR) return socket_errno(errno);
    }
  }

  Readiness read_readiness() override { return Readiness{poll_now(POLLIN) != 0, 0, false}; }
  Readiness write_readiness() override { return Readiness{}; }  // writing fails at once (ENOTCONN)
};

Error listen_error(const std::string& host_port, const std::string& why) {
  Error e;
  e.message = "--listen " + host_port + ": " + why;
  return e;
}

}  // namespace

Result<std::shared_ptr<wasi::Listener>> tcp_listen(const std::string& host_port) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == host_port.size()) {
    return listen_error(host_port, "expected HOST:PORT");
  }
  std::string host = host_port.substr(0, colon), port = host_port.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  struct addrinfo hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  struct addrinfo* found = nullptr;
  if (int r = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); r != 0) {
    return listen_error(host_port, ::gai_strerror(r));
  }
  std::string why = "no address";
  for (struct addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0 && make_nonblocking(fd)) {
      ::freeaddrinfo(found);
      return std::shared_ptr<wasi::Listener>(std::make_shared<TcpListener>(fd));
    }
    why = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return listen_error(host_port, why);
}

int tcp_host_fd(const wasi::Socket* socket) {
  const auto* tcp = dynamic_cast<const TcpSocket*>(socket);
  return tcp != nullptr ? tcp->fd() : -1;
}

}  // namespace ws::cli
