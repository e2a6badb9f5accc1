// Printing C values C-style ("42", "0x1000 \"hi\"", "{x = 1, y = 2}",
// "{1, 2, 3}", "RED") from where DWARF says they are, and the navigation the
// expression evaluator needs (dereference, member, index).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../error.h"
#include "debug_info.h"
#include "location.h"
#include "types.h"

namespace ws::dwarf {

// An object of a C type: in guest memory (address) or held as bytes (a Wasm
// local, a computed value), or unavailable (and why).
struct Object {
  uint64_t type = 0;
  std::optional<uint64_t> address;
  std::vector<uint8_t> bytes;  // when not in memory
  std::string unavailable;     // non-empty: "<optimized out>", ...
};

class ValuePrinter {
 public:
  ValuePrinter(TypeTable& types, const FrameContext& frame) : types_(types), frame_(frame) {}

  Object from_location(uint64_t type, const Located& located) const;
  std::string print(const Object& object) const;

  Result<Object> dereference(const Object& object) const;
  Result<Object> address_of(const Object& object) const;
  Result<Object> member(const Object& object, const std::string& name) const;
  Result<Object> index(const Object& object, int64_t i) const;
  // An integer value (for array subscripts written as variables).
  Result<int64_t> integer(const Object& object) const;

 private:
  // The object's first `size` bytes, read from memory if needed.
  bool load(const Object& object, uint64_t size, std::vector<uint8_t>* out, std::string* why) const;
  std::string print(const Object& object, int depth) const;
  std::string print_scalar(const TypeInfo& t, const std::vector<uint8_t>& bytes) const;
  std::string read_c_string(uint64_t address, size_t max) const;
  Object sub_object(const Object& object, uint64_t type, uint64_t offset) const;

  TypeTable& types_;
  const FrameContext& frame_;
  // Values left to print in one print() call: malformed types (a struct of
  // a thousand arrays of it...) must not take forever.
  mutable size_t budget_ = 0;
};

}  // namespace ws::dwarf
