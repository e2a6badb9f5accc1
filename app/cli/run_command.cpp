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
#include "load.h"
#include "vm/runtime.h"
#include "vm/wasi/wasi.h"

namespace ws::cli {
namespace {

struct RunOptions {
  wasi::WasiConfig wasi;
  std::optional<uint64_t> fuel;
  std::string module_path;
};

// Budget of one run() slice: small enough that --fuel is exact and a
// future debugger/UI gets control back often, large enough to be cheap.
constexpr uint64_t kSliceBudget = 1u << 20;

bool parse_u64(const std::string& s, uint64_t* out) {
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

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
    if (name != "--dir" && name != "--env" && name != "--fuel") return "unknown option '" + arg + "' for 'run'";
    if (!value_of(arg, name, &value)) return "option '" + name + "' needs a value";
    if (name == "--dir") {
      size_t sep = value.find("::");
      wasi::Preopen p;
      p.host_path = value.substr(0, sep);
      p.guest_path = sep == std::string::npos ? value : value.substr(sep + 2);
      if (p.host_path.empty() || p.guest_path.empty()) return "bad --dir '" + value + "': expected HOST[::GUEST]";
      out->wasi.preopens.push_back(p);
    } else if (name == "--env") {
      if (value.find('=') == std::string::npos || value[0] == '=') return "bad --env '" + value + "': expected K=V";
      out->wasi.env.push_back(value);
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
std::optional<int> execute(Thread& thread, Function* func, std::optional<uint64_t>& fuel, uint64_t fuel_total) {
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
      return kExitTrap;
    }
    switch (status) {
      case RunStatus::Finished:
        return std::nullopt;
      case RunStatus::OutOfBudget:
      case RunStatus::Suspended:   // stdin reads block in the CLI; retry
      case RunStatus::Breakpoint:  // the CLI sets none; continue
        continue;
      case RunStatus::Exited:
        return thread.exit_code();
      case RunStatus::Trapped:
        std::fflush(stdout);
        std::fprintf(stderr, "trap: %s\n", thread.trap().message.c_str());
        print_backtrace(stderr, thread.trap().frames);
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
  options.wasi.stdin_source = [](uint8_t* buf, size_t size) -> std::optional<size_t> {
    std::fflush(stdout);  // a prompt written before reading must be visible
    ssize_t n = ::read(0, buf, size);
    return n > 0 ? size_t(n) : 0;
  };
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
  if ((*instance)->start != nullptr) status = execute(thread, (*instance)->start, fuel, fuel_total);
  if (!status && entry != nullptr && entry->kind == ExternKind::Func) {
    status = execute(thread, entry->func(), fuel, fuel_total);
  }
  std::fflush(stdout);
  return status.value_or(0);
}

}  // namespace ws::cli
