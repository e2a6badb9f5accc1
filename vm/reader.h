// Bounds-checked reading of the WebAssembly binary encoding: bytes,
// fixed-width little-endian values and LEB128 integers.
//
// A Reader walks a window [pos, end) of a module binary; positions are module
// offsets, so errors point into the original file. Failures do not throw: a
// read returns false and records a static message and the offset where the
// bad encoding starts. After a failure further reads keep failing, so callers
// may check once after a group of reads.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ws {

class Reader {
 public:
  Reader() = default;
  // `base` is the first byte of the module; the window is [begin, end).
  Reader(const uint8_t* base, uint32_t begin, uint32_t end)
      : base_(base), pos_(begin), end_(end), limit_(end) {}
  // `limit` (>= end) is where the underlying buffer really ends. An LEB128
  // cut off by the window's end is then classified like the spec's reference
  // decoder, which reads on: as "integer representation too long" or
  // "integer too large" if it would be, else as an unexpected end.
  Reader(const uint8_t* base, uint32_t begin, uint32_t end, uint32_t limit)
      : base_(base), pos_(begin), end_(end), limit_(limit < end ? end : limit) {}

  uint32_t pos() const { return pos_; }
  uint32_t end() const { return end_; }
  uint32_t remaining() const { return end_ - pos_; }
  bool at_end() const { return pos_ >= end_; }
  const uint8_t* base() const { return base_; }
  const uint8_t* cursor() const { return base_ + pos_; }

  bool ok() const { return error_ == nullptr; }
  const char* error() const { return error_; }
  uint32_t error_offset() const { return error_offset_; }
  // Records a failure (the first one wins) and returns false.
  bool fail(const char* message, uint32_t offset) {
    if (!error_) {
      error_ = message;
      error_offset_ = offset;
    }
    pos_ = end_;
    return false;
  }
  bool fail(const char* message) { return fail(message, pos_); }

  // Message used when a read runs past the window; its offset is the
  // window's end, where the input ran out. Sections and function
  // bodies use the spec's "unexpected end of section or function"; the
  // module as a whole uses plain "unexpected end".
  void set_end_message(const char* message) { end_message_ = message; }

  bool u8(uint8_t* out) {
    if (pos_ >= end_) return fail(end_message_, end_);
    *out = base_[pos_++];
    return true;
  }
  bool peek_u8(uint8_t* out) const {
    if (pos_ >= end_) return false;
    *out = base_[pos_];
    return true;
  }
  // A fixed-size little-endian field (f32/f64 bit patterns, v128 bytes).
  bool bytes(void* out, uint32_t n) {
    if (remaining() < n) return fail(end_message_, end_);
    std::memcpy(out, base_ + pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(uint32_t n) {
    if (remaining() < n) return fail(end_message_, end_);
    pos_ += n;
    return true;
  }
  bool f32_bits(uint32_t* out) { return bytes(out, 4); }  // host is little-endian
  bool f64_bits(uint64_t* out) { return bytes(out, 8); }

  bool u32(uint32_t* out) {
    // Fast paths: most indices, counts and offsets fit in one or two bytes.
    if (pos_ < end_ && base_[pos_] < 0x80) {
      *out = base_[pos_++];
      return true;
    }
    if (end_ - pos_ >= 2 && base_[pos_ + 1] < 0x80) {
      *out = (base_[pos_] & 0x7Fu) | (uint32_t(base_[pos_ + 1]) << 7);
      pos_ += 2;
      return true;
    }
    uint64_t v;
    if (!leb(32, false, &v)) return false;
    *out = uint32_t(v);
    return true;
  }
  bool s32(int32_t* out) {
    // Fast paths: constants in [-8192, 8191] take one or two bytes.
    if (pos_ < end_ && base_[pos_] < 0x80) {
      *out = int32_t(uint32_t(base_[pos_++]) << 25) >> 25;
      return true;
    }
    if (end_ - pos_ >= 2 && base_[pos_ + 1] < 0x80) {
      const uint32_t v = (base_[pos_] & 0x7Fu) | (uint32_t(base_[pos_ + 1]) << 7);
      *out = int32_t(v << 18) >> 18;
      pos_ += 2;
      return true;
    }
    uint64_t v;
    if (!leb(32, true, &v)) return false;
    *out = int32_t(uint32_t(v));
    return true;
  }
  // Signed 33-bit integer (block types): the result is sign-extended.
  bool s33(int64_t* out) {
    uint64_t v;
    if (!leb(33, true, &v)) return false;
    *out = int64_t(v);
    return true;
  }
  bool u64(uint64_t* out) { return leb(64, false, out); }
  bool s64(int64_t* out) {
    if (pos_ < end_ && base_[pos_] < 0x80) {
      *out = int64_t(uint64_t(base_[pos_++]) << 57) >> 57;
      return true;
    }
    uint64_t v;
    if (!leb(64, true, &v)) return false;
    *out = int64_t(v);
    return true;
  }

 private:
  // Decodes an LEB128 integer of `bits` bits. The encoding may use at most
  // ceil(bits / 7) bytes ("integer representation too long"), and the unused
  // bits of the last byte must be zero (unsigned) or copies of the sign bit
  // (signed) ("integer too large"). Signed results are sign-extended to 64.
  bool leb(unsigned bits, bool is_signed, uint64_t* out) {
    const uint32_t start = pos_;
    const unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    unsigned shift = 0;
    bool overrun = false;  // reading past the window, only to name the error
    for (unsigned i = 0;; ++i) {
      if (pos_ >= end_) {
        if (pos_ >= limit_) return fail(end_message_, end_);
        overrun = true;
      }
      const uint8_t byte = base_[pos_++];
      if (i == max_bytes - 1) {
        if (byte & 0x80) return fail("integer representation too long", start);
        // Bits of this byte beyond `bits` must be an extension of the value.
        const unsigned used = bits - shift;  // 1..7 meaningful bits
        const uint8_t extra = uint8_t((byte & 0x7F) >> used);
        if (is_signed) {
          const bool negative = (byte >> (used - 1)) & 1;
          const uint8_t expect = negative ? uint8_t(0x7F >> used) : 0;
          if (extra != expect) return fail("integer too large", start);
        } else if (extra != 0) {
          return fail("integer too large", start);
        }
      }
      result |= uint64_t(byte & 0x7F) << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    if (overrun) return fail(end_message_, end_);
    if (is_signed && shift < 64 && (result >> (shift - 1)) & 1) result |= ~uint64_t(0) << shift;
    if (!is_signed && bits < 64) result &= (uint64_t(1) << bits) - 1;
    *out = result;
    return true;
  }

  const uint8_t* base_ = nullptr;
  uint32_t pos_ = 0;
  uint32_t end_ = 0;
  uint32_t limit_ = 0;
  const char* error_ = nullptr;
  uint32_t error_offset_ = 0;
  const char* end_message_ = "unexpected end";
};

}  // namespace ws
