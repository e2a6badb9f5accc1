// A TCP echo server on the listening socket the runtime preopened
// (`wasmscope run --listen HOST:PORT`; its fd is argv[1]), serving argv[2]
// connections one after another. Each client first sends a 5-byte header,
// which is read with MSG_WAITALL (it may arrive in pieces) and answered
// with "header HHHHH\n"; then every byte is peeked, read and echoed back
// until the client shuts down its side.
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char* what) {
  perror(what);
  return 1;
}

int main(int argc, char** argv) {
  int listener = argc > 1 ? atoi(argv[1]) : 3;
  int connections = argc > 2 ? atoi(argv[2]) : 1;
  struct stat st;
  if (fstat(listener, &st) != 0) return fail("fstat");
  printf("fd %d is %s\n", listener, S_ISSOCK(st.st_mode) ? "a socket" : "not a socket");
  fflush(stdout);
  for (int i = 0; i < connections; i++) {
    struct pollfd p = {listener, POLLIN, 0};
    if (poll(&p, 1, -1) != 1) return fail("poll");
    int c = accept(listener, NULL, NULL);
    if (c < 0) return fail("accept");
    char header[6] = {0};
    if (recv(c, header, 5, MSG_WAITALL) != 5) return fail("recv header");
    char reply[32];
    int len = snprintf(reply, sizeof reply, "header %s\n", header);
    if (send(c, reply, (size_t)len, 0) != len) return fail("send");
    long echoed = 0;
    int peeks_ok = 1;
    for (;;) {
      char peeked[512], buf[512];
      ssize_t n = recv(c, peeked, sizeof peeked, MSG_PEEK);
      if (n < 0) return fail("recv peek");
      ssize_t m = recv(c, buf, (size_t)(n > 0 ? n : 1), 0);
      if (m < 0) return fail("recv");
      if (m == 0) break;
      if (m != n || memcmp(peeked, buf, (size_t)m) != 0) peeks_ok = 0;
      for (ssize_t at = 0; at < m;) {
        ssize_t w = write(c, buf + at, (size_t)(m - at));  // fd_write on a socket
        if (w < 0) return fail("write");
        at += w;
      }
      echoed += m;
    }
    if (shutdown(c, SHUT_WR) != 0) return fail("shutdown");
    close(c);
    printf("connection %d: header %s, %ld bytes echoed, peeks %s\n", i + 1, header, echoed, peeks_ok ? "match" : "DIFFER");
    fflush(stdout);
  }
  return 0;
}
