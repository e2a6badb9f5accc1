#include "dwarf_error.h"
#include "value_printer.h"

#include <dwarf.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace ws::dwarf {
namespace {

constexpr uint64_t kMaxObjectBytes = 1 << 20;  // bigger objects are not printed whole
constexpr size_t kMaxElements = 100;           // then "..."
constexpr int kMaxDepth = 6;                   // nested aggregates, then "{...}"
constexpr size_t kMaxValues = 10000;           // scalars printed by one print()

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

std::string escape_char(uint8_t c, char quote) {
  switch (c) {
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    case 0: return "\\0";
    case '\\': return "\\\\";
  }
  if (c == uint8_t(quote)) return std::string("\\") + quote;
  if (c < 0x20 || c >= 0x7f) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\%03o", c);
    return buf;
  }
  return std::string(1, char(c));
}

bool is_char(const TypeInfo& t) {
  return t.kind == TypeInfo::Base && t.size == 1 &&
         (t.encoding == DW_ATE_signed_char || t.encoding == DW_ATE_unsigned_char);
}

uint64_t little_endian(const std::vector<uint8_t>& bytes, size_t size) {
  uint64_t v = 0;
  size_t n = std::min<size_t>({size, 8, bytes.size()});
  if (n) std::memcpy(&v, bytes.data(), n);
  return v;
}

int64_t sign_extend(uint64_t v, size_t size) {
  if (size >= 8 || size == 0) return int64_t(v);
  unsigned bits = unsigned(size * 8);
  return int64_t(v << (64 - bits)) >> (64 - bits);
}

}  // namespace

Object ValuePrinter::from_location(uint64_t type, const Located& located) const {
  Object o;
  o.type = type;
  if (!located.error.empty()) {
    o.unavailable = located.error[0] == '<' ? located.error : "<" + located.error + ">";
    return o;
  }
  if (located.pieces.size() == 1 && located.pieces[0].kind == Piece::Memory) {
    o.address = located.pieces[0].address;
    return o;
  }
  // Pieces (or a single value): assemble the bytes.
  for (const Piece& p : located.pieces) {
    if (p.kind == Piece::Missing) {
      o.unavailable = "<optimized out>";
      return o;
    }
    std::vector<uint8_t> part = p.bytes;
    if (p.kind == Piece::Memory) {
      part.resize(p.size);
      if (p.size && (!frame_.read_memory || !frame_.read_memory(p.address, part.data(), part.size()))) {
        o.unavailable = "<unreadable memory at " + hex(p.address) + ">";
        return o;
      }
    }
    if (p.size) part.resize(p.size);
    o.bytes.insert(o.bytes.end(), part.begin(), part.end());
  }
  return o;
}

bool ValuePrinter::load(const Object& object, uint64_t size, std::vector<uint8_t>* out,
                        std::string* why) const {
  if (!object.unavailable.empty()) {
    *why = object.unavailable;
    return false;
  }
  if (size > kMaxObjectBytes) {
    *why = "<too large>";
    return false;
  }
  if (!object.address) {
    *out = object.bytes;
    out->resize(size);  // a value narrower than its type (an i32 local holding a char) is zero-extended
    return true;
  }
  out->resize(size);
  if (size && (!frame_.read_memory || !frame_.read_memory(*object.address, out->data(), size))) {
    *why = "<unreadable memory at " + hex(*object.address) + ">";
    return false;
  }
  return true;
}

std::string ValuePrinter::print(const Object& object) const {
  budget_ = kMaxValues;
  return print(object, 0);
}

std::string ValuePrinter::read_c_string(uint64_t address, size_t max) const {
  std::string s = "\"";
  for (size_t i = 0; i < max; ++i) {
    uint8_t c = 0;
    if (!frame_.read_memory || !frame_.read_memory(address + i, &c, 1)) {
      return i == 0 ? "<unreadable memory at " + hex(address) + ">" : s + "\"...";
    }
    if (c == 0) return s + "\"";
    s += escape_char(c, '"');
  }
  return s + "\"...";
}

