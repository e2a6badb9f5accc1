// `wasmscope debug`: the gdb-like CLI debugger. Reads commands from stdin
// (or from a file with --batch), one per line, and runs them against a
// debug::Session (see debug_driver.h for what they print).
//
// Guest stdin: with --stdin FILE the guest reads FILE. Otherwise, when the
// commands come from stdin the guest's stdin is empty (the two would fight
// over it); with --batch the guest reads the debugger's own stdin.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "debug_driver.h"
#include "debug_parse.h"
#include "load.h"
#include "vm/debug/session.h"
#include "vm/wasi/wasi.h"

namespace ws::cli {
namespace {

struct DebugOptions {
  std::string batch_path;  // --batch: commands from this file
  std::string stdin_path;  // --stdin: the guest's stdin
  std::optional<uint64_t> fuel;
  wasi::WasiConfig wasi;
  std::string module_path;
};

// Returns an empty string on success, or what is wrong.
std::string parse_debug_options(const Args& args, DebugOptions* out) {
  size_t i = 0;
  for (; i < args.size(); i++) {
    const std::string& arg = args[i];
    if (arg == "--") {
      i++;
      break;
    }
    if (arg.empty() || arg[0] != '-') break;
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (name != "--batch" && name != "--stdin" && name != "--fuel" && name != "--dir" && name != "--env") {
      return "unknown option '" + arg + "' for 'debug'";
    }
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return "option '" + name + "' needs a value";
    }
    if (name == "--batch") {
      out->batch_path = value;
    } else if (name == "--stdin") {
      out->stdin_path = value;
    } else if (name == "--fuel") {
      uint64_t fuel = 0;
      if (!parse_unsigned(value, &fuel) || fuel == 0) return "bad --fuel '" + value + "': expected a number of units";
      out->fuel = fuel;
    } else {
      std::string problem = add_wasi_option(name, value, &out->wasi);
      if (!problem.empty()) return problem;
    }
  }
  if (i >= args.size()) return "debug: missing MODULE";
  out->module_path = args[i];
  out->wasi.args.assign(args.begin() + long(i), args.end());
  return "";
}

std::atomic<bool> interrupted{false};

void on_interrupt(int) { interrupted.store(true); }

// Ctrl-C pauses the running program instead of ending the debugger.
// SA_RESTART: a command being read at the prompt is not cut short.
void catch_interrupts() {
  struct sigaction action = {};
  action.sa_handler = on_interrupt;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

}  // namespace

int debug_command(const Args& args) {
  DebugOptions options;
  std::string problem = parse_debug_options(args, &options);
  if (!problem.empty()) return usage_error(problem);

  std::ifstream batch;
  if (!options.batch_path.empty()) {
    batch.open(options.batch_path);
    if (!batch) {
      std::fprintf(stderr, "error: cannot read commands from '%s'\n", options.batch_path.c_str());
      return kExitFailure;
    }
  }
  std::FILE* guest_stdin = nullptr;
  if (!options.stdin_path.empty()) {
    guest_stdin = std::fopen(options.stdin_path.c_str(), "rb");
    if (guest_stdin == nullptr) {
      std::fprintf(stderr, "error: cannot open '%s' for the program's stdin\n", options.stdin_path.c_str());
      return kExitFailure;
    }
    options.wasi.stdin_source = [guest_stdin](uint8_t* buf, size_t size) -> std::optional<size_t> {
      return std::fread(buf, 1, size, guest_stdin);
    };
  } else if (batch.is_open()) {
    options.wasi.stdin_source = [](uint8_t* buf, size_t size) -> std::optional<size_t> {
      std::fflush(stdout);  // a prompt written before reading must be visible
      ssize_t n = ::read(0, buf, size);
      return n > 0 ? size_t(n) : 0;
    };
  }
  options.wasi.stdout_sink = [](const uint8_t* data, size_t size) { std::fwrite(data, 1, size, stdout); };
  options.wasi.stderr_sink = [](const uint8_t* data, size_t size) {
    std::fflush(stdout);  // keep the two streams in the order the guest wrote them
    std::fwrite(data, 1, size, stderr);
  };

  int status = kExitFailure;
  auto bytes = load_binary(options.module_path);
  if (!bytes) {
    std::fprintf(stderr, "error: %s: %s\n", options.module_path.c_str(), bytes.error().to_string().c_str());
  } else {
    debug::SessionConfig config;
    config.wasi = options.wasi;
    auto session = debug::Session::load(std::move(*bytes), options.module_path, config);
    if (!session) {
      std::fprintf(stderr, "error: %s: %s\n", options.module_path.c_str(), session.error().to_string().c_str());
    } else {
      for (const std::string& warning : (*session)->warnings()) std::fprintf(stderr, "warning: %s\n", warning.c_str());
      catch_interrupts();
      DebuggerOptions debugger_options;
      debugger_options.fuel = options.fuel;
      debugger_options.interrupt = &interrupted;
      Debugger debugger(**session, debugger_options, stdout, stderr);
      std::istream& commands = batch.is_open() ? static_cast<std::istream&>(batch) : std::cin;
      bool prompt = !batch.is_open() && isatty(0);
      for (std::string line;;) {
        if (prompt) {
          std::fputs("(wasmscope) ", stdout);
          std::fflush(stdout);
        }
        if (!std::getline(commands, line)) break;
        auto command = parse_debug_command(line);
        if (!command) {
          debugger.fail(command.error().message);
        } else if (!debugger.execute(*command)) {
          break;
        }
      }
      std::fflush(stdout);
      // Scripts learn whether every command worked.
      status = debugger.failures() == 0 ? 0 : kExitFailure;
    }
  }
  if (guest_stdin != nullptr) std::fclose(guest_stdin);
  return status;
}

}  // namespace ws::cli
