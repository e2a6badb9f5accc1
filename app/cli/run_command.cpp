// `wasmscope run`: a WASI command module from start to exit.
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unistd.h>

#include "backtrace.h"
#include "commands.h"
#include "guest_wait.h"
#include "load.h"
#include "tcp_transport.h"
#include "vm/runtime.h"
#include "vm/wasi/wasi.h"

namespace ws::cli {
namespace {

bool parse_u64(const std::string& s, uint64_t* out) {
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

}  // namespace

std::string add_wasi_option(const std::string& name, const std::string& value, wasi::WasiConfig* config) {
  if (name == "--dir") {
    size_t sep = value.find("::");
    wasi::Preopen p;
    p.host_path = value.substr(0, sep);
    p.guest_path = sep == std::string::npos ? value : value.substr(sep + 2);
    if (p.host_path.empty() || p.guest_path.empty()) return "bad --dir '" + value + "': expected HOST[::GUEST]";
    config->preopens.push_back(p);
    return "";
  }
  if (name == "--seed") {
    uint64_t seed;
    if (!parse_u64(value, &seed)) return "bad --seed '" + value + "': expected a number";
    config->seed = seed;
    return "";
  }
  if (name == "--listen") {
    auto listener = tcp_listen(value);
    if (!listener) return listener.error().message;
    config->listeners.push_back(*listener);
    return "";
  }
  if (value.find('=') == std::string::npos || value[0] == '=') return "bad --env '" + value + "': expected K=V";
  config->env.push_back(value);
  return "";
}

namespace {

struct RunOptions {
  wasi::WasiConfig wasi;
  std::optional<uint64_t> fuel;
  std::string module_path;
  std::string coredump_path;  // --coredump-on-trap: written on a trap or when the fuel runs out
};

// Budget of one run() slice: small enough that --fuel is exact and a
// future debugger/UI gets control back often, large enough to be cheap.
constexpr uint64_t kSliceBudget = 1u << 20;

// Returns an empty string on success, or what is wrong.
std::string parse_run_options(const Args& args, RunOptions* out) {
  size_t i = 0;
  auto value_of = [&](const std::string& arg, const std::string& name, std::string* value) {
    if (arg == name) {
      if (i + 1 >= args.size()) return false;
      *value = args[++i];
      return true;
    }
    *value = arg.substr(name.size() + 1);  // --name=value
    return true;
  };
  for (; i < args.size(); i++) {
    const std::string& arg = args[i];
    if (arg == "--") {
      i++;
      break;
    }
    if (arg.empty() || arg[0] != '-') break;
    std::string name = arg.substr(0, arg.find('='));
    std::string value;
    if (name != "--dir" && name != "--env" && name != "--fuel" && name != "--coredump-on-trap" &&
        name != "--seed" && name != "--listen") return "unknown option '" + arg + "' for 'run'";
    if (!value_of(arg, name, &value)) return "option '" + name + "' needs a value";
    if (name == "--dir" || name == "--env" || name == "--seed" || name == "--listen") {
      std::string problem = add_wasi_option(name, value, &out->wasi);
      if (!problem.empty()) return problem;
    } else if (name == "--coredump-on-trap") {
      if (value.empty()) return "option '--coredump-on-trap' needs a file name";
      out->coredump_path = value;
    } else {
      uint64_t fuel;
      if (!parse_u64(value, &fuel)) return "bad --fuel '" + value + "': expected a number of units";
      out->fuel = fuel;
    }
  }
  if (i >= args.size()) return "run: missing MODULE";
  out->module_path = args[i];
  out->wasi.args.assign(args.begin() + long(i), args.end());
  return "";
}

// Runs `func` to the end on `thread`, charging `fuel` when it is set.
// Returns the process exit status, or nothing when the function returned.
// On a trap or when the fuel runs out, the backtrace is printed and, if
// asked for, a coredump of `instance` written.
std::optional<int> execute(Thread& thread, Function* func, std::optional<uint64_t>& fuel, uint64_t fuel_total,
                           const RunOptions& options, const Instance& instance, const wasi::Wasi& wasi) {
  Status started = thread.start(func, {});
  if (!started) {
    std::fprintf(stderr, "error: %s\n", started.error().to_string().c_str());
    return kExitFailure;
  }
  for (;;) {
    uint64_t budget = fuel ? std::min(*fuel, kSliceBudget) : kSliceBudget;
    RunStatus status = thread.run(budget);
    if (fuel) *fuel -= std::min(*fuel, thread.budget_used());
    if (status == RunStatus::OutOfBudget && fuel && *fuel == 0) {
      std::fflush(stdout);
      std::fprintf(stderr, "error: fuel exhausted (%" PRIu64 " units)\n", fuel_total);
      print_backtrace(stderr, thread.frames());
      if (!options.coredump_path.empty())
        write_coredump_file(stderr, options.coredump_path, instance, options.module_path, thread.frames());
      return kExitTrap;
    }
    switch (status) {
      case RunStatus::Finished:
        return std::nullopt;
      case RunStatus::Suspended:  // waiting for stdin, a socket or a timer: sleep until it can go on
        if (!wait_for_guest(wasi.wait_hint())) {
          std::fflush(stdout);
          std::fprintf(stderr, "error: the guest waits for something that can never happen\n");
          print_backtrace(stderr, thread.frames());
          return kExitFailure;
        }
        continue;
      case RunStatus::OutOfBudget:
      case RunStatus::Breakpoint:  // the CLI sets none; continue
        continue;
      case RunStatus::Exited:
        return thread.exit_code();
      case RunStatus::Trapped:
        std::fflush(stdout);
        std::fprintf(stderr, "trap: %s\n", thread.trap().message.c_str());
        // The whole stack: Trap::frames keeps only the youngest frames.
        print_backtrace(stderr, thread.frames());
        if (!options.coredump_path.empty())
          write_coredump_file(stderr, options.coredump_path, instance, options.module_path, thread.frames());
        return kExitTrap;
    }
    return kExitFailure;  // a status this loop does not know
  }
}

}  // namespace

int run_command(const Args& args) {
  RunOptions options;
  std::string problem = parse_run_options(args, &options);
  if (!problem.empty()) return usage_error(problem);

  auto module = load_module(options.module_path);
  if (!module) {
    std::fprintf(stderr, "error: %s: %s\n", options.module_path.c_str(), module.error().to_string().c_str());
    return kExitFailure;
  }

  options.wasi.stdout_sink = [](const uint8_t* data, size_t size) { std::fwrite(data, 1, size, stdout); };
  options.wasi.stderr_sink = [](const uint8_t* data, size_t size) {
    std::fflush(stdout);  // keep the two streams in the order the guest wrote them
    std::fwrite(data, 1, size, stderr);
  };
  options.wasi.stdin_source = nonblocking_stdin();
  auto wasi = wasi::Wasi::create(options.wasi);
  if (!wasi) {
    std::fprintf(stderr, "error: %s\n", wasi.error().to_string().c_str());
    return kExitFailure;
  }

  Store store;
  auto imports = (*wasi)->resolve_imports(store, **module);
  if (!imports) {
    std::fprintf(stderr, "error: %s\n", imports.error().to_string().c_str());
    return kExitFailure;
  }
  auto instance = store.instantiate(*module, *imports);
  if (!instance) {
    const Error& e = instance.error();
    if (is_link_error(e)) {
      std::fprintf(stderr, "error: %s\n", e.to_string().c_str());
      return kExitFailure;
    }
    std::fprintf(stderr, "trap: %s\n", e.message.c_str());
    return kExitTrap;
  }

  const Extern* entry = (*instance)->find_export("_start");
  if ((entry == nullptr || entry->kind != ExternKind::Func) && (*instance)->start == nullptr) {
    std::fprintf(stderr, "error: %s: no '_start' function exported\n", options.module_path.c_str());
    return kExitFailure;
  }

  Thread thread(store);
  std::optional<uint64_t> fuel = options.fuel;
  uint64_t fuel_total = options.fuel.value_or(0);
  std::optional<int> status;
  if ((*instance)->start != nullptr) status = execute(thread, (*instance)->start, fuel, fuel_total, options, **instance, **wasi);
  if (!status && entry != nullptr && entry->kind == ExternKind::Func) {
    status = execute(thread, entry->func(), fuel, fuel_total, options, **instance, **wasi);
  }
  std::fflush(stdout);
  return status.value_or(0);
}

}  // namespace ws::cli
