// Errors that name what is wrong and where. Untrusted input is the normal
// case, so decode, validation, link and instantiation failures all travel as
// values, never as crashes or aborts.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ws {

struct Error {
  std::string message;                 // what is wrong, e.g. "type mismatch: expected i32, got f64"
  std::string section;                 // e.g. "code", "import"; empty if not section-specific
  std::optional<uint32_t> offset;      // byte offset in the module binary
  std::optional<uint32_t> func;        // function index, inside code
  std::string instruction;             // instruction name, inside code
  // The spec's class of the failure: true when the binary is not well formed
  // (assert_malformed), false when it is well formed but invalid or fails
  // later. decode_module does not walk function bodies, so validate_module
  // also reports some malformations (bad instruction encodings, a body
  // without its final `end`, "data count section required"): classify by
  // this flag, not by which function failed.
  bool malformed = false;
  // One line: "code section, func 3 ($fib), offset 0x1a2 (i32.add): type mismatch ..."
  std::string to_string() const;
};

// A value or an Error. Small on purpose: `if (!r) return r.error();`.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  explicit operator bool() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace ws
