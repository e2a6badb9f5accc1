// Getting from a file name to a decoded, validated Module: the first steps
// of every CLI command.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vm/error.h"
#include "vm/module.h"

namespace ws::cli {

// The file's bytes, or an Error naming the file and the OS reason.
Result<std::vector<uint8_t>> read_file(const std::string& path);

// True when `bytes` (from `path`) are WebAssembly text: a .wat/.wast name or
// a first non-blank character '(' (a binary starts with "\0asm").
bool looks_like_text(const std::string& path, const std::vector<uint8_t>& bytes);

// Reads a .wasm file, or a .wat one converted to binary.
Result<std::vector<uint8_t>> load_binary(const std::string& path);

// Reads, decodes and (unless `validate` is false) validates a module.
Result<std::shared_ptr<Module>> load_module(const std::string& path, bool validate = true);

// Whether an instantiation failure is a link error (unknown import or
// incompatible import type) rather than a trap while initialising.
bool is_link_error(const Error& error);

}  // namespace ws::cli
