// WASI streams, time and sockets: poll_oneoff, stdin suspension, virtual
// clocks and seeded randomness (--seed), sock_* over a transport. First the
// vm/wasi layer driven directly (hostile arguments, suspension, deadlines, a
// fake transport), then the C guests of tests/wasi/ through `wasmscope run`
// as a child process: real sleeps, real stdin pipes, real TCP.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <thread>

#include "cli_run.h"
#include "wasi_fixture.h"

using namespace ws;
using namespace ws::testing;  // the helpers of cli_run.h and wasi_fixture.h
using Clock = std::chrono::steady_clock;

namespace {

constexpr int32_t kSuccess = 0, kEagain = 6, kEbadf = 8, kEfault = 21, kEinval = 28, kEnotconn = 53, kEnotsock = 57;

uint64_t monotonic_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

// ---- the vm/wasi layer, driven through a module of forwarders ----

// A subscription record (48 bytes) as the witx lays it out.
struct Sub {
  uint64_t userdata;
  uint8_t tag;
  uint32_t clock_or_fd;
  uint64_t timeout;
  uint16_t flags;
};
constexpr uint8_t kClock = 0, kFdRead = 1, kFdWrite = 2;

void put_subs(WasiGuest& g, uint32_t at, const std::vector<Sub>& subs) {
  for (size_t i = 0; i < subs.size(); i++) {
    uint8_t rec[48] = {};
    std::memcpy(rec, &subs[i].userdata, 8);
    rec[8] = subs[i].tag;
    std::memcpy(rec + 16, &subs[i].clock_or_fd, 4);
    std::memcpy(rec + 24, &subs[i].timeout, 8);
    std::memcpy(rec + 40, &subs[i].flags, 2);
    g.poke(at + uint32_t(i) * 48, rec, sizeof rec);
  }
}

struct Event {
  uint64_t userdata;
  uint16_t error;
  uint8_t type;
  uint64_t nbytes;
  uint16_t flags;
};

Event get_event(WasiGuest& g, uint32_t at) {
  return Event{g.peek<uint64_t>(at), g.peek<uint16_t>(at + 8), g.peek<uint8_t>(at + 10), g.peek<uint64_t>(at + 16),
               g.peek<uint16_t>(at + 24)};
}

constexpr uint32_t kSubs = 1024, kEvents = 4096, kNevents = 8;

TEST(WasiStream, PollRejectsHostileSubscriptionPointersAndCounts) {
  WasiGuest g;
  ASSERT_EQ(g.error, "");
  put_subs(g, kSubs, {{1, kClock, 1, 0, 0}});
  EXPECT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 0, kNevents}), kEinval);              // nothing to wait for
  EXPECT_EQ(g.call("poll_oneoff", {65536 - 47, kEvents, 1, kNevents}), kEfault);         // subscription past the end
  EXPECT_EQ(g.call("poll_oneoff", {kSubs, 65536 - 31, 1, kNevents}), kEfault);           // event past the end
  EXPECT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 1, 65533}), kEfault);                 // nevents past the end
  EXPECT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 0x10000000, kNevents}), kEfault);     // count * 48 past 4 GiB
  EXPECT_EQ(g.call("poll_oneoff", {0xFFFFFFF0, kEvents, 1, kNevents}), kEfault);         // wraps around
  EXPECT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 0xFFFFFFFF, kNevents}), kEfault);
  put_subs(g, kSubs, {{1, 3, 0, 0, 0}});
  EXPECT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 1, kNevents}), kEinval);              // unknown event type
  put_subs(g, kSubs, {{1, 255, 0, 0, 0}});
  EXPECT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 1, kNevents}), kEinval);

  // Per-subscription problems are events: a bad fd, a bad clock id.
  put_subs(g, kSubs, {{7, kFdRead, 99, 0, 0}, {8, kClock, 4, 1000, 0}, {9, kFdWrite, 0xFFFFFFFF, 0, 0}});
  ASSERT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 3, kNevents}), kSuccess);
  ASSERT_EQ(g.peek<uint32_t>(kNevents), 3u);
  Event e0 = get_event(g, kEvents), e1 = get_event(g, kEvents + 32), e2 = get_event(g, kEvents + 64);
  EXPECT_EQ(e0.userdata, 7u);
  EXPECT_EQ(e0.error, kEbadf);
  EXPECT_EQ(e0.type, kFdRead);
  EXPECT_EQ(e1.userdata, 8u);
  EXPECT_EQ(e1.error, kEinval);
  EXPECT_EQ(e1.type, kClock);
  EXPECT_EQ(e2.error, kEbadf);
  EXPECT_EQ(e2.type, kFdWrite);
}

