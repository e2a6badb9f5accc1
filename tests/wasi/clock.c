// The monotonic clock advances, the realtime clock is after 2020, and the
// CPU-time clocks answer (clock_time_get, clock_res_get).
#include <stdio.h>
#include <time.h>

static long long ns(clockid_t id) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0) return -1;
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static volatile unsigned busy;

int main(void) {
  long long t0 = ns(CLOCK_MONOTONIC);
  for (unsigned i = 0; i < 200000; i++) busy += i;
  long long t1 = ns(CLOCK_MONOTONIC);
  printf("monotonic %s\n", t1 > t0 && t0 >= 0 ? "increases" : "BROKEN");

  long long now = ns(CLOCK_REALTIME);
  printf("realtime %s\n", now > 1577836800LL * 1000000000LL ? "after 2020" : "BROKEN");

  printf("process cputime %s\n", ns(CLOCK_PROCESS_CPUTIME_ID) >= 0 ? "ok" : "BROKEN");
  struct timespec res;
  printf("monotonic resolution %s\n",
         clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 ? "ok" : "BROKEN");
  return 0;
}
