// `wasmscope debug`: the text of memory dumps (x/FMT), of watched bytes,
// and reading values typed at the prompt (set var). Pure functions of their
// arguments, so they are tested without a session.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "debug_parse.h"
#include "vm/error.h"
#include "vm/types.h"

namespace ws::cli {

// "0x1a3"
std::string hex_address(uint64_t address);

// At most this many characters of one x/s string, like gdb's print elements.
constexpr size_t kMaxExamineString = 200;

// gdb's x output for `bytes` read at `address`: one line per row,
// "0x1000:\t0x00000001\t0x00000002...", rows of 8 bytes/halfwords/chars,
// 4 words or 2 giants; x/s prints NUL-terminated strings, one per line.
// Units are little-endian.
std::vector<std::string> examine_lines(uint64_t address, const std::vector<uint8_t>& bytes,
                                       const ExamineFormat& format);

// The bytes of a watched range: as a signed little-endian integer when the
// range is 1, 2, 4 or 8 bytes long, else "{0x01, 0x02, ...}".
std::string watched_bytes_text(const std::vector<uint8_t>& bytes);

// `text` ("-3", "0x10", "1.5", "nan") as a value of `type`; an Error when it
// is not a number of that type or does not fit.
Result<Value> parse_typed_value(ValType type, const std::string& text);

// A C scalar type as wasm32 lays it out: its size in bytes and whether it
// is floating point. Nothing for aggregates and unknown typedefs.
struct CScalar {
  uint32_t size = 0;
  bool is_float = false;
};
std::optional<CScalar> c_scalar_type(const std::string& type_name);

// `text` as the bytes of a C scalar (little-endian): integers in decimal or
// hex (two's complement when negative), floats as IEEE bits.
Result<std::vector<uint8_t>> c_scalar_bytes(const CScalar& type, const std::string& text);

// The first number in a printed value: "0x1000" in "(int *) 0x1000", "16"
// in "16". Used to take addresses from `print`-style results.
bool leading_address(const std::string& text, uint64_t* out);

}  // namespace ws::cli