TEST(WasiStream, PollReportsReadyFdsAndExpiredTimersWithTheirFields) {
  wasi::WasiConfig config;
  config.stdin_source = [](uint8_t* buf, size_t size) -> std::optional<size_t> {
    std::memcpy(buf, "hello", std::min<size_t>(size, 5));
    return std::min<size_t>(size, 5);
  };
  WasiGuest g(config);
  ASSERT_EQ(g.error, "");
  put_subs(g, kSubs, {{1, kClock, 1, 3600ull * 1000000000, 0}, {2, kFdRead, 0, 0, 0}, {3, kFdWrite, 1, 0, 0},
                      {4, kClock, 0, 0, 1 /* abstime: long past */}});
  ASSERT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 4, kNevents}), kSuccess);
  ASSERT_EQ(g.peek<uint32_t>(kNevents), 3u);  // not the one-hour timer
  Event in = get_event(g, kEvents), out = get_event(g, kEvents + 32), timer = get_event(g, kEvents + 64);
  EXPECT_EQ(in.userdata, 2u);
  EXPECT_EQ(in.type, kFdRead);
  EXPECT_EQ(in.error, kSuccess);
  EXPECT_EQ(in.nbytes, 5u);  // what a read returns now
  EXPECT_EQ(in.flags, 0u);
  EXPECT_EQ(out.userdata, 3u);
  EXPECT_EQ(out.type, kFdWrite);
  EXPECT_EQ(timer.userdata, 4u);
  EXPECT_EQ(timer.type, kClock);

  // The input poll looked at is still what fd_read returns.
  uint32_t iov[2] = {8192, 3};
  g.poke(100, iov, sizeof iov);
  ASSERT_EQ(g.call("fd_read", {0, 100, 1, 200}), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(200), 3u);
  EXPECT_EQ(g.peek_string(8192, 3), "hel");
  ASSERT_EQ(g.call("fd_read", {0, 100, 1, 200}), kSuccess);
  EXPECT_EQ(g.peek_string(8192, 2), "lo");
}

