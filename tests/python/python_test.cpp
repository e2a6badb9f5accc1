// CPython 3.11 for WASI (build/cpython/python.wasm, made by scripts/build-cpython)
// run through `wasmscope run` as a child process: the stdlib zip mounted at
// /lib, PYTHONHOME=/, and the scripts of tests/python/ mounted at /tests.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cli_run.h"

using ws::testing::CliResult;
using ws::testing::read_text;
using ws::testing::run_cli;
using ws::testing::TempDir;

namespace {

const std::string kPythonDir = WASMSCOPE_CPYTHON_DIR;
const std::string kPythonWasm = kPythonDir + "/python.wasm";
const std::string kScriptsDir = WASMSCOPE_PYTHON_SCRIPTS_DIR;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// `wasmscope run` arguments that start python.wasm with its stdlib; `extra`
// comes before the module (more options), `args` after it (Python's own).
std::vector<std::string> python_command(const std::vector<std::string>& args,
                                        const std::vector<std::string>& extra = {}) {
  std::vector<std::string> cmd = {"run", "--dir", kPythonDir + "/lib::/lib", "--dir", kScriptsDir + "::/tests",
                                  "--env", "PYTHONHOME=/"};
  cmd.insert(cmd.end(), extra.begin(), extra.end());
  cmd.push_back(kPythonWasm);
  cmd.insert(cmd.end(), args.begin(), args.end());
  return cmd;
}

std::string describe(const CliResult& r) {
  return "exit " + std::to_string(r.status) + "\n--- stdout:\n" + r.out + "\n--- stderr:\n" + r.err;
}

// The CLI as a running child with pipes on all three streams, for tests that
// talk to Python while it runs. Killed at destruction if still running.
class RunningCli {
 public:
  explicit RunningCli(const std::vector<std::string>& args) {
    int in[2], out[2], err[2];
    if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) return;
    std::vector<std::string> storage = {WASMSCOPE_CLI};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) posix_spawn_file_actions_addclose(&actions, fd);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    stderr_ = err[0];
    signal(SIGPIPE, SIG_IGN);  // a child that died early must fail the test, not kill it
  }
  ~RunningCli() {
    if (pid_ > 0 && status_ < 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    for (int fd : {stdin_, stdout_, stderr_}) {
      if (fd >= 0) close(fd);
    }
  }
  bool started() const { return pid_ > 0; }

  void write_stdin(const std::string& text) {
    for (size_t done = 0; done < text.size();) {
      ssize_t n = write(stdin_, text.data() + done, text.size() - done);
      if (n <= 0) return;
      done += size_t(n);
    }
  }
  void close_stdin() {
    close(stdin_);
    stdin_ = -1;
  }

  // Reads stdout and stderr until stdout contains `needle` or `seconds` pass.
  bool wait_for_stdout(const std::string& needle, int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!contains(out, needle)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !drain(int(left.count()))) return contains(out, needle);
    }
    return true;
  }

  // Waits for the exit (killing the child after `seconds`) and returns its
  // status with everything it wrote.
  CliResult finish(int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (drain(100)) {
      if (std::chrono::steady_clock::now() > deadline) break;
    }
    for (;;) {
      int wstatus = 0;
      pid_t done = waitpid(pid_, &wstatus, WNOHANG);
      if (done == pid_) {
        status_ = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        status_ = 128 + SIGKILL;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    while (drain(0)) {
    }
    return {status_, out, err};
  }

  std::string out, err;

 private:
  // Reads what is available within `timeout_ms`; false once both streams are closed.
  bool drain(int timeout_ms) {
    pollfd fds[2] = {{stdout_, POLLIN, 0}, {stderr_, POLLIN, 0}};
    if (stdout_ < 0 && stderr_ < 0) return false;
    if (poll(fds, 2, timeout_ms) <= 0) return true;
    char buf[4096];
    int* streams[2] = {&stdout_, &stderr_};
    std::string* texts[2] = {&out, &err};
    for (int i = 0; i < 2; i++) {
      if (*streams[i] < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(*streams[i], buf, sizeof buf);
      if (n > 0) {
        texts[i]->append(buf, size_t(n));
      } else {
        close(*streams[i]);
        *streams[i] = -1;
      }
    }
    return true;
  }

  pid_t pid_ = -1;
  int status_ = -1;
  int stdin_ = -1, stdout_ = -1, stderr_ = -1;
};

// A TCP port on loopback that was free a moment ago (the kernel picks it).
int free_loopback_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(s);
  return port;
}

// Connects to 127.0.0.1:port, retrying while the server is starting up.
int connect_with_retries(int port, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return s;
    close(s);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

// Every test needs python.wasm; without it they fail (never skip) and say how to make it.
class PythonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kPythonWasm))
        << kPythonWasm << " is missing: run scripts/build-cpython (scripts/test does)";
    ASSERT_TRUE(std::filesystem::exists(kPythonDir + "/lib/python311.zip"))
        << kPythonDir << "/lib/python311.zip is missing: run scripts/build-cpython";
  }
};

TEST_F(PythonTest, DashCPrints) {
  CliResult r = run_cli(python_command({"-c", "import sys; print('hello from', sys.platform, 6 * 7)"}));
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(r.out, "hello from wasi 42\n") << describe(r);
}

