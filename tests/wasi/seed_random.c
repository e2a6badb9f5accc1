// Prints random bytes and clock readings, before and after a sleep, so a
// test can compare runs: with the same --seed they must be identical.
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
  unsigned char bytes[24];
  if (getentropy(bytes, sizeof bytes) != 0) return 1;
  printf("random ");
  for (size_t i = 0; i < sizeof bytes; i++) printf("%02x", bytes[i]);
  printf("\nrealtime %lld\nmonotonic %lld\n", ns(CLOCK_REALTIME), ns(CLOCK_MONOTONIC));
  long long before = ns(CLOCK_MONOTONIC);
  struct timespec second = {1, 0};
  nanosleep(&second, NULL);
  printf("slept %lld ns\nrealtime %lld\n", ns(CLOCK_MONOTONIC) - before, ns(CLOCK_REALTIME));
  return 0;
}
