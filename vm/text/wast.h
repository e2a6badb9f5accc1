// WebAssembly text format: `.wat` modules and `.wast` spec scripts. The
// parser produces binary modules (then decoded like any other binary), so
// there is one path from bytes to a validated Module.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "../error.h"
#include "../types.h"

namespace ws::text {

// Parses one `(module ...)` (or a bare list of module fields) and encodes it
// as a binary module, including a `name` section for $identifiers.
// Errors carry the line and column in `message` ("3:14: unknown operator ...").
Result<std::vector<uint8_t>> wat_to_binary(const std::string& source);

// A value expected by an assertion. NaN patterns are kept distinct from
// numbers; v128 results may mix lane patterns.
struct ExpectedValue {
  enum Kind { Exact, CanonicalNan, ArithmeticNan, RefNull, RefFunc, RefExtern, Either } kind = Exact;
  Value value;                    // Exact (and RefExtern: value.ref holds N + 1)
  ValType type = ValType::I32;    // for NaN patterns and ref kinds
  // v128 with per-lane NaN patterns: lane shape and per-lane kinds
  std::vector<Kind> lane_kinds;   // empty unless a v128 lane pattern
  std::string lane_shape;         // "f32x4" / "f64x2"
  std::vector<ExpectedValue> alternatives;  // Either
};

struct Action {
  enum Kind { Invoke, Get } kind = Invoke;
  std::string module;             // $name or empty for the current module
  std::string field;
  std::vector<Value> args;        // externref args hold N + 1
};

struct Command {
  enum Kind {
    Module,             // define (and instantiate) a module
    Register,           // (register "name" $mod?)
    ActionOnly,         // bare (invoke ...) / (get ...)
    AssertReturn,
    AssertTrap,         // action traps, or module instantiation traps
    AssertExhaustion,
    AssertInvalid,
    AssertMalformed,
    AssertUnlinkable,
    AssertUninstantiable,
  } kind = Module;
  int line = 0;
  std::string module_name;        // Module: $id if given; Register: source module
  std::string register_as;        // Register
  std::vector<uint8_t> binary;    // Module and assert_* on modules
  bool module_is_text_quote = false;  // (module quote ...): text must be parsed at run time
  std::string quote_text;         // the quoted text, for malformed-text assertions
  bool binary_valid = true;       // false when the text failed to parse (assert_malformed)
  std::string parse_error;        // why the text failed to parse ("line:col: message")
  bool module_is_binary = false;  // (module binary ...): bytes as written, maybe malformed
  Action action;
  std::vector<ExpectedValue> expected;
  std::string expected_message;   // trap / invalid / malformed text
};

Result<std::vector<Command>> parse_wast(const std::string& source);

}  // namespace ws::text
