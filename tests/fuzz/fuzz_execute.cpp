// libFuzzer target: every module that decodes and validates is instantiated
// against dummy imports and run: the start function, then each exported
// function with zero arguments. Small limits and a budget per call keep each
// input fast; traps and exhausted budgets are normal outcomes, crashes,
// leaks and sanitizer reports are bugs.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tests/fuzz/dummy_imports.h"
#include "vm/decoder.h"
#include "vm/runtime.h"
#include "vm/validator.h"

namespace {

constexpr uint64_t kBudgetPerCall = 100000;

ws::ExecLimits fuzz_limits() {
  ws::ExecLimits limits;
  limits.max_call_depth = 1000;
  limits.max_stack_bytes = 16u << 20;
  limits.max_memory_pages = 256;
  return limits;
}

// Runs one call of `func` with zero (or null) arguments for one budget slice.
// The thread is reused across calls, however the previous one ended.
void run_once(ws::Thread& thread, ws::Function* func) {
  std::vector<ws::Value> args;
  for (ws::ValType t : func->type.params) args.push_back(ws::Value::null_of(t));
  if (!thread.start(func, args)) return;
  const ws::RunStatus status = thread.run(kBudgetPerCall);
  // Read back what the embedder would show, so its construction is fuzzed too.
  if (status == ws::RunStatus::Finished) (void)thread.results();
  else if (status == ws::RunStatus::Trapped) (void)thread.trap().message;
  else (void)thread.frames();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ws::Result<std::shared_ptr<ws::Module>> module = ws::decode_module(std::vector<uint8_t>(data, data + size));
  if (!module || !ws::validate_module(**module)) return 0;

  ws::Store store(fuzz_limits());
  std::optional<std::vector<ws::Extern>> imports = ws::make_dummy_imports(store, **module);
  if (!imports) return 0;
  ws::Result<ws::Instance*> instance = store.instantiate(*module, *imports);
  if (!instance) return 0;

  ws::Thread thread(store);
  if ((*instance)->start) run_once(thread, (*instance)->start);
  for (const auto& [name, x] : (*instance)->exports)
    if (ws::Function* f = x.func()) run_once(thread, f);
  return 0;
}
