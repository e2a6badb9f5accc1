// WASI preview1: the vm/wasi layer driven directly through the engine API
// (linking, sinks, bounds checks, path sandboxing, stdin suspension, exit),
// and the C guests of tests/wasi/ run through the `wasmscope run` CLI.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "cli_run.h"
#include "wasi_fixture.h"

using namespace ws;
using namespace ws::testing;  // the helpers of cli_run.h and wasi_fixture.h

namespace {

constexpr int32_t kSuccess = 0, kEbadf = 8, kEfault = 21, kEinval = 28, kEloop = 32, kEnoent = 44,
                  kEnosys = 52, kEnotdir = 54, kEnotcapable = 76;

TEST(Wasi, EveryPreview1FunctionLinksAndUnimplementedOnesReturnEnosys) {
  EXPECT_EQ(preview1_functions().size(), 46u);  // all of preview1
  WasiGuest g;  // its forwarders import every one of them
  ASSERT_EQ(g.error, "");
  EXPECT_EQ(g.call("proc_raise", {9}), kEnosys);
  EXPECT_EQ(g.call("fd_readdir", {3, 0, 0, 0, 0}), kEbadf);  // implemented: fd 3 is not open
}

// Every preview1 function, called thousands of times with hostile
// arguments (pointers at and past the end of memory, huge lengths and
// counts, random fds and flags): each call must answer an errno, never trap
// the guest or crash the host.
TEST(Wasi, EveryFunctionSurvivesHostileArguments) {
  TempDir root;
  wasi::WasiConfig config;
  config.args = {"prog", "arg"};
  config.env = {"A=1"};
  config.preopens.push_back({root.path(), "/sandbox"});
  WasiGuest g(config);
  ASSERT_EQ(g.error, "");
  g.poke(0, "file.txt");  // so some path_open calls find a real name

  const uint32_t i32s[] = {0, 1, 3, 4, 8, 16, 1000, 65528, 65532, 65535, 65536, 0x10000000, 0x7FFFFFFF, 0xFFFFFFF8,
                           0xFFFFFFFF};
  const uint64_t i64s[] = {0, 1, 0xFF, 1ull << 40, ~0ull, 0x8000000000000000ull};
  uint64_t seed = 0x9E3779B97F4A7C15ull;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(seed >> 33);
  };
  for (const Preview1Function& f : preview1_functions()) {
    for (int round = 0; round < 200; round++) {
      std::vector<uint64_t> args;
      for (size_t i = 0; f.params[i]; i++) args.push_back(f.params[i] == 'l' ? i64s[next() % 6] : i32s[next() % 15]);
      RunStatus status = g.start(f.name, args);
      if (std::string(f.name) == "proc_exit") {
        EXPECT_EQ(status, RunStatus::Exited);
        continue;
      }
      ASSERT_EQ(status, RunStatus::Finished) << f.name << ": " << g.thread.trap().message;
      ASSERT_EQ(g.thread.results().size(), 1u);
      EXPECT_LE(g.thread.results()[0].i32, 76u) << f.name;  // a preview1 errno
    }
  }
}

TEST(Wasi, UnknownImportsAreLinkErrorsNamingThem) {
  WasiGuest g(R"((module (import "env" "helper" (func))))");
  EXPECT_TRUE(contains(g.error, "unknown import: env.helper")) << g.error;
  WasiGuest h(R"((module (import "wasi_snapshot_preview1" "fd_frobnicate" (func))))");
  EXPECT_TRUE(contains(h.error, "unknown import: wasi_snapshot_preview1.fd_frobnicate")) << h.error;
  WasiGuest k(R"((module (import "wasi_snapshot_preview1" "fd_close" (func (param i64) (result i32)))))");
  EXPECT_TRUE(contains(k.error, "incompatible import type: wasi_snapshot_preview1.fd_close")) << k.error;
  WasiGuest m(R"((module (import "wasi_snapshot_preview1" "memory" (memory 1))))");
  EXPECT_TRUE(contains(m.error, "unknown import: wasi_snapshot_preview1.memory")) << m.error;
}

TEST(Wasi, FdWriteGathersIovecsIntoTheSinks) {
  WasiGuest g;
  ASSERT_EQ(g.error, "");
  g.poke(100, "Hello, ");
  g.poke(200, "sink!\n");
  uint32_t iovs[4] = {100, 7, 200, 6};
  g.poke(16, iovs, sizeof iovs);
  EXPECT_EQ(g.call("fd_write", {1, 16, 2, 8}), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(8), 13u);
  EXPECT_EQ(g.out, "Hello, sink!\n");
  EXPECT_EQ(g.call("fd_write", {2, 16, 1, 8}), kSuccess);
  EXPECT_EQ(g.err, "Hello, ");
}