TEST(WasiStream, PollSuspendsUntilStdinOrTheDeadlineAndKeepsTheDeadlineAcrossRetries) {
  bool have_input = false;
  wasi::WasiConfig config;
  config.stdin_source = [&have_input](uint8_t* buf, size_t size) -> std::optional<size_t> {
    if (!have_input) return std::nullopt;
    std::memcpy(buf, "abc", std::min<size_t>(size, 3));
    return std::min<size_t>(size, 3);
  };
  WasiGuest g(config);
  ASSERT_EQ(g.error, "");
  const uint64_t ms = 1000000;
  put_subs(g, kSubs, {{1, kFdRead, 0, 0, 0}, {2, kClock, 1, 200 * ms, 0}});
  uint64_t before = monotonic_ns();
  ASSERT_EQ(g.start("poll_oneoff", {kSubs, kEvents, 2, kNevents}), RunStatus::Suspended);
  const wasi::WaitHint& hint = g.wasi->wait_hint();
  EXPECT_TRUE(hint.stdin_read);
  ASSERT_TRUE(g.wasi->next_deadline_ns().has_value());
  uint64_t deadline = *g.wasi->next_deadline_ns();
  EXPECT_GE(deadline, before + 200 * ms);
  EXPECT_LE(deadline, monotonic_ns() + 200 * ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(g.resume(), RunStatus::Suspended);
  EXPECT_EQ(*g.wasi->next_deadline_ns(), deadline);  // a retry does not restart the timeout
  have_input = true;
  ASSERT_EQ(g.resume(), RunStatus::Finished);
  EXPECT_EQ(g.result(), kSuccess);
  ASSERT_EQ(g.peek<uint32_t>(kNevents), 1u);
  EXPECT_EQ(get_event(g, kEvents).userdata, 1u);
  EXPECT_EQ(get_event(g, kEvents).nbytes, 3u);

  // A timer alone: suspended until its deadline, then it fires.
  put_subs(g, kSubs, {{5, kClock, 1, 30 * ms, 0}});
  ASSERT_EQ(g.start("poll_oneoff", {kSubs, kEvents, 1, kNevents}), RunStatus::Suspended);
  EXPECT_FALSE(g.wasi->wait_hint().stdin_read);
  deadline = *g.wasi->next_deadline_ns();
  while (monotonic_ns() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(g.resume(), RunStatus::Finished);
  EXPECT_EQ(g.peek<uint32_t>(kNevents), 1u);
  EXPECT_EQ(get_event(g, kEvents).userdata, 5u);
  EXPECT_EQ(get_event(g, kEvents).type, kClock);
}

TEST(WasiStream, SeedMakesClocksVirtualAndRandomReproducible) {
  auto run = [](uint64_t seed, std::string* random_bytes, std::vector<uint64_t>* times) {
    wasi::WasiConfig config;
    config.seed = seed;
    WasiGuest g(config);
    ASSERT_EQ(g.error, "");
    ASSERT_EQ(g.call("random_get", {100, 40}), kSuccess);
    *random_bytes = g.peek_string(100, 40);
    for (uint32_t id = 0; id < 4; id++) {
      ASSERT_EQ(g.call("clock_time_get", {id, 1, 200}), kSuccess);
      times->push_back(g.peek<uint64_t>(200));
    }
    // A one-hour sleep returns at once, and the virtual time moved by an hour.
    put_subs(g, kSubs, {{1, kClock, 1, 3600ull * 1000000000, 0}});
    auto start = Clock::now();
    ASSERT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 1, kNevents}), kSuccess);
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(100));
    ASSERT_EQ(g.call("clock_time_get", {1, 1, 200}), kSuccess);
    times->push_back(g.peek<uint64_t>(200));
    ASSERT_EQ(g.call("clock_res_get", {1, 200}), kSuccess);
    times->push_back(g.peek<uint64_t>(200));
  };
  std::string a, b, c;
  std::vector<uint64_t> ta, tb, tc;
  run(42, &a, &ta);
  run(42, &b, &tb);
  run(43, &c, &tc);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(ta, tb);
  ASSERT_EQ(ta.size(), 6u);
  EXPECT_EQ(ta[0], 1704067200ull * 1000000000 + 1000);  // 2024-01-01, one step in
  EXPECT_EQ(ta[1], 2000u);                              // monotonic: two steps
  EXPECT_EQ(ta[4], ta[3] + 3600ull * 1000000000 + 1000);
  EXPECT_EQ(ta[5], 1000u);  // resolution: the step
}

TEST(WasiStream, ClockAndRandomErrorsFollowTheWitx) {
  WasiGuest g;
  ASSERT_EQ(g.error, "");
  EXPECT_EQ(g.call("clock_time_get", {4, 1, 200}), kEinval);
  EXPECT_EQ(g.call("clock_time_get", {0xFFFFFFFF, 1, 200}), kEinval);
  EXPECT_EQ(g.call("clock_time_get", {1, 1, 65536 - 7}), kEfault);
  EXPECT_EQ(g.call("clock_res_get", {4, 200}), kEinval);
  EXPECT_EQ(g.call("clock_res_get", {0, 65536 - 4}), kEfault);
  for (uint32_t id = 0; id < 4; id++) {
    EXPECT_EQ(g.call("clock_res_get", {id, 200}), kSuccess);
    EXPECT_GT(g.peek<uint64_t>(200), 0u);
    EXPECT_EQ(g.call("clock_time_get", {id, 0, 200}), kSuccess);
  }
  EXPECT_EQ(g.call("random_get", {65536 - 10, 11}), kEfault);
  EXPECT_EQ(g.call("random_get", {65536, 0}), kSuccess);  // empty, at the end
  EXPECT_EQ(g.call("random_get", {0, 65536}), kSuccess);
  EXPECT_EQ(g.call("sched_yield", {}), kSuccess);
  EXPECT_EQ(g.call("proc_raise", {9}), 52);  // ENOSYS: WASI has no signals
}

