// Building WebAssembly binaries: LEB128 integers, IEEE floats, names and
// size-prefixed sections. Shared by the text-format encoder and anything else
// that emits wasm bytes (e.g. the debugger's coredump writer).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace ws {

class BinaryWriter {
 public:
  void u8(uint8_t b) { bytes_.push_back(b); }
  void u32(uint32_t v);  // unsigned LEB128
  void s32(int32_t v);   // signed LEB128
  void s64(int64_t v);   // signed LEB128
  void f32(float v);     // 4 bytes little-endian
  void f64(double v);    // 8 bytes little-endian
  void f32_bits(uint32_t bits);
  void f64_bits(uint64_t bits);
  void raw(const void* data, size_t size);
  void raw(const std::vector<uint8_t>& data) { raw(data.data(), data.size()); }
  void name(std::string_view s);  // vec(byte): u32 length, then the bytes
  // `content` prefixed by its u32 size (function bodies, subsections).
  void sized(const std::vector<uint8_t>& content);
  // A section: its id byte, then the size-prefixed content.
  void section(uint8_t id, const std::vector<uint8_t>& content);
  // A custom section (id 0) whose payload starts with `name`.
  void custom_section(std::string_view name, const std::vector<uint8_t>& payload);

  size_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t>& bytes() { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

// The 8-byte preamble: "\0asm" and version 1.
void write_wasm_header(BinaryWriter& w);

// Binary section ids, in the order sections must appear (custom aside).
enum class SectionId : uint8_t {
  Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6,
  Export = 7, Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12,
};

}  // namespace ws