TEST(Wasi, BadPointersCountsAndFdsAreErrorsNotCrashes) {
  WasiGuest g;
  ASSERT_EQ(g.error, "");
  const uint32_t end = 65536;
  uint32_t far_buffer[2] = {end - 2, 4};  // buffer crosses the end of memory
  g.poke(16, far_buffer, sizeof far_buffer);
  EXPECT_EQ(g.call("fd_write", {1, 16, 1, 8}), kEfault);
  EXPECT_EQ(g.call("fd_write", {1, end - 4, 1, 8}), kEfault);          // iovec array crosses the end
  EXPECT_EQ(g.call("fd_write", {1, 0xFFFFFFF8u, 1, 8}), kEfault);      // iovec address wraps
  EXPECT_EQ(g.call("fd_write", {1, 0, 0x40000000u, 8}), kEinval);      // absurd iovec count
  EXPECT_EQ(g.call("fd_write", {1, 0, 0, end}), kEfault);              // result pointer
  EXPECT_EQ(g.call("fd_write", {77, 0, 0, 8}), kEbadf);
  EXPECT_EQ(g.call("fd_read", {1, 0, 0, 8}), kEbadf);                  // stdout is not readable
  EXPECT_EQ(g.call("random_get", {end - 8, 16}), kEfault);
  EXPECT_EQ(g.call("args_sizes_get", {end - 2, 0}), kEfault);
  EXPECT_EQ(g.call("clock_time_get", {99, 1, 0}), kEinval);
  EXPECT_EQ(g.call("clock_time_get", {1, 1, end - 4}), kEfault);
  EXPECT_EQ(g.out, "");
}

TEST(Wasi, ArgsAreNulTerminatedStringsWithPointers) {
  wasi::WasiConfig config;
  config.args = {"prog.wasm", "two words"};
  WasiGuest g(config);
  ASSERT_EQ(g.error, "");
  EXPECT_EQ(g.call("args_sizes_get", {0, 4}), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(0), 2u);
  EXPECT_EQ(g.peek<uint32_t>(4), 20u);  // "prog.wasm\0two words\0"
  EXPECT_EQ(g.call("args_get", {100, 200}), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(100), 200u);
  EXPECT_EQ(g.peek<uint32_t>(104), 210u);
  EXPECT_EQ(g.peek_string(200, 20), std::string("prog.wasm\0two words\0", 20));
}

TEST(Wasi, RandomGetFillsTheBuffer) {
  WasiGuest g;
  ASSERT_EQ(g.error, "");
  EXPECT_EQ(g.call("random_get", {1000, 600}), kSuccess);  // more than one getentropy() chunk
  int zeros_first = 0, zeros_last = 0;
  for (int i = 0; i < 64; i++) zeros_first += g.memory()[1000 + i] == 0;
  for (int i = 0; i < 64; i++) zeros_last += g.memory()[1536 + i] == 0;
  EXPECT_LT(zeros_first, 20);
  EXPECT_LT(zeros_last, 20);
}

