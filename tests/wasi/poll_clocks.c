// poll_oneoff called directly: every clock id, relative and absolute
// timeouts, several subscriptions at once, fd subscriptions, and the
// errors (no subscriptions, an unknown type, a bad fd, a bad clock id).
// Each line names a check and says "ok" or what went wrong.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(id, 1, &t) != 0) return 0;
  return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t userdata, __wasi_clockid_t id, __wasi_timestamp_t timeout,
                                       __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = flags;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t userdata, __wasi_eventtype_t type, __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

static void check(const char* what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

int main(void) {
  __wasi_event_t events[4];
  __wasi_size_t n = 0;
  const __wasi_timestamp_t ms = 1000000;

  // A 20 ms sleep on each clock, relative and absolute.
  const char* names[] = {"realtime", "monotonic", "process cputime", "thread cputime"};
  for (__wasi_clockid_t id = 0; id < 4; id++) {
    for (int absolute = 0; absolute < 2; absolute++) {
      __wasi_timestamp_t start = now(__WASI_CLOCKID_MONOTONIC);
      __wasi_subscription_t s =
          clock_sub(100 + id, id, absolute ? now(id) + 20 * ms : 20 * ms, absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0);
      __wasi_errno_t e = __wasi_poll_oneoff(&s, events, 1, &n);
      __wasi_timestamp_t slept = now(__WASI_CLOCKID_MONOTONIC) - start;
      char what[64];
      snprintf(what, sizeof what, "%s %s sleep", names[id], absolute ? "absolute" : "relative");
      check(what, e == 0 && n == 1 && events[0].userdata == 100 + id && events[0].error == 0 &&
                      events[0].type == __WASI_EVENTTYPE_CLOCK && slept >= 20 * ms);
    }
  }

  // The earliest of two timers fires alone; a ready fd comes with it.
  __wasi_subscription_t two[3] = {clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5000 * ms, 0),
                                  clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10 * ms, 0),
                                  fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, 1)};
  __wasi_errno_t e = __wasi_poll_oneoff(two, events, 2, &n);
  check("earliest timer fires alone", e == 0 && n == 1 && events[0].userdata == 2);
  e = __wasi_poll_oneoff(two, events, 3, &n);
  check("ready stdout reported at once", e == 0 && n == 1 && events[0].userdata == 3 &&
                                             events[0].type == __WASI_EVENTTYPE_FD_WRITE && events[0].error == 0);

  // Per-subscription errors are events; malformed calls are errors.
  __wasi_subscription_t bad[2] = {fd_sub(7, __WASI_EVENTTYPE_FD_READ, 99), clock_sub(8, 42, ms, 0)};
  e = __wasi_poll_oneoff(bad, events, 2, &n);
  check("bad fd and bad clock are event errors", e == 0 && n == 2 && events[0].userdata == 7 &&
                                                     events[0].error == __WASI_ERRNO_BADF &&
                                                     events[0].type == __WASI_EVENTTYPE_FD_READ &&
                                                     events[1].userdata == 8 && events[1].error == __WASI_ERRNO_INVAL);
  check("no subscriptions is EINVAL", __wasi_poll_oneoff(bad, events, 0, &n) == __WASI_ERRNO_INVAL);
  bad[0].u.tag = 3;
  check("unknown type is EINVAL", __wasi_poll_oneoff(bad, events, 1, &n) == __WASI_ERRNO_INVAL);
  check("events outside memory is EFAULT",
        __wasi_poll_oneoff(two, (__wasi_event_t*)0xFFFFFFF0u, 1, &n) == __WASI_ERRNO_FAULT);

  // An absolute deadline in the past fires at once.
  __wasi_subscription_t past = clock_sub(9, __WASI_CLOCKID_REALTIME, 1, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  e = __wasi_poll_oneoff(&past, events, 1, &n);
  check("past deadline fires at once", e == 0 && n == 1 && events[0].userdata == 9);
  return 0;
}