// ---- sockets over a fake transport ----

struct FakeState {
  std::string inbox;    // bytes the peer sent, not yet received
  std::string outbox;   // bytes the guest sent
  bool peer_closed = false;
  bool shut_read = false, shut_write = false;
  bool destroyed = false;
};

class FakeConnection : public wasi::Connection {
 public:
  explicit FakeConnection(std::shared_ptr<FakeState> s) : s_(std::move(s)) {}
  ~FakeConnection() override { s_->destroyed = true; }
  wasi::Errno recv(uint8_t* buf, size_t size, bool peek, size_t* received) override {
    if (s_->inbox.empty()) {
      if (!s_->peer_closed) return wasi::kEagain;
      *received = 0;
      return wasi::kSuccess;
    }
    *received = std::min(size, s_->inbox.size());
    std::memcpy(buf, s_->inbox.data(), *received);
    if (!peek) s_->inbox.erase(0, *received);
    return wasi::kSuccess;
  }
  wasi::Errno send(const uint8_t* buf, size_t size, size_t* sent) override {
    size_t room = kCapacity - std::min(kCapacity, s_->outbox.size());
    if (room == 0) return wasi::kEagain;
    *sent = std::min(size, room);
    s_->outbox.append(reinterpret_cast<const char*>(buf), *sent);
    return wasi::kSuccess;
  }
  wasi::Errno shutdown(bool read, bool write) override {
    s_->shut_read |= read;
    s_->shut_write |= write;
    return wasi::kSuccess;
  }
  wasi::Readiness read_readiness() override {
    return wasi::Readiness{!s_->inbox.empty() || s_->peer_closed, s_->inbox.size(), s_->peer_closed};
  }
  wasi::Readiness write_readiness() override { return wasi::Readiness{s_->outbox.size() < kCapacity, 0, false}; }

  static constexpr size_t kCapacity = 16;  // a tiny send buffer, so sends fill it

 private:
  std::shared_ptr<FakeState> s_;
};

class FakeListener : public wasi::Listener {
 public:
  wasi::Errno accept(std::unique_ptr<wasi::Connection>* out) override {
    if (pending.empty()) return wasi::kEagain;
    *out = std::make_unique<FakeConnection>(pending.front());
    pending.pop_front();
    return wasi::kSuccess;
  }
  wasi::Readiness read_readiness() override { return wasi::Readiness{!pending.empty(), 0, false}; }
  wasi::Readiness write_readiness() override { return wasi::Readiness{}; }
  std::deque<std::shared_ptr<FakeState>> pending;
};

