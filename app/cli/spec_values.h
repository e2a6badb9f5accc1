// Comparing results with what a spec script expects, and printing both.
#pragma once
#include <string>
#include <vector>

#include "vm/text/wast.h"
#include "vm/types.h"

namespace ws::cli {

// Bit-exact for numbers (a NaN constant must keep its payload), NaN patterns
// per the spec (canonical / arithmetic, also per v128 lane), and ref.null /
// ref.extern N / ref.func as "any non-null funcref".
bool matches(const text::ExpectedValue& expected, const Value& actual);
bool matches_all(const std::vector<text::ExpectedValue>& expected, const std::vector<Value>& actual);

// Values as failure messages show them: "i32:42", "f32:nan (0x7fc00000)".
std::string format_value(const Value& v);
std::string format_values(const std::vector<Value>& values);
std::string format_expected(const text::ExpectedValue& e);
std::string format_expected(const std::vector<text::ExpectedValue>& expected);

}  // namespace ws::cli
