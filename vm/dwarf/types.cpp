#include "types.h"

#include <dwarf.h>

#include "die_reader.h"

namespace ws::dwarf {
namespace {

// Chains of typedefs/qualifiers/pointers longer than this are malformed
// (or cyclic): give up instead of looping.
constexpr int kMaxChain = 32;

TypeInfo::Kind kind_of(uint16_t tag) {
  switch (tag) {
    case DW_TAG_base_type: return TypeInfo::Base;
    case DW_TAG_pointer_type: case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
      return TypeInfo::Pointer;
    case DW_TAG_array_type: return TypeInfo::Array;
    case DW_TAG_structure_type: case DW_TAG_class_type: return TypeInfo::Struct;
    case DW_TAG_union_type: return TypeInfo::Union;
    case DW_TAG_enumeration_type: return TypeInfo::Enum;
    case DW_TAG_typedef: return TypeInfo::Typedef;
    case DW_TAG_const_type: return TypeInfo::Const;
    case DW_TAG_volatile_type: return TypeInfo::Volatile;
    case DW_TAG_subroutine_type: return TypeInfo::Function;
    default: return TypeInfo::Unknown;
  }
}

}  // namespace

const TypeInfo& TypeTable::get(uint64_t offset) {
  auto found = cache_.find(offset);
  if (found != cache_.end()) return found->second;
  TypeInfo& t = cache_[offset];
  if (offset == 0) {
    t.kind = TypeInfo::Void;
    t.name = "void";
    return t;
  }
  Die die = Die::at_offset(dbg_, offset);
  if (!die) return t;
  t.kind = kind_of(die.tag());
  t.name = die.string(DW_AT_name).value_or("");
  t.size = die.unsigned_value(DW_AT_byte_size).value_or(0);
  t.encoding = uint32_t(die.unsigned_value(DW_AT_encoding).value_or(0));
  t.target = die.reference(DW_AT_type).value_or(0);
  if (t.kind == TypeInfo::Pointer && t.size == 0) t.size = 4;  // wasm32
  for (Die child = die.first_child(); child; child = child.next_sibling()) {
    uint16_t tag = child.tag();
    if (tag == DW_TAG_member && (t.kind == TypeInfo::Struct || t.kind == TypeInfo::Union)) {
      TypeInfo::Member m;
      m.name = child.string(DW_AT_name).value_or("");
      m.type = child.reference(DW_AT_type).value_or(0);
      m.offset = child.unsigned_value(DW_AT_data_member_location).value_or(0);
      m.bit_size = uint32_t(child.unsigned_value(DW_AT_bit_size).value_or(0));
      if (auto bit = child.unsigned_value(DW_AT_data_bit_offset)) {  // DWARF 4+
        m.offset = *bit / 8;
        m.bit_offset = uint32_t(*bit % 8);
      } else if (auto msb = child.unsigned_value(DW_AT_bit_offset); msb && m.bit_size) {
        // DWARF 2/3 (clang still emits it): counted from the most significant
        // bit of a DW_AT_byte_size storage unit; we are little-endian.
        uint64_t storage_bits = child.unsigned_value(DW_AT_byte_size).value_or(4) * 8;
        if (*msb + m.bit_size <= storage_bits) {
          uint64_t lsb = storage_bits - *msb - m.bit_size;
          m.offset += lsb / 8;
          m.bit_offset = uint32_t(lsb % 8);
        }
      }
      t.members.push_back(std::move(m));
    } else if (tag == DW_TAG_enumerator && t.kind == TypeInfo::Enum) {
      t.enumerators.push_back({child.string(DW_AT_name).value_or(""),
                               child.signed_value(DW_AT_const_value).value_or(0)});
    } else if (tag == DW_TAG_subrange_type && t.kind == TypeInfo::Array) {
      uint64_t count = 0;
      if (auto c = child.unsigned_value(DW_AT_count)) count = *c;
      else if (auto upper = child.unsigned_value(DW_AT_upper_bound)) count = *upper + 1;
      t.counts.push_back(count);
    }
  }
  if (t.kind == TypeInfo::Array && t.counts.empty()) t.counts.push_back(0);
  return t;
}

uint64_t TypeTable::strip(uint64_t offset) {
  for (int i = 0; i < kMaxChain; ++i) {
    const TypeInfo& t = get(offset);
    if (t.kind != TypeInfo::Typedef && t.kind != TypeInfo::Const && t.kind != TypeInfo::Volatile) {
      return offset;
    }
    offset = t.target;
  }
  return 0;
}

uint64_t TypeTable::size_of(uint64_t offset) { return size_of(offset, 0); }

uint64_t TypeTable::size_of(uint64_t offset, int depth) {
  const TypeInfo& t = get(strip(offset));
  if (t.kind != TypeInfo::Array) return t.size;
  if (t.size || depth > kMaxChain) return t.size;  // DW_AT_byte_size given (or a cycle)
  uint64_t n = size_of(t.target, depth + 1);
  for (uint64_t c : t.counts) n = c && n > (uint64_t(1) << 40) / c ? 0 : n * c;  // absurd sizes: unknown
  return n;
}

std::string TypeTable::name_of(uint64_t offset) { return declare(offset, "", 0); }

uint64_t TypeTable::sub_array(uint64_t array) {
  auto found = sub_arrays_.find(array);
  if (found != sub_arrays_.end()) return found->second;
  TypeInfo sub = get(array);
  if (sub.counts.size() > 1) sub.counts.erase(sub.counts.begin());
  sub.size = 0;  // DW_AT_byte_size was the whole array's
  uint64_t key = next_synthetic_++;
  cache_[key] = std::move(sub);
  sub_arrays_[array] = key;
  return key;
}

uint64_t TypeTable::pointer_to(uint64_t type) {
  auto found = pointers_.find(type);
  if (found != pointers_.end()) return found->second;
  TypeInfo pointer;
  pointer.kind = TypeInfo::Pointer;
  pointer.size = 4;  // wasm32
  pointer.target = type;
  uint64_t key = next_synthetic_++;
  cache_[key] = std::move(pointer);
  pointers_[type] = key;
  return key;
}

// Builds the C declarator: `inner` is what the type applies to ("*", "[4]").
std::string TypeTable::declare(uint64_t offset, const std::string& inner, int depth) {
  if (depth > kMaxChain) return "?" + inner;
  const TypeInfo& t = get(offset);
  auto join = [](const std::string& base, const std::string& decl) {
    if (decl.empty()) return base;
    return decl[0] == '[' ? base + decl : base + " " + decl;
  };
  switch (t.kind) {
    case TypeInfo::Void: return join("void", inner);
    case TypeInfo::Base: case TypeInfo::Typedef: return join(t.name.empty() ? "?" : t.name, inner);
    case TypeInfo::Struct: return join("struct " + (t.name.empty() ? "<anonymous>" : t.name), inner);
    case TypeInfo::Union: return join("union " + (t.name.empty() ? "<anonymous>" : t.name), inner);
    case TypeInfo::Enum: return join("enum " + (t.name.empty() ? "<anonymous>" : t.name), inner);
    case TypeInfo::Const: case TypeInfo::Volatile: {
      std::string q = t.kind == TypeInfo::Const ? "const" : "volatile";
      const TypeInfo& target = get(t.target);
      // "const char *": the qualifier goes before a simple base; after a pointer ("char *const").
      if (target.kind == TypeInfo::Pointer) return declare(t.target, inner.empty() ? q : q + " " + inner, depth + 1);
      return q + " " + declare(t.target, inner, depth + 1);
    }
    case TypeInfo::Pointer: {
      const TypeInfo& target = get(t.target);
      std::string decl = "*" + inner;
      if (target.kind == TypeInfo::Array || target.kind == TypeInfo::Function) decl = "(" + decl + ")";
      return declare(t.target, decl, depth + 1);
    }
    case TypeInfo::Array: {
      std::string dims;
      for (uint64_t c : t.counts) dims += c ? "[" + std::to_string(c) + "]" : "[]";
      return declare(t.target, inner + dims, depth + 1);
    }
    case TypeInfo::Function: return declare(t.target, inner + "()", depth + 1);
    default: return join("?", inner);
  }
}

}  // namespace ws::dwarf
