// libFuzzer target: arbitrary bytes through the decoder and, when they decode,
// the validator. Both must reject bad input with an Error, never crash.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vm/decoder.h"
#include "vm/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ws::Result<std::shared_ptr<ws::Module>> module = ws::decode_module(std::vector<uint8_t>(data, data + size));
  if (!module) {
    (void)module.error().to_string();
    return 0;
  }
  ws::Status valid = ws::validate_module(**module);
  if (!valid) {
    (void)valid.error().to_string();
    (void)ws::find_malformed_code(**module);
  }
  return 0;
}