TEST(Wasi, PathOpenStaysInsideThePreopenedDirectory) {
  TempDir root;
  std::filesystem::create_directories(root.file("box/sub"));
  root.write("box/inside.txt", "inside");
  root.write("outside.txt", "secret");
  std::filesystem::create_symlink("../outside.txt", root.file("box/link_out"));
  std::filesystem::create_directory_symlink("..", root.file("box/dirlink"));

  wasi::WasiConfig config;
  config.preopens.push_back({root.file("box"), "/box"});
  WasiGuest g(config);
  ASSERT_EQ(g.error, "");
  // path_open with read (or fd_write too) rights and the new fd at 0.
  auto open_at = [&](uint32_t dir, uint32_t path, uint32_t size, uint32_t oflags = 0, bool write = false) {
    return g.call("path_open", {dir, 0, path, size, oflags, write ? 0x42u : 0x2u, 0, 0, 0});
  };
  auto open = [&](const std::string& path, uint32_t oflags = 0, bool write = false) {
    g.poke(1000, path);
    return open_at(3, 1000, uint32_t(path.size()), oflags, write);
  };
  EXPECT_EQ(open("inside.txt"), kSuccess);
  EXPECT_EQ(open("sub/../inside.txt"), kSuccess);
  EXPECT_EQ(open("./sub/./.."), kSuccess);
  EXPECT_EQ(open("../outside.txt"), kEnotcapable);
  EXPECT_EQ(open("sub/../../outside.txt"), kEnotcapable);
  EXPECT_EQ(open(".."), kEnotcapable);
  EXPECT_EQ(open("/etc/passwd"), kEnotcapable);
  EXPECT_EQ(open("dirlink/outside.txt"), kEnotcapable);  // a symlinked directory is not followed
  EXPECT_EQ(open("link_out"), kEloop);                   // nor is a symlink as the last component
  EXPECT_EQ(open(std::string("inside.txt\0x", 12)), kEinval);
  EXPECT_EQ(open("missing.txt"), kEnoent);
  EXPECT_EQ(open_at(3, 0xFFFFFF00u, 512), kEfault);
  EXPECT_EQ(open_at(1, 1000, 3), kEnotdir);  // stdout is no directory
  EXPECT_EQ(open_at(9, 1000, 3), kEbadf);

  // Creating a file, then writing through the new fd.
  EXPECT_EQ(open("sub/new.txt", /*creat|trunc*/ 1 | 8, /*write*/ true), kSuccess);
  uint32_t fd = g.peek<uint32_t>(0);
  EXPECT_GE(fd, 4u);
  g.poke(2000, "created");
  uint32_t iov[2] = {2000, 7};
  g.poke(16, iov, sizeof iov);
  EXPECT_EQ(g.call("fd_write", {fd, 16, 1, 8}), kSuccess);
  EXPECT_EQ(read_text(root.file("box/sub/new.txt")), "created");
  EXPECT_EQ(read_text(root.file("outside.txt")), "secret");
}

TEST(Wasi, MissingPreopenDirectoryIsAnError) {
  wasi::WasiConfig config;
  config.preopens.push_back({"/nonexistent/wasmscope-dir", "/x"});
  auto w = wasi::Wasi::create(config);
  ASSERT_FALSE(bool(w));
  EXPECT_TRUE(contains(w.error().message, "/nonexistent/wasmscope-dir")) << w.error().message;
}

TEST(Wasi, StdinSuspendsTheThreadUntilInputArrives) {
  bool ready = false;
  wasi::WasiConfig config;
  config.stdin_source = [&ready](uint8_t* buf, size_t size) -> std::optional<size_t> {
    if (!ready) return std::nullopt;
    size_t n = size < 3 ? size : 3;
    std::memcpy(buf, "abc", n);
    return n;
  };
  WasiGuest g(config);
  ASSERT_EQ(g.error, "");
  uint32_t iov[2] = {500, 64};
  g.poke(16, iov, sizeof iov);

  EXPECT_EQ(g.start("fd_read", {0, 16, 1, 8}), RunStatus::Suspended);
  EXPECT_EQ(g.resume(), RunStatus::Suspended);  // still nothing
  ready = true;
  ASSERT_EQ(g.resume(), RunStatus::Finished);
  ASSERT_EQ(g.thread.results().size(), 1u);
  EXPECT_EQ(g.result(), kSuccess);
  EXPECT_EQ(g.peek<uint32_t>(8), 3u);
  EXPECT_EQ(g.peek_string(500, 3), "abc");
}

TEST(Wasi, ProcExitEndsTheThreadWithItsStatus) {
  WasiGuest g;
  ASSERT_EQ(g.error, "");
  EXPECT_EQ(g.start("proc_exit", {9}), RunStatus::Exited);
  EXPECT_EQ(g.thread.exit_code(), 9);
}

// ---- C guests (tests/wasi/*.c) through `wasmscope run` ----

TEST(WasiGuests, HelloWritesStdoutAndStderr) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", guest_wasm("hello")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "Hello from WASI!\ndone\n");
  EXPECT_EQ(r.err, "this goes to stderr\n");
}

TEST(WasiGuests, ArgsAndEnvironmentReachTheGuest) {
  REQUIRE_GUESTS();
  std::string module = guest_wasm("args_env");
  CliResult r = run_cli({"run", "--env", "GREETING=hi there", "--env=EMPTY=", module, "one", "two words", "--dir"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "argc=4\nargv[0]=" + module +
                       "\nargv[1]=one\nargv[2]=two words\nargv[3]=--dir\nenv GREETING=hi there\nenv EMPTY=\n");
}

TEST(WasiGuests, ExitStatusComesFromProcExit) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", guest_wasm("exit_code")});
  EXPECT_EQ(r.status, 7);
  EXPECT_EQ(r.out, "exiting with 7\n");
  r = run_cli({"run", guest_wasm("exit_code"), "0"});
  EXPECT_EQ(r.status, 0);
  r = run_cli({"run", guest_wasm("exit_code"), "300"});
  EXPECT_EQ(r.status, 300 & 0xFF);
}

