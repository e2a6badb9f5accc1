#include "debug_format.h"

#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ws::cli {
namespace {

Error error(const std::string& message) {
  Error e;
  e.message = message;
  return e;
}

uint64_t little_endian(const uint8_t* p, uint32_t size) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < size; i++) v |= uint64_t(p[i]) << (8 * i);
  return v;
}

int64_t sign_extend(uint64_t v, uint32_t size) {
  if (size >= 8) return int64_t(v);
  unsigned shift = 64 - 8 * size;
  return int64_t(v << shift) >> shift;
}

std::string char_text(uint8_t c) {
  switch (c) {
    case '\0': return "\\0";
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    case '\\': return "\\\\";
    case '"': return "\\\"";
    case '\'': return "\\'";
    default: break;
  }
  if (c >= 0x20 && c < 0x7f) return std::string(1, char(c));
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  return buf;
}

std::string unit_text(uint64_t v, const ExamineFormat& format) {
  char buf[32];
  switch (format.format) {
    case 'd':
      std::snprintf(buf, sizeof buf, "%" PRId64, sign_extend(v, format.unit));
      return buf;
    case 'u':
      std::snprintf(buf, sizeof buf, "%" PRIu64, v);
      return buf;
    case 'c':
      std::snprintf(buf, sizeof buf, "%" PRId64 " '", sign_extend(v & 0xff, 1));
      return buf + char_text(uint8_t(v)) + "'";
    default:
      std::snprintf(buf, sizeof buf, "0x%0*" PRIx64, int(2 * format.unit), v);
      return buf;
  }
}

std::vector<std::string> string_lines(uint64_t address, const std::vector<uint8_t>& bytes, uint64_t count) {
  std::vector<std::string> lines;
  size_t pos = 0;
  for (uint64_t n = 0; n < count && pos < bytes.size(); n++) {
    std::string text = "\"";
    size_t start = pos;
    while (pos < bytes.size() && bytes[pos] != 0 && pos - start < kMaxExamineString) text += char_text(bytes[pos++]);
    text += "\"";
    if (pos < bytes.size() && bytes[pos] == 0) {
      pos++;
    } else {
      text += "...";
    }
    lines.push_back(hex_address(address + start) + ":\t" + text);
  }
  return lines;
}

}  // namespace

std::string hex_address(uint64_t address) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, address);
  return buf;
}

std::vector<std::string> examine_lines(uint64_t address, const std::vector<uint8_t>& bytes,
                                       const ExamineFormat& format) {
  if (format.format == 's') return string_lines(address, bytes, format.count);
  uint32_t unit = format.unit;
  size_t per_row = unit == 8 ? 2 : unit == 4 ? 4 : 8;
  size_t units = bytes.size() / unit;
  std::vector<std::string> lines;
  for (size_t i = 0; i < units; i += per_row) {
    std::string line = hex_address(address + i * unit) + ":";
    for (size_t j = i; j < units && j < i + per_row; j++) {
      line += "\t" + unit_text(little_endian(bytes.data() + j * unit, unit), format);
    }
    lines.push_back(line);
  }
  return lines;
}

std::string watched_bytes_text(const std::vector<uint8_t>& bytes) {
  size_t n = bytes.size();
  if (n == 1 || n == 2 || n == 4 || n == 8) {
    return std::to_string(sign_extend(little_endian(bytes.data(), uint32_t(n)), uint32_t(n)));
  }
  std::string text = "{";
  char buf[8];
  for (size_t i = 0; i < n; i++) {
    std::snprintf(buf, sizeof buf, "%s0x%02x", i == 0 ? "" : ", ", bytes[i]);
    text += buf;
  }
  return text + "}";
}

Result<Value> parse_typed_value(ValType type, const std::string& text) {
  const std::string bad = "'" + text + "' is not " + (type == ValType::I32 || type == ValType::I64 ? "an " : "a ") +
                          valtype_name(type) + " value";
  if (text.empty()) return error(bad);
  if (type == ValType::I32 || type == ValType::I64) {
    bool negative = text[0] == '-';
    std::string digits = negative ? text.substr(1) : text;
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
      base = 16;
      digits = digits.substr(2);
    }
    if (digits.empty() || !(std::isxdigit(static_cast<unsigned char>(digits[0])))) return error(bad);
    errno = 0;
    char* end = nullptr;
    unsigned long long magnitude = std::strtoull(digits.c_str(), &end, base);
    if (errno != 0 || *end != '\0') return error(bad);
    bool is32 = type == ValType::I32;
    uint64_t max_positive = is32 ? UINT32_MAX : UINT64_MAX;  // unsigned spellings are fine too
    uint64_t max_negative = is32 ? (uint64_t(1) << 31) : (uint64_t(1) << 63);
    if (negative ? magnitude > max_negative : magnitude > max_positive) {
      return error("'" + text + "' does not fit in " + valtype_name(type));
    }
    uint64_t v = negative ? uint64_t(0) - magnitude : magnitude;
    return is32 ? Value::make_i32(uint32_t(v)) : Value::make_i64(v);
  }
  if (type == ValType::F32 || type == ValType::F64) {
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || end == text.c_str()) return error(bad);
    return type == ValType::F32 ? Value::make_f32(float(v)) : Value::make_f64(v);
  }
  return error(std::string("cannot set a ") + valtype_name(type) + " value");
}