TEST(WasiStream, SocketsOverATransportAcceptReceiveSendAndShutDown) {
  auto listener = std::make_shared<FakeListener>();
  wasi::WasiConfig config;
  config.listeners.push_back(listener);
  WasiGuest g(config);
  ASSERT_EQ(g.error, "");
  constexpr uint32_t kFdOut = 300, kIov = 400, kBuf = 8192, kSize = 500, kFlags = 504;

  // fd 3 is the listener: a socket, not a preopened directory.
  ASSERT_EQ(g.call("fd_fdstat_get", {3, 600}), kSuccess);
  EXPECT_EQ(g.peek<uint8_t>(600), 6u);  // socket_stream
  EXPECT_EQ(g.call("fd_prestat_get", {3, 600}), kEbadf);

  // Nothing pending: accept waits for the listener.
  ASSERT_EQ(g.start("sock_accept", {3, 0, kFdOut}), RunStatus::Suspended);
  ASSERT_EQ(g.wasi->wait_hint().sockets.size(), 1u);
  EXPECT_EQ(g.wasi->wait_hint().sockets[0].socket, listener.get());
  EXPECT_TRUE(g.wasi->wait_hint().sockets[0].read);
  EXPECT_FALSE(g.wasi->next_deadline_ns().has_value());
  auto state = std::make_shared<FakeState>();
  listener->pending.push_back(state);
  ASSERT_EQ(g.resume(), RunStatus::Finished);
  ASSERT_EQ(g.result(), kSuccess);
  uint32_t conn = g.peek<uint32_t>(kFdOut);
  EXPECT_EQ(conn, 4u);
  ASSERT_EQ(g.call("fd_fdstat_get", {conn, 600}), kSuccess);
  EXPECT_EQ(g.peek<uint8_t>(600), 6u);

  // recv with WAITALL: a partial arrival keeps waiting and is not lost.
  uint32_t iov[4] = {kBuf, 2, kBuf + 100, 3};  // 5 bytes over two buffers
  g.poke(kIov, iov, sizeof iov);
  state->inbox = "12";
  ASSERT_EQ(g.start("sock_recv", {conn, kIov, 2, 2 /* waitall */, kSize, kFlags}), RunStatus::Suspended);
  EXPECT_TRUE(state->inbox.empty());
  state->inbox = "345tail";
  ASSERT_EQ(g.resume(), RunStatus::Finished);
  ASSERT_EQ(g.result(), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(kSize), 5u);
  EXPECT_EQ(g.peek_string(kBuf, 2) + g.peek_string(kBuf + 100, 3), "12345");
  EXPECT_EQ(g.peek<uint16_t>(kFlags), 0u);

  // PEEK leaves the bytes; a plain recv then takes them.
  uint32_t one[2] = {kBuf, 64};
  g.poke(kIov, one, sizeof one);
  ASSERT_EQ(g.call("sock_recv", {conn, kIov, 1, 1 /* peek */, kSize, kFlags}), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(kSize), 4u);
  EXPECT_EQ(state->inbox, "tail");
  ASSERT_EQ(g.call("fd_read", {conn, kIov, 1, kSize}), kSuccess);  // fd_read works on sockets too
  EXPECT_EQ(g.peek_string(kBuf, 4), "tail");

  // Nothing more: a blocking recv suspends, a non-blocking one is EAGAIN.
  ASSERT_EQ(g.start("sock_recv", {conn, kIov, 1, 0, kSize, kFlags}), RunStatus::Suspended);
  ASSERT_EQ(g.wasi->wait_hint().sockets.size(), 1u);
  EXPECT_TRUE(g.wasi->wait_hint().sockets[0].read);
  ASSERT_EQ(g.call("fd_fdstat_set_flags", {conn, 4 /* nonblock */}), kSuccess);
  EXPECT_EQ(g.call("sock_recv", {conn, kIov, 1, 0, kSize, kFlags}), kEagain);
  EXPECT_EQ(g.call("fd_fdstat_set_flags", {conn, 0}), kSuccess);

  // send fills the 16-byte buffer, then a blocking send waits to write.
  g.poke(kBuf, std::string(20, 'x'));
  uint32_t twenty[2] = {kBuf, 20};
  g.poke(kIov, twenty, sizeof twenty);
  ASSERT_EQ(g.call("sock_send", {conn, kIov, 1, 0, kSize}), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(kSize), 16u);  // a short send
  ASSERT_EQ(g.start("sock_send", {conn, kIov, 1, 0, kSize}), RunStatus::Suspended);
  ASSERT_EQ(g.wasi->wait_hint().sockets.size(), 1u);
  EXPECT_TRUE(g.wasi->wait_hint().sockets[0].write);
  state->outbox.clear();
  ASSERT_EQ(g.resume(), RunStatus::Finished);
  EXPECT_EQ(g.peek<uint32_t>(kSize), 16u);
  EXPECT_EQ(g.call("sock_send", {conn, kIov, 1, 1 /* no siflags exist */, kSize}), kEinval);

  // Peer closes: poll reports a hangup, recv reads the end.
  state->peer_closed = true;
  put_subs(g, kSubs, {{11, kFdRead, conn, 0, 0}});
  ASSERT_EQ(g.call("poll_oneoff", {kSubs, kEvents, 1, kNevents}), kSuccess);
  EXPECT_EQ(get_event(g, kEvents).flags, 1u);  // fd_readwrite_hangup
  g.poke(kIov, one, sizeof one);
  ASSERT_EQ(g.call("sock_recv", {conn, kIov, 1, 2 /* waitall */, kSize, kFlags}), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(kSize), 0u);

  // Errors: wrong kind of fd, bad flags, bad pointers.
  EXPECT_EQ(g.call("sock_shutdown", {conn, 0}), kEinval);
  EXPECT_EQ(g.call("sock_shutdown", {conn, 4}), kEinval);
  EXPECT_EQ(g.call("sock_recv", {conn, kIov, 1, 4, kSize, kFlags}), kEinval);
  EXPECT_EQ(g.call("sock_recv", {conn, kIov, 1, 0, 65534, kFlags}), kEfault);
  EXPECT_EQ(g.call("sock_recv", {conn, 65532, 1, 0, kSize, kFlags}), kEfault);
  EXPECT_EQ(g.call("sock_accept", {conn, 0, kFdOut}), kEinval);      // not listening
  EXPECT_EQ(g.call("sock_accept", {3, 1, kFdOut}), kEinval);         // only NONBLOCK is a valid flag
  EXPECT_EQ(g.call("sock_accept", {0, 0, kFdOut}), kEnotsock);
  EXPECT_EQ(g.call("sock_accept", {77, 0, kFdOut}), kEbadf);
  EXPECT_EQ(g.call("sock_recv", {3, kIov, 1, 0, kSize, kFlags}), kEnotconn);
  EXPECT_EQ(g.call("sock_send", {1, kIov, 1, 0, kSize}), kEnotsock);
  EXPECT_EQ(g.call("sock_shutdown", {2, 3}), kEnotsock);
  EXPECT_EQ(g.call("sock_shutdown", {77, 3}), kEbadf);
  ASSERT_EQ(g.call("fd_fdstat_set_flags", {3, 4}), kSuccess);
  EXPECT_EQ(g.call("sock_accept", {3, 0, kFdOut}), kEagain);         // a non-blocking listener
  listener->pending.push_back(std::make_shared<FakeState>());
  EXPECT_EQ(g.call("sock_accept", {3, 0, 65534}), kEfault);
  EXPECT_EQ(listener->pending.size(), 1u);  // a bad pointer does not lose the connection

  EXPECT_EQ(g.call("sock_shutdown", {conn, 3}), kSuccess);
  EXPECT_TRUE(state->shut_read && state->shut_write);
  EXPECT_FALSE(state->destroyed);
  EXPECT_EQ(g.call("fd_close", {conn}), kSuccess);
  EXPECT_TRUE(state->destroyed);
}