TEST(WasiGuests, FilesWrittenUnderDirAppearOnTheHostAndEscapesAreRefused) {
  REQUIRE_GUESTS();
  TempDir root;
  std::filesystem::create_directories(root.file("data/sub"));
  root.write("outside.txt", "secret");
  std::filesystem::create_symlink("../outside.txt", root.file("data/link_out"));
  CliResult r = run_cli({"run", "--dir", root.file("data") + "::/data", guest_wasm("files"), "/data", "link_out"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(read_text(root.file("data/written-by-guest.txt")), "line one\nline two\n");
  EXPECT_TRUE(contains(r.out, "read: line one\nread: line two\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "after seek: one\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "size 18 stat size 18 regular 1\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "refused /data/../outside.txt: ENOTCAPABLE\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "refused /data/sub/../../outside.txt: ENOTCAPABLE\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "refused /etc/passwd")) << r.out;
  EXPECT_TRUE(contains(r.out, "refused /data/link_out")) << r.out;
  EXPECT_FALSE(contains(r.out, "ESCAPED")) << r.out;
}

TEST(WasiGuests, WithoutDirFilesAreUnreachable) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", guest_wasm("files"), "/data"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.out, "fopen for writing failed")) << r.out;
}

TEST(WasiGuests, ClocksWork) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", guest_wasm("clock")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "monotonic increases\nrealtime after 2020\nprocess cputime ok\nmonotonic resolution ok\n");
}

TEST(WasiGuests, RandomGetGivesDifferentBytesEachRun) {
  REQUIRE_GUESTS();
  CliResult a = run_cli({"run", guest_wasm("random")});
  CliResult b = run_cli({"run", guest_wasm("random")});
  EXPECT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out.size(), 65u) << a.out;  // 32 bytes in hex and a newline
  EXPECT_EQ(b.out.size(), 65u) << b.out;
  EXPECT_NE(a.out, b.out);
}

TEST(WasiGuests, TrapExits134WithNamedBacktrace) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", guest_wasm("trap")});
  EXPECT_EQ(r.status, 134);
  EXPECT_EQ(r.out, "about to trap\n");
  EXPECT_TRUE(contains(r.err, "trap: unreachable\n")) << r.err;
  size_t leaf = r.err.find(" crash_in_leaf  (offset 0x");
  size_t caller = r.err.find(" call_the_leaf  (offset 0x");
  EXPECT_NE(leaf, std::string::npos) << r.err;
  EXPECT_NE(caller, std::string::npos) << r.err;
  EXPECT_LT(leaf, caller) << r.err;
  EXPECT_TRUE(contains(r.err, "  #0 func[")) << r.err;
}

TEST(WasiGuests, BadPointersGetErrnosAndTheGuestCarriesOn) {
  REQUIRE_GUESTS();
  TempDir root;
  CliResult r = run_cli({"run", "--dir", root.path(), guest_wasm("bad_pointer")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "iovec array out of bounds: 21\n"
            "buffer out of bounds: 21\n"
            "buffer wrapping around: 21\n"
            "too many iovecs: 28\n"
            "result pointer out of bounds: 21\n"
            "bad fd: 8\n"
            "bad fd close: 8\n"
            "path out of bounds: 21\n"
            "poll_oneoff: 28\n"
            "still alive\n");
}

TEST(WasiGuests, StdinIsReadFromTheRealStdin) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", guest_wasm("echo_stdin")}, "hello\nworld");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "HELLO\nWORLD[11 bytes]\n");
}

TEST(WasiGuests, FuelStopsAnEndlessLoopWithBacktrace) {
  REQUIRE_GUESTS();
  CliResult r = run_cli({"run", "--fuel", "100000", guest_wasm("spin")});
  EXPECT_EQ(r.status, 134);
  EXPECT_EQ(r.out, "spinning\n");
  EXPECT_TRUE(contains(r.err, "error: fuel exhausted (100000 units)\n")) << r.err;
  EXPECT_TRUE(contains(r.err, "  #0 func[")) << r.err;
  EXPECT_TRUE(contains(r.err, " spin_forever  (offset 0x")) << r.err;
}

}  // namespace
