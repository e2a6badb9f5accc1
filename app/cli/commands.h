// The CLI's subcommands. Each takes the arguments after its name and returns
// the process exit status.
#pragma once
#include <string>
#include <vector>

namespace ws::wasi {
struct WasiConfig;
}

namespace ws::cli {

using Args = std::vector<std::string>;

// Exit statuses shared by the commands.
constexpr int kExitFailure = 1;  // invalid module, failed assertion, I/O error
constexpr int kExitUsage = 2;    // bad command line
constexpr int kExitTrap = 134;   // the guest trapped or ran out of fuel

int run_command(const Args& args);
int spec_command(const Args& args);
int validate_command(const Args& args);
int info_command(const Args& args);
int core_command(const Args& args);
int debug_command(const Args& args);

// --dir HOST[::GUEST], --env K=V, --seed N and --listen HOST:PORT (which
// binds the socket now), shared by `run` and `debug`: adds one to `config`;
// returns what is wrong with `value`, or "".
std::string add_wasi_option(const std::string& name, const std::string& value, wasi::WasiConfig* config);

// Prints "error: <message>" and the hint to stderr; returns kExitUsage.
int usage_error(const std::string& message);

}  // namespace ws::cli
