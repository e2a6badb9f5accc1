// Sleeps argv[1] milliseconds with nanosleep (one poll_oneoff clock
// subscription) and prints how long it took on the monotonic clock.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char** argv) {
  long ms = argc > 1 ? atol(argv[1]) : 1000;
  struct timespec request = {ms / 1000, (ms % 1000) * 1000000L};
  long long start = now_ns();
  if (nanosleep(&request, NULL) != 0) {
    perror("nanosleep");
    return 1;
  }
  printf("slept %lld ms\n", (now_ns() - start) / 1000000);
  return 0;
}