std::optional<CScalar> c_scalar_type(const std::string& type_name) {
  std::string t = type_name;
  for (const char* qualifier : {"const ", "volatile "}) {
    for (size_t at; (at = t.find(qualifier)) != std::string::npos;) t.erase(at, std::strlen(qualifier));
  }
  if (!t.empty() && t.back() == '*') return CScalar{4, false};  // wasm32 pointers
  if (t.rfind("enum ", 0) == 0) return CScalar{4, false};
  static const struct {
    const char* name;
    CScalar type;
  } kScalars[] = {
      {"char", {1, false}}, {"signed char", {1, false}}, {"unsigned char", {1, false}},
      {"_Bool", {1, false}}, {"bool", {1, false}}, {"int8_t", {1, false}}, {"uint8_t", {1, false}},
      {"short", {2, false}}, {"short int", {2, false}}, {"unsigned short", {2, false}},
      {"unsigned short int", {2, false}}, {"int16_t", {2, false}}, {"uint16_t", {2, false}},
      {"int", {4, false}}, {"unsigned int", {4, false}}, {"unsigned", {4, false}}, {"long", {4, false}},
      {"long int", {4, false}}, {"unsigned long", {4, false}}, {"long unsigned int", {4, false}},
      {"int32_t", {4, false}}, {"uint32_t", {4, false}}, {"size_t", {4, false}}, {"ssize_t", {4, false}},
      {"intptr_t", {4, false}}, {"uintptr_t", {4, false}}, {"ptrdiff_t", {4, false}},
      {"long long", {8, false}}, {"long long int", {8, false}}, {"unsigned long long", {8, false}},
      {"long long unsigned int", {8, false}}, {"int64_t", {8, false}}, {"uint64_t", {8, false}},
      {"float", {4, true}}, {"double", {8, true}},
  };
  for (const auto& s : kScalars) {
    if (t == s.name) return s.type;
  }
  return std::nullopt;
}

Result<std::vector<uint8_t>> c_scalar_bytes(const CScalar& type, const std::string& text) {
  uint64_t bits = 0;
  if (type.is_float) {
    auto v = parse_typed_value(type.size == 4 ? ValType::F32 : ValType::F64, text);
    if (!v) return v.error();
    if (type.size == 4) {
      uint32_t b;
      std::memcpy(&b, &v->f32, 4);
      bits = b;
    } else {
      std::memcpy(&bits, &v->f64, 8);
    }
  } else {
    auto v = parse_typed_value(ValType::I64, text);
    if (!v) return error("'" + text + "' is not an integer");
    bits = v->i64;
    // It must fit the C type as a signed or an unsigned number.
    if (type.size < 8) {
      int64_t s = int64_t(bits);
      int64_t low = -(int64_t(1) << (8 * type.size - 1));
      uint64_t high = (uint64_t(1) << (8 * type.size)) - 1;
      if (s < low || (s >= 0 && uint64_t(s) > high)) {
        return error("'" + text + "' does not fit in " + std::to_string(type.size) + " bytes");
      }
    }
  }
  std::vector<uint8_t> bytes(type.size);
  for (uint32_t i = 0; i < type.size; i++) bytes[i] = uint8_t(bits >> (8 * i));
  return bytes;
}

bool leading_address(const std::string& text, uint64_t* out) {
  size_t pos = 0;
  if (!text.empty() && text[0] == '(') {  // a type in front: "(int *) 0x1000"
    pos = text.find(')');
    if (pos == std::string::npos) return false;
    pos++;
  }
  while (pos < text.size() && text[pos] == ' ') pos++;
  size_t end = pos;
  while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) end++;
  return parse_unsigned(text.substr(pos, end - pos), out);
}

}  // namespace ws::cli
