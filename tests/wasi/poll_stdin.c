// poll(2) on stdin with a timeout: first with nothing sent yet (must time
// out after ~argv[1] ms), then waiting until input arrives, then reads it.
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int timeout = argc > 1 ? atoi(argv[1]) : 100;
  struct pollfd p = {0, POLLIN, 0};
  int r = poll(&p, 1, timeout);
  printf("first poll: %d\n", r);
  fflush(stdout);
  r = poll(&p, 1, -1);
  printf("second poll: %d readable=%d\n", r, (p.revents & POLLIN) != 0);
  char buf[64];
  ssize_t n = read(0, buf, sizeof buf - 1);
  if (n < 0) n = 0;
  buf[n] = '\0';
  printf("read '%s'\n", buf);
  return 0;
}