TEST_F(PythonTest, StdlibModulesWork) {
  CliResult r = run_cli(python_command({"/tests/stdlib_modules.py"}));
  EXPECT_EQ(r.status, 0) << describe(r);
  // Each line is computed by the module named first (see the script).
  EXPECT_EQ(r.out,
            "json {\"a\": [1, 2.5, null], \"b\": \"\\u00e9\"}\n"
            "re 2024-05-17 -> 17/05/2024\n"
            "collections [('b', 3), ('a', 2)]\n"
            "decimal 0.1428571428571428571428571429\n"
            "hashlib ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
            "zlib 1000 -> 21 -> True\n")
      << describe(r);
}

TEST_F(PythonTest, UncaughtExceptionPrintsTracebackAndExits1) {
  CliResult r = run_cli(python_command({"-c", "def inner():\n  raise ValueError('boom')\ninner()\n"}));
  EXPECT_EQ(r.status, 1) << describe(r);
  EXPECT_TRUE(contains(r.err, "Traceback (most recent call last):")) << describe(r);
  EXPECT_TRUE(contains(r.err, "in inner")) << describe(r);
  EXPECT_TRUE(contains(r.err, "ValueError: boom")) << describe(r);
}

// The stdlib's code objects carry the names the guest sees, not build paths.
TEST_F(PythonTest, TracebacksNameStdlibFilesInTheZip) {
  CliResult r = run_cli(python_command({"-c", "import json; json.loads('{')"}));
  EXPECT_EQ(r.status, 1) << describe(r);
  EXPECT_TRUE(contains(r.err, "File \"/lib/python311.zip/json/decoder.py\", line")) << describe(r);
  EXPECT_TRUE(contains(r.err, "json.decoder.JSONDecodeError: Expecting property name")) << describe(r);
}

TEST_F(PythonTest, SysExitCodeIsTheProcessStatus) {
  CliResult r = run_cli(python_command({"-c", "import sys; print('before'); sys.exit(3)"}));
  EXPECT_EQ(r.status, 3) << describe(r);
  EXPECT_EQ(r.out, "before\n") << describe(r);
}

TEST_F(PythonTest, ScriptFromStdin) {
  CliResult r = run_cli(python_command({"-"}), "total = sum(range(10))\nprint('total', total)\n");
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(r.out, "total 45\n") << describe(r);
}

// The interactive loop answers each line before the next one exists: the
// guest's stdin read suspends until the test writes more.
TEST_F(PythonTest, ReplAnswersLineByLine) {
  RunningCli cli(python_command({"-i", "-q"}));
  ASSERT_TRUE(cli.started());
  cli.write_stdin("x = 6\n");
  cli.write_stdin("x * 7\n");
  EXPECT_TRUE(cli.wait_for_stdout("42\n", 120)) << "stdout: " << cli.out << "\nstderr: " << cli.err;
  cli.write_stdin("print('second', x + 1)\n");
  EXPECT_TRUE(cli.wait_for_stdout("second 7\n", 60)) << "stdout: " << cli.out << "\nstderr: " << cli.err;
  cli.close_stdin();  // end of input ends the REPL
  CliResult r = cli.finish(60);
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(r.out, "42\nsecond 7\n") << describe(r);
  EXPECT_TRUE(contains(r.err, ">>> ")) << describe(r);  // prompts go to stderr
}

TEST_F(PythonTest, FilesWrittenUnderDirMountAppearOnHost) {
  TempDir host;
  host.write("input.txt", "three\nlines\nhere\n");
  CliResult r = run_cli(python_command({"/tests/write_files.py", "/data"}, {"--dir", host.path() + "::/data"}));
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(r.out, "listing: input.txt out\n") << describe(r);
  EXPECT_EQ(read_text(host.file("out/lines.txt")), "3 lines, last: here\n");
  EXPECT_EQ(read_text(host.file("out/renamed.bin")), std::string("\x00\x01\xfe\xff", 4));
  EXPECT_FALSE(std::filesystem::exists(host.file("out/temporary.bin")));
}

TEST_F(PythonTest, EchoServerOverListenAnswersTcpClient) {
  int port = free_loopback_port();
  ASSERT_GT(port, 0);
  // fds 3 and 4 are the /lib and /tests directories, so the listener is fd 5.
  RunningCli cli(python_command({"/tests/echo_server.py", "5"}, {"--listen", "127.0.0.1:" + std::to_string(port)}));
  ASSERT_TRUE(cli.started());
  int s = connect_with_retries(port, 60);
  ASSERT_GE(s, 0) << "no server on port " << port << "\n" << describe(cli.finish(5));

  const std::string request = "hello, wasm\nsecond line\n";
  ASSERT_EQ(send(s, request.data(), request.size(), 0), ssize_t(request.size()));
  shutdown(s, SHUT_WR);  // the server echoes until end of input
  std::string reply;
  char buf[1024];
  timeval timeout{60, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  for (ssize_t n; (n = recv(s, buf, sizeof buf, 0)) > 0;) reply.append(buf, size_t(n));
  close(s);
  EXPECT_EQ(reply, request);

  CliResult r = cli.finish(60);
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(r.out, "echoed 24 bytes\n") << describe(r);
}

}  // namespace
