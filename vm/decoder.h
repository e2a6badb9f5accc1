// Binary format decoder: bytes -> Module. Checks that the binary is well
// formed (the spec's "malformed" class of errors); whether it is valid is
// the validator's job. Function bodies are located and their locals decoded,
// but their instructions are left for the validator to walk.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "error.h"
#include "module.h"

namespace ws {

// Decodes a module binary. The returned Module owns `bytes`
// (Module::binary) and records the offsets of everything it decoded.
Result<std::shared_ptr<Module>> decode_module(std::vector<uint8_t> bytes);

// Syntax-only pass over every function body: the first malformed
// instruction, body without its final `end`, or use of a data segment
// without the data count section, if any. The spec decodes all bodies
// before validating anything, so this lets a later failure (invalid module,
// malformed section after the code) report the malformation the spec
// reports instead. Not needed on success paths: the validator decodes every
// body anyway.
std::optional<Error> find_malformed_code(const Module& module);

// Cap on the declared locals of one function (beyond its parameters); more
// is rejected as "too many locals" before anything is allocated.
constexpr uint32_t kMaxFunctionLocals = 50000;

}  // namespace ws
