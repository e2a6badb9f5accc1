// libFuzzer target: arbitrary text through the .wat parser (and what it
// encodes through the decoder and validator) and the .wast script parser.
// Bad input must come back as an Error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "vm/decoder.h"
#include "vm/text/wast.h"
#include "vm/validator.h"

// Larger inputs only slow the fuzzer down without reaching new code.
constexpr size_t kMaxInput = 64 * 1024;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string source(reinterpret_cast<const char*>(data), size);
  ws::Result<std::vector<uint8_t>> binary = ws::text::wat_to_binary(source);
  if (binary) {
    // What the parser encodes goes on to the decoder and validator like any
    // binary, so structured input reaches them too.
    ws::Result<std::shared_ptr<ws::Module>> module = ws::decode_module(std::move(*binary));
    if (module) (void)ws::validate_module(**module);
  } else {
    (void)binary.error().to_string();
  }
  ws::Result<std::vector<ws::text::Command>> script = ws::text::parse_wast(source);
  if (!script) (void)script.error().to_string();
  return 0;
}
