// `wasmscope spec`: runs spec scripts given as files or directories and
// sums up. The last line is always "N passed, N failed".
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "load.h"
#include "spec_runner.h"

namespace ws::cli {
namespace {

namespace fs = std::filesystem;

struct Script {
  std::string path;
  std::string name;  // "core/i32.wast": the file with its directory
};

std::string display_name(const fs::path& file) {
  fs::path dir = file.parent_path().filename();
  return dir.empty() ? file.filename().string() : (dir / file.filename()).string();
}

// The scripts named by one argument: the file itself, or every .wast file
// under the directory, sorted so runs are reproducible.
bool collect(const std::string& arg, std::vector<Script>* out) {
  std::error_code ec;
  if (fs::is_directory(arg, ec)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".wast") files.push_back(it->path());
    }
    if (ec) return false;
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) out->push_back({f.string(), display_name(f)});
    return true;
  }
  if (!fs::exists(arg, ec)) return false;
  out->push_back({arg, display_name(arg)});
  return true;
}

}  // namespace

int spec_command(const Args& args) {
  SpecOptions options;
  std::vector<Script> scripts;
  for (const std::string& a : args) {
    if (a == "--verbose" || a == "-v") {
      options.verbose = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "' for 'spec'");
    } else if (!collect(a, &scripts)) {
      std::fprintf(stderr, "error: %s: no such file or directory\n", a.c_str());
      return kExitFailure;
    }
  }
  if (scripts.empty()) return usage_error("spec: expected FILE.wast or DIR");

  SpecResult total;
  for (const Script& s : scripts) {
    SpecResult r;
    auto bytes = read_file(s.path);
    if (!bytes) {
      std::printf("%s: %s\n", s.name.c_str(), bytes.error().message.c_str());
      r.failed = 1;
    } else {
      r = run_spec_script(s.name, std::string(bytes->begin(), bytes->end()), options, stdout);
    }
    std::printf("%s: %d passed, %d failed\n", s.name.c_str(), r.passed, r.failed);
    std::fflush(stdout);
    total.passed += r.passed;
    total.failed += r.failed;
    total.message_mismatches += r.message_mismatches;
  }
  if (total.message_mismatches > 0) {
    std::printf("rejections with a different message than the script's: %d%s\n", total.message_mismatches,
                options.verbose ? "" : " (--verbose shows them)");
  }
  std::printf("%d passed, %d failed\n", total.passed, total.failed);
  return total.failed > 0 ? kExitFailure : 0;
}

}  // namespace ws::cli
