// wasmscope: run WebAssembly modules under WASI, run spec test scripts, and
// inspect modules.
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace ws::cli {
namespace {

const char kUsage[] =
    "usage: wasmscope <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [--dir HOST[::GUEST]]... [--env K=V]... [--fuel N] MODULE [ARGS...]\n"
    "      run a WASI module's _start; exits with the guest's status\n"
    "      --dir ARCHIVE.zip::GUEST mounts a zip archive read-only\n"
    "      (134 on a trap or when the fuel runs out)\n"
    "      --coredump-on-trap FILE: also write a Wasm coredump there on a trap\n"
    "      or when the fuel runs out\n"
    "      --seed N: deterministic random_get and virtual clocks (reproducible runs)\n"
    "      --listen HOST:PORT: a listening TCP socket, the fd after the --dir ones\n"
    "  core [--memory ADDR LEN] COREDUMP [MODULE]\n"
    "      post-mortem: the backtrace with file:line and every frame's locals;\n"
    "      MODULE (default: the name recorded in the coredump) gives names and DWARF\n"
    "  debug [--batch FILE] [--stdin FILE] [--fuel N] [--dir ...] [--env ...] MODULE [ARGS...]\n"
    "      the gdb-like debugger: commands from stdin, or from FILE with --batch\n"
    "      ('help' lists them); --fuel N stops each run/continue/step after N units\n"
    "  spec [--verbose] FILE.wast|DIR...\n"
    "      run WebAssembly spec test scripts\n"
    "  validate MODULE\n"
    "      decode and validate a module: prints \"valid\" or the error\n"
    "  info MODULE\n"
    "      list a module's sections, imports, exports, functions and more\n"
    "\n"
    "MODULE is a binary .wasm file or a text .wat file.\n";

}  // namespace

int usage_error(const std::string& message) {
  std::fprintf(stderr, "error: %s\n(run 'wasmscope --help' for usage)\n", message.c_str());
  return kExitUsage;
}

}  // namespace ws::cli

int main(int argc, char** argv) {
  using namespace ws::cli;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  std::string command = argv[1];
  Args args(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "run") return run_command(args);
  if (command == "spec") return spec_command(args);
  if (command == "validate") return validate_command(args);
  if (command == "info") return info_command(args);
  if (command == "core") return core_command(args);
  if (command == "debug") return debug_command(args);
  return usage_error("unknown command '" + command + "'");
}
