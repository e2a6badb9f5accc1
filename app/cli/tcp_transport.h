// Real TCP behind the WASI socket calls, for `wasmscope run --listen
// HOST:PORT`: the POSIX implementation of vm/wasi/transport.h. Host sockets
// are non-blocking; when the guest waits on one, the CLI sleeps in poll(2)
// on its host fd (see guest_wait.h).
#pragma once
#include <memory>
#include <string>

#include "vm/error.h"
#include "vm/wasi/transport.h"

namespace ws::cli {

// A listening socket bound to "HOST:PORT" ("127.0.0.1:8080", "[::1]:0",
// "localhost:9000"), or an Error saying why not.
Result<std::shared_ptr<wasi::Listener>> tcp_listen(const std::string& host_port);

// The host fd of a socket made here (a listener or an accepted connection),
// or -1 for any other socket.
int tcp_host_fd(const wasi::Socket* socket);

}  // namespace ws::cli