std::string ValuePrinter::print_scalar(const TypeInfo& t, const std::vector<uint8_t>& bytes) const {
  uint64_t raw = little_endian(bytes, t.size);
  switch (t.encoding) {
    case DW_ATE_boolean: return raw ? "true" : "false";
    case DW_ATE_float: {
      char buf[64];
      if (t.size == 4) {
        float f;
        std::memcpy(&f, bytes.data(), 4);
        std::snprintf(buf, sizeof buf, "%g", double(f));
      } else if (t.size == 8) {
        double d;
        std::memcpy(&d, bytes.data(), 8);
        std::snprintf(buf, sizeof buf, "%g", d);
      } else {
        return "<long double>";
      }
      return buf;
    }
    case DW_ATE_signed: case DW_ATE_signed_char: {
      int64_t v = sign_extend(raw, t.size);
      std::string s = std::to_string(v);
      if (is_char(t)) s += " '" + escape_char(uint8_t(v), '\'') + "'";
      return s;
    }
    case DW_ATE_unsigned: case DW_ATE_unsigned_char: case DW_ATE_UTF: {
      std::string s = std::to_string(raw);
      if (is_char(t)) s += " '" + escape_char(uint8_t(raw), '\'') + "'";
      return s;
    }
    default: return hex(raw);
  }
}

Object ValuePrinter::sub_object(const Object& object, uint64_t type, uint64_t offset) const {
  Object o;
  o.type = type;
  o.unavailable = object.unavailable;
  if (object.address) {
    o.address = *object.address + offset;
  } else if (offset < object.bytes.size()) {
    o.bytes.assign(object.bytes.begin() + offset, object.bytes.end());
  }
  return o;
}

std::string ValuePrinter::print(const Object& object, int depth) const {
  if (!object.unavailable.empty()) return object.unavailable;
  if (budget_ == 0) return "...";
  --budget_;
  const TypeInfo& t = types_.get(types_.strip(object.type));
  std::vector<uint8_t> bytes;
  std::string why;
  switch (t.kind) {
    case TypeInfo::Base:
      if (!load(object, t.size, &bytes, &why)) return why;
      return print_scalar(t, bytes);
    case TypeInfo::Enum: {
      if (!load(object, t.size, &bytes, &why)) return why;
      const TypeInfo& underlying = types_.get(types_.strip(t.target));
      bool is_signed = underlying.kind != TypeInfo::Base || underlying.encoding == DW_ATE_signed;
      uint64_t raw = little_endian(bytes, t.size);
      int64_t v = is_signed ? sign_extend(raw, t.size) : int64_t(raw);
      for (const auto& [name, value] : t.enumerators) {
        if (value == v) return name;
      }
      return std::to_string(v);
    }
    case TypeInfo::Pointer: {
      if (!load(object, t.size, &bytes, &why)) return why;
      uint64_t address = little_endian(bytes, t.size);
      std::string s = hex(address);
      if (address && is_char(types_.get(types_.strip(t.target)))) s += " " + read_c_string(address, 200);
      return s;
    }
    case TypeInfo::Struct: case TypeInfo::Union: {
      if (depth >= kMaxDepth) return "{...}";
      std::string s = "{";
      for (size_t i = 0; i < t.members.size(); ++i) {
        const TypeInfo::Member& m = t.members[i];
        if (i) s += ", ";
        if (!m.name.empty()) s += m.name + " = ";
        Object field = sub_object(object, m.type, m.offset);
        if (m.bit_size && m.bit_offset + m.bit_size > 64) {
          s += "<bad bit field>";
        } else if (m.bit_size) {
          std::vector<uint8_t> raw;
          uint64_t span = (m.bit_offset + m.bit_size + 7) / 8;
          if (!load(field, span, &raw, &why)) return why;
          uint64_t v = little_endian(raw, span) >> m.bit_offset;
          if (m.bit_size < 64) v &= (uint64_t(1) << m.bit_size) - 1;
          const TypeInfo& ft = types_.get(types_.strip(m.type));
          bool is_signed = ft.kind == TypeInfo::Base && ft.encoding == DW_ATE_signed;
          s += is_signed ? std::to_string(int64_t(v << (64 - m.bit_size)) >> (64 - m.bit_size))
                         : std::to_string(v);
        } else {
          s += print(field, depth + 1);
        }
      }
      return s + "}";
    }
    case TypeInfo::Array: {
      if (depth >= kMaxDepth) return "{...}";
      uint64_t count = t.counts.empty() ? 0 : t.counts[0];
      if (t.counts.size() == 1 && is_char(types_.get(types_.strip(t.target)))) {
        if (!load(object, count, &bytes, &why)) return why;
        std::string s = "\"";
        for (uint8_t c : bytes) {
          if (c == 0) break;
          s += escape_char(c, '"');
        }
        return s + "\"";
      }
      std::string s = "{";
      for (uint64_t i = 0; i < count && i < kMaxElements; ++i) {
        if (i) s += ", ";
        Result<Object> element = index(object, int64_t(i));
        s += element ? print(*element, depth + 1) : "?";
      }
      if (count > kMaxElements) s += ", ...";
      return s + "}";
    }
    case TypeInfo::Function: return object.address ? "{function at " + hex(*object.address) + "}" : "{function}";
    default: return "<unknown type>";
  }
}