// ---- C guests through `wasmscope run` ----

// The CLI as a live child process: its stdin and stdout are pipes the test
// talks through while it runs; at the end, its status and CPU time.
class LiveCli {
 public:
  explicit LiveCli(const std::vector<std::string>& args) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    std::vector<std::string> argv_storage = {WASMSCOPE_CLI};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    signal(SIGPIPE, SIG_IGN);
  }
  ~LiveCli() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      finish();
    }
    if (stdin_ >= 0) close(stdin_);
    if (stdout_ >= 0) close(stdout_);
  }

  bool started() const { return pid_ > 0; }
  void send(const std::string& text) { EXPECT_EQ(write(stdin_, text.data(), text.size()), ssize_t(text.size())); }
  void close_stdin() {
    close(stdin_);
    stdin_ = -1;
  }
  // Reads stdout until it contains `needle` (true) or `seconds` pass.
  bool read_until(const std::string& needle, double seconds = 10) {
    auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (!contains(out, needle)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
      if (left <= 0 || !read_some(int(left))) return false;
    }
    return true;
  }
  // Waits for the exit; returns the exit status and sets cpu_seconds.
  int finish() {
    while (read_some(-1)) {
    }
    int status = 0;
    struct rusage usage = {};
    if (wait4(pid_, &status, 0, &usage) != pid_) return -1;
    pid_ = -1;
    cpu_seconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string out;
  double cpu_seconds = -1;

 private:
  bool read_some(int timeout_ms) {
    struct pollfd p = {stdout_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1) return false;
    char buf[4096];
    ssize_t n = read(stdout_, buf, sizeof buf);
    if (n <= 0) return false;
    out.append(buf, size_t(n));
    return true;
  }

  pid_t pid_ = -1;
  int stdin_ = -1, stdout_ = -1;
};

