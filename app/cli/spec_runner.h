// Runs WebAssembly spec test scripts (.wast): defines and links modules,
// performs actions and checks every assertion. Failures are printed with
// file:line, the command, and expected and actual values.
#pragma once
#include <cstdio>
#include <string>

namespace ws::cli {

struct SpecOptions {
  bool verbose = false;  // show message differences and spectest prints
};

struct SpecResult {
  int passed = 0;
  int failed = 0;
  // Rejections at the right stage (invalid / malformed / unlinkable) whose
  // message differs from the script's; they count as passed.
  int message_mismatches = 0;
};

// Runs one script. `name` is how messages refer to the file ("core/i32.wast").
SpecResult run_spec_script(const std::string& name, const std::string& source,
                           const SpecOptions& options, std::FILE* out);

}  // namespace ws::cli
