#include "binary_writer.h"

#include <cstring>

namespace ws {

void BinaryWriter::u32(uint32_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    bytes_.push_back(b);
  } while (v != 0);
}

void BinaryWriter::s32(int32_t v) { s64(v); }

void BinaryWriter::s64(int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic shift keeps the sign
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    if (done) {
      bytes_.push_back(b);
      return;
    }
    bytes_.push_back(b | 0x80);
  }
}

void BinaryWriter::f32_bits(uint32_t bits) {
  for (int i = 0; i < 4; i++) bytes_.push_back(uint8_t(bits >> (8 * i)));
}

void BinaryWriter::f64_bits(uint64_t bits) {
  for (int i = 0; i < 8; i++) bytes_.push_back(uint8_t(bits >> (8 * i)));
}

void BinaryWriter::f32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  f32_bits(bits);
}

void BinaryWriter::f64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  f64_bits(bits);
}

void BinaryWriter::raw(const void* data, size_t size) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  bytes_.insert(bytes_.end(), p, p + size);
}

void BinaryWriter::name(std::string_view s) {
  u32(uint32_t(s.size()));
  raw(s.data(), s.size());
}

void BinaryWriter::sized(const std::vector<uint8_t>& content) {
  u32(uint32_t(content.size()));
  raw(content);
}

void BinaryWriter::section(uint8_t id, const std::vector<uint8_t>& content) {
  u8(id);
  sized(content);
}

void BinaryWriter::custom_section(std::string_view name, const std::vector<uint8_t>& payload) {
  BinaryWriter content;
  content.name(name);
  content.raw(payload);
  section(uint8_t(SectionId::Custom), content.bytes());
}

void write_wasm_header(BinaryWriter& w) {
  static const uint8_t kHeader[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  w.raw(kHeader, sizeof kHeader);
}

}  // namespace ws