// A guest sleep takes its time in wall-clock terms but no CPU: the CLI
// sleeps in poll(2) while the guest is suspended.
TEST(WasiStreamGuests, SleepTakesWallTimeWithoutCpu) {
  REQUIRE_GUESTS();
  auto start = Clock::now();
  LiveCli cli({"run", guest_wasm("poll_sleep"), "1000"});
  ASSERT_TRUE(cli.started());
  EXPECT_EQ(cli.finish(), 0);
  double wall = std::chrono::duration<double>(Clock::now() - start).count();
  long slept_ms = -1;
  ASSERT_EQ(std::sscanf(cli.out.c_str(), "slept %ld ms", &slept_ms), 1) << cli.out;
  EXPECT_GE(slept_ms, 1000);  // never early
  EXPECT_LT(slept_ms, 1100);
  EXPECT_GE(wall, 1.0);
  EXPECT_LT(wall, 1.5);
  EXPECT_LT(cli.cpu_seconds, 0.25) << "the CLI spins while the guest sleeps";
  std::printf("[ measured ] sleep(1): wall %.3f s, CPU %.3f s\n", wall, cli.cpu_seconds);
}

TEST(WasiStreamGuests, PollOneoffOnEveryClockAndItsErrors) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", guest_wasm("poll_clocks")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(contains(r.out, "FAILED")) << r.out;
  EXPECT_TRUE(contains(r.out, "thread cputime absolute sleep: ok")) << r.out;
  EXPECT_TRUE(contains(r.out, "past deadline fires at once: ok")) << r.out;
}

// Each line is answered before the next is sent: stdin is a stream, and
// waiting for it costs no CPU.
TEST(WasiStreamGuests, StdinSuspendsTheGuestUntilEachLineArrives) {
  REQUIRE_GUESTS();
  LiveCli cli({"run", guest_wasm("stdin_lines")});
  ASSERT_TRUE(cli.started());
  cli.send("one\n");
  ASSERT_TRUE(cli.read_until("got 'one'\n")) << cli.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(contains(cli.out, "two"));
  cli.send("two\n");
  ASSERT_TRUE(cli.read_until("got 'two'\n")) << cli.out;
  cli.close_stdin();
  EXPECT_EQ(cli.finish(), 0);
  EXPECT_EQ(cli.out, "got 'one'\ngot 'two'\nend after 2 lines\n");
  EXPECT_LT(cli.cpu_seconds, 0.25) << "the CLI spins while the guest waits for input";
}

TEST(WasiStreamGuests, PollOnStdinTimesOutThenWakesForInput) {
  REQUIRE_GUESTS();
  auto start = Clock::now();
  LiveCli cli({"run", guest_wasm("poll_stdin"), "300"});
  ASSERT_TRUE(cli.started());
  ASSERT_TRUE(cli.read_until("first poll: 0\n")) << cli.out;
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(300));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  cli.send("hi");
  ASSERT_TRUE(cli.read_until("read 'hi'\n")) << cli.out;
  EXPECT_EQ(cli.finish(), 0);
  EXPECT_TRUE(contains(cli.out, "second poll: 1 readable=1\n")) << cli.out;
  EXPECT_LT(cli.cpu_seconds, 0.25);
}

