// Helpers for engine tests: text module -> validated Module -> Instance.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "vm/decoder.h"
#include "vm/runtime.h"
#include "vm/text/wast.h"
#include "vm/validator.h"

namespace ws::testing {

// Decodes and validates `binary`; null (with a test failure) if it is not a
// valid module.
inline std::shared_ptr<Module> load_module(std::vector<uint8_t> binary) {
  auto m = decode_module(std::move(binary));
  if (!m) {
    ADD_FAILURE() << "decode: " << m.error().to_string();
    return nullptr;
  }
  Status v = validate_module(**m);
  if (!v) {
    ADD_FAILURE() << "validate: " << v.error().to_string();
    return nullptr;
  }
  return *m;
}

inline std::shared_ptr<Module> parse_module(const std::string& wat) {
  auto bin = text::wat_to_binary(wat);
  if (!bin) {
    ADD_FAILURE() << "wat: " << bin.error().to_string();
    return nullptr;
  }
  return load_module(std::move(*bin));
}

// Instantiates `wat`; null (with a test failure) if anything goes wrong.
inline Instance* instantiate(Store& store, const std::string& wat, const std::vector<Extern>& imports = {}) {
  auto m = parse_module(wat);
  if (!m) return nullptr;
  auto inst = store.instantiate(m, imports);
  if (!inst) {
    ADD_FAILURE() << "instantiate: " << inst.error().to_string();
    return nullptr;
  }
  return *inst;
}

inline Function* export_func(Instance* inst, const std::string& name) {
  const Extern* e = inst ? inst->find_export(name) : nullptr;
  return e ? e->func() : nullptr;
}

inline Value i32(uint32_t v) { return Value::make_i32(v); }
inline Value i64(uint64_t v) { return Value::make_i64(v); }

}  // namespace ws::testing
