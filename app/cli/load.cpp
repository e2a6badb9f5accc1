#include "load.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "vm/decoder.h"
#include "vm/text/wast.h"
#include "vm/validator.h"

namespace ws::cli {

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{path + ": " + std::strerror(errno), "", {}, {}, ""};
  std::vector<uint8_t> bytes;
  uint8_t chunk[65536];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error{path + ": read error", "", {}, {}, ""};
  return bytes;
}

bool looks_like_text(const std::string& path, const std::vector<uint8_t>& bytes) {
  auto ends_with = [&](const char* ext) {
    size_t n = std::strlen(ext);
    return path.size() >= n && path.compare(path.size() - n, n, ext) == 0;
  };
  if (ends_with(".wat") || ends_with(".wast")) return true;
  for (uint8_t b : bytes) {
    if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
    return b == '(' || b == ';';  // a module or a leading ";;" comment
  }
  return false;
}

Result<std::vector<uint8_t>> load_binary(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes || !looks_like_text(path, *bytes)) return bytes;
  std::string source(bytes->begin(), bytes->end());
  return text::wat_to_binary(source);  // errors say "line:col: ..."
}

Result<std::shared_ptr<Module>> load_module(const std::string& path, bool validate) {
  auto binary = load_binary(path);
  if (!binary) return binary.error();
  auto module = decode_module(std::move(*binary));
  if (!module || !validate) return module;
  Status valid = validate_module(**module);
  if (!valid) return valid.error();
  return module;
}

bool is_link_error(const Error& error) {
  return error.section == "import" ||
         error.message.find("unknown import") != std::string::npos ||
         error.message.find("incompatible import type") != std::string::npos;
}

}  // namespace ws::cli