TEST(WasiStreamGuests, SeedGivesIdenticalRunsAndVirtualTime) {
  REQUIRE_GUESTS();
  auto start = Clock::now();
  CliResult a = run_cli({"run", "--seed", "42", guest_wasm("seed_random")});
  CliResult b = run_cli({"run", "--seed=42", guest_wasm("seed_random")});
  double two_runs = std::chrono::duration<double>(Clock::now() - start).count();
  CliResult c = run_cli({"run", "--seed", "7", guest_wasm("seed_random")});
  CliResult d = run_cli({"run", guest_wasm("seed_random")});
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.substr(0, 55), c.out.substr(0, 55));  // the random line
  EXPECT_NE(a.out.substr(0, 55), d.out.substr(0, 55));
  EXPECT_TRUE(contains(a.out, "\nrealtime 17040672000000")) << a.out;  // the virtual epoch
  EXPECT_TRUE(contains(a.out, "\nslept 1000001000 ns\n")) << a.out;    // exactly, plus one read's step
  EXPECT_LT(two_runs, 1.0) << "a virtual sleep must not wait";
  EXPECT_FALSE(contains(d.out, "slept 1000001000 ns")) << d.out;
  EXPECT_EQ(run_cli({"run", "--seed", "x", guest_wasm("seed_random")}).status, 2);
}

// A free TCP port on loopback (bound once, then released for the CLI).
int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = -1;
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(s);
  return port;
}

// Connects to the CLI's listening socket, retrying while it starts up.
int connect_to(int port) {
  for (int attempt = 0; attempt < 200; attempt++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return s;
    close(s);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

std::string read_all(int s) {
  std::string got;
  char buf[65536];
  for (;;) {
    ssize_t n = recv(s, buf, sizeof buf, 0);
    if (n <= 0) return got;
    got.append(buf, size_t(n));
  }
}

bool send_all(int s, const std::string& data) {
  for (size_t at = 0; at < data.size();) {
    ssize_t n = send(s, data.data() + at, data.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += size_t(n);
  }
  return true;
}

TEST(WasiStreamGuests, EchoServerOverListenAnswersTcpClients) {
  REQUIRE_GUESTS();
  int port = free_port();
  ASSERT_GT(port, 0);
  TempDir dir;
  // With one --dir the listener is the fd after it: 4.
  LiveCli cli({"run", "--dir", dir.path() + "::/data", "--listen", "127.0.0.1:" + std::to_string(port),
               guest_wasm("sock_echo"), "4", "2"});
  ASSERT_TRUE(cli.started());
  ASSERT_TRUE(cli.read_until("fd 4 is a socket\n")) << cli.out;

  // First client: the header arrives in two pieces (MSG_WAITALL waits).
  int s = connect_to(port);
  ASSERT_GE(s, 0);
  ASSERT_TRUE(send_all(s, "12"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(send_all(s, "345hello, "));
  ASSERT_TRUE(send_all(s, "world"));
  shutdown(s, SHUT_WR);
  EXPECT_EQ(read_all(s), "header 12345\nhello, world");
  close(s);
  ASSERT_TRUE(cli.read_until("connection 1: header 12345, 12 bytes echoed, peeks match\n")) << cli.out;

  // Second client: 1 MiB, sent while the echo comes back, so both sides'
  // buffers fill and the guest's writes wait for the client to read.
  s = connect_to(port);
  ASSERT_GE(s, 0);
  std::string payload;
  for (int i = 0; payload.size() < (1 << 20); i++) payload += std::to_string(i) + ",";
  std::thread sender([&] {
    send_all(s, "ABCDE" + payload);
    shutdown(s, SHUT_WR);
  });
  std::string echoed = read_all(s);
  sender.join();
  close(s);
  EXPECT_EQ(echoed.size(), payload.size() + 13);
  EXPECT_TRUE(echoed == "header ABCDE\n" + payload) << "echo differs";
  EXPECT_EQ(cli.finish(), 0);
  EXPECT_TRUE(contains(cli.out, "connection 2: header ABCDE, " + std::to_string(payload.size()) + " bytes echoed, peeks match\n"))
      << cli.out;
}

TEST(WasiStreamGuests, ListenOptionErrors) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", "--listen", "nonsense", guest_wasm("hello")});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--listen nonsense: expected HOST:PORT")) << r.err;
  // A port someone else listens on.
  int port = free_port();
  int taken = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(taken, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(taken, 1), 0);
  std::string where = "127.0.0.1:" + std::to_string(port);
  r = run_cli({"run", "--listen", where, guest_wasm("hello")});
  close(taken);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--listen " + where + ": Address already in use")) << r.err;
}

}  // namespace