Result<Object> ValuePrinter::dereference(const Object& object) const {
  const TypeInfo& t = types_.get(types_.strip(object.type));
  if (t.kind == TypeInfo::Array) return index(object, 0);
  if (t.kind != TypeInfo::Pointer) {
    return dwarf_error("cannot dereference a value of type '" + types_.name_of(object.type) + "'");
  }
  std::vector<uint8_t> bytes;
  std::string why;
  if (!load(object, t.size, &bytes, &why)) return dwarf_error("cannot read the pointer: " + why);
  if (types_.strip(t.target) == 0) return dwarf_error("cannot dereference a 'void *'");
  Object o;
  o.type = t.target;
  o.address = little_endian(bytes, t.size);
  return o;
}

Result<Object> ValuePrinter::address_of(const Object& object) const {
  if (!object.address) {
    return dwarf_error(object.unavailable.empty() ? "the value is not in memory: it has no address"
                                                  : "the value is " + object.unavailable);
  }
  Object pointer;
  pointer.type = types_.pointer_to(object.type);
  uint32_t address = uint32_t(*object.address);
  pointer.bytes.assign((const uint8_t*)&address, (const uint8_t*)&address + 4);
  return pointer;
}

Result<Object> ValuePrinter::member(const Object& object, const std::string& name) const {
  const TypeInfo& t = types_.get(types_.strip(object.type));
  if (t.kind != TypeInfo::Struct && t.kind != TypeInfo::Union) {
    return dwarf_error("'" + types_.name_of(object.type) + "' is not a struct or union");
  }
  for (const TypeInfo::Member& m : t.members) {
    if (m.name == name) {
      if (m.bit_size) return dwarf_error("'" + name + "' is a bit field");
      return sub_object(object, m.type, m.offset);
    }
  }
  return dwarf_error("no member '" + name + "' in " + types_.name_of(object.type));
}

Result<Object> ValuePrinter::index(const Object& object, int64_t i) const {
  const TypeInfo& t = types_.get(types_.strip(object.type));
  if (t.kind == TypeInfo::Pointer) {
    Result<Object> target = dereference(object);
    if (!target) return target;
    uint64_t size = types_.size_of(t.target);
    target->address = *target->address + uint64_t(i) * size;
    return target;
  }
  if (t.kind != TypeInfo::Array) {
    return dwarf_error("cannot subscript a value of type '" + types_.name_of(object.type) + "'");
  }
  uint64_t count = t.counts.empty() ? 0 : t.counts[0];
  uint64_t element_size = types_.size_of(t.target);
  for (size_t d = 1; d < t.counts.size(); ++d) element_size *= t.counts[d];
  if (count && (i < 0 || uint64_t(i) >= count)) {
    return dwarf_error("index " + std::to_string(i) + " is out of bounds (" + std::to_string(count) + " elements)");
  }
  if (!object.address && (i < 0 || (uint64_t(i) + 1) * element_size > object.bytes.size())) {
    return dwarf_error("index " + std::to_string(i) + " is out of bounds");
  }
  Object element = sub_object(object, t.target, uint64_t(i) * element_size);
  if (t.counts.size() > 1) {
    // Peel one dimension: the element is an array of the remaining ones,
    // described by a synthetic entry keyed by a DIE offset that cannot exist.
    element.type = types_.sub_array(types_.strip(object.type));
  }
  return element;
}

Result<int64_t> ValuePrinter::integer(const Object& object) const {
  const TypeInfo& t = types_.get(types_.strip(object.type));
  if (t.kind != TypeInfo::Base && t.kind != TypeInfo::Enum) {
    return dwarf_error("'" + types_.name_of(object.type) + "' is not an integer");
  }
  std::vector<uint8_t> bytes;
  std::string why;
  if (!load(object, t.size, &bytes, &why)) return dwarf_error(why);
  uint64_t raw = little_endian(bytes, t.size);
  bool is_signed = t.encoding == DW_ATE_signed || t.encoding == DW_ATE_signed_char || t.kind == TypeInfo::Enum;
  return is_signed ? sign_extend(raw, t.size) : int64_t(raw);
}

}  // namespace ws::dwarf
