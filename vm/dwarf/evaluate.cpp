// Variables in scope and their values: DebugInfo::variables, evaluate and
// evaluate_expression (a small C expression language over them).
#include <dwarf.h>

#include <cctype>

#include "dwarf_error.h"
#include "debug_info_impl.h"
#include "value_printer.h"

namespace ws::dwarf {

std::vector<const VariableInfo*> LibdwarfDebugInfo::visible(const Unit& unit, uint32_t offset,
                                                            bool with_globals) const {
  std::vector<const VariableInfo*> out;
  ScopeChain chain = Units::scopes_at(unit, offset);
  for (size_t i = chain.size(); i-- > 0;) {
    for (const VariableInfo& v : chain[i]->variables) out.push_back(&v);
  }
  if (with_globals) {
    for (const VariableInfo& v : unit.globals) out.push_back(&v);
  }
  return out;
}

Located LibdwarfDebugInfo::locate(const Unit& unit, const VariableInfo& v, uint32_t offset,
                                  const FrameContext& frame) const {
  const std::vector<uint8_t>* expression = v.location.at(offset);
  if (!expression) return Located{{}, "<optimized out>"};
  ScopeChain chain = Units::scopes_at(unit, offset);
  const LocationDescription* frame_base = chain.empty() ? nullptr : &chain[0]->frame_base;
  auto base = [&]() -> std::optional<uint64_t> {
    const std::vector<uint8_t>* fb = frame_base ? frame_base->at(offset) : nullptr;
    if (!fb) return std::nullopt;
    return location_as_number(evaluate_location(*fb, frame, nullptr));
  };
  return evaluate_location(*expression, frame, base);
}

std::vector<Variable> LibdwarfDebugInfo::variables(uint32_t offset) const {
  std::vector<Variable> out;
  if (!handle_) return out;
  std::lock_guard<std::mutex> lock(mutex_);
  const Unit* unit = units_.unit_at(*handle_, offset);
  if (!unit) return out;
  for (const VariableInfo* v : visible(*unit, offset, false)) {
    out.push_back({v->name, types_->name_of(v->type), v->is_parameter, v->die});
  }
  return out;
}

std::string LibdwarfDebugInfo::evaluate(const Variable& variable, uint32_t offset,
                                        const FrameContext& frame) const {
  if (!handle_) return "<no debug info>";
  std::lock_guard<std::mutex> lock(mutex_);
  const Unit* unit = units_.unit_of_die(*handle_, variable.die_offset);
  const VariableInfo* v = unit ? Units::find_variable(*unit, variable.die_offset) : nullptr;
  if (!v) return "<unknown variable>";
  ValuePrinter printer(*types_, frame);
  return printer.print(printer.from_location(v->type, locate(*unit, *v, offset, frame)));
}

namespace {

// Recursive descent over: unary := '*' unary | '&' unary | postfix;
// postfix := primary ('.' name | '->' name | '[' index ']')*;
// primary := name | '(' unary ')'; index := integer | name.
class ExpressionParser {
 public:
  ExpressionParser(const std::string& text, const ValuePrinter& printer,
                   std::function<Result<Object>(const std::string&)> lookup)
      : text_(text), printer_(printer), lookup_(std::move(lookup)) {}

  Result<Object> parse() {
    Result<Object> value = unary(0);
    if (!value) return value;
    skip_spaces();
    if (pos_ != text_.size()) return error("unexpected '" + text_.substr(pos_) + "'");
    return value;
  }

 private:
  static constexpr int kMaxNesting = 64;

  Error error(const std::string& message) const { return dwarf_error(message + " in '" + text_ + "'"); }
  void skip_spaces() {
    while (pos_ < text_.size() && std::isspace(uint8_t(text_[pos_]))) ++pos_;
  }
  bool eat(const char* token) {
    skip_spaces();
    size_t n = std::char_traits<char>::length(token);
    if (text_.compare(pos_, n, token) != 0) return false;
    pos_ += n;
    return true;
  }
  std::string name() {
    skip_spaces();
    size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(uint8_t(text_[pos_])) || text_[pos_] == '_')) ++pos_;
    if (start < text_.size() && std::isdigit(uint8_t(text_[start]))) pos_ = start;
    return text_.substr(start, pos_ - start);
  }

  Result<Object> unary(int depth) {
    if (depth > kMaxNesting) return error("expression nested too deeply");
    if (eat("*")) {
      Result<Object> inner = unary(depth + 1);
      if (!inner) return inner;
      return printer_.dereference(*inner);
    }
    if (eat("&")) {
      Result<Object> inner = unary(depth + 1);
      if (!inner) return inner;
      return printer_.address_of(*inner);
    }
    return postfix(depth);
  }

  Result<Object> primary(int depth) {
    if (eat("(")) {
      Result<Object> inner = unary(depth + 1);
      if (!inner) return inner;
      if (!eat(")")) return error("expected ')'");
      return inner;
    }
    std::string n = name();
    if (n.empty()) return error("expected a variable name");
    return lookup_(n);
  }

  Result<int64_t> subscript(int depth) {
    skip_spaces();
    if (pos_ < text_.size() && (std::isdigit(uint8_t(text_[pos_])) || text_[pos_] == '-')) {
      size_t start = pos_;
      ++pos_;
      while (pos_ < text_.size() && std::isdigit(uint8_t(text_[pos_]))) ++pos_;
      std::string digits = text_.substr(start, pos_ - start);
      if (digits == "-" || digits.size() > 18) return error("bad index '" + digits + "'");
      return int64_t(std::stoll(digits));
    }
    Result<Object> value = unary(depth + 1);
    if (!value) return value.error();
    return printer_.integer(*value);
  }

  Result<Object> postfix(int depth) {
    Result<Object> value = primary(depth);
    while (value) {
      if (eat(".")) {
        std::string field = name();
        if (field.empty()) return error("expected a member name after '.'");
        value = printer_.member(*value, field);
      } else if (eat("->")) {
        std::string field = name();
        if (field.empty()) return error("expected a member name after '->'");
        Result<Object> target = printer_.dereference(*value);
        if (!target) return target;
        value = printer_.member(*target, field);
      } else if (eat("[")) {
        Result<int64_t> i = subscript(depth);
        if (!i) return i.error();
        if (!eat("]")) return error("expected ']'");
        value = printer_.index(*value, *i);
      } else {
        break;
      }
    }
    return value;
  }

  const std::string& text_;
  size_t pos_ = 0;
  const ValuePrinter& printer_;
  std::function<Result<Object>(const std::string&)> lookup_;
};

}  // namespace

Result<std::string> LibdwarfDebugInfo::evaluate_expression(const std::string& expression,
                                                           uint32_t offset,
                                                           const FrameContext& frame) const {
  if (!handle_) return dwarf_error("the module has no DWARF debug info");
  std::lock_guard<std::mutex> lock(mutex_);
  const Unit* unit = units_.unit_at(*handle_, offset);
  if (!unit) return dwarf_error("no debug info for this code");
  ValuePrinter printer(*types_, frame);
  std::vector<const VariableInfo*> in_scope = visible(*unit, offset, true);
  auto lookup = [&](const std::string& name) -> Result<Object> {
    for (const VariableInfo* v : in_scope) {  // innermost first: inner names shadow outer ones
      if (v->name == name) return printer.from_location(v->type, locate(*unit, *v, offset, frame));
    }
    return dwarf_error("no variable '" + name + "' in scope");
  };
  Result<Object> value = ExpressionParser(expression, printer, lookup).parse();
  if (!value) return value.error();
  // An address taken with `&` says what it points to, as gdb does: "(int *) 0x1000".
  bool taken_address = TypeTable::is_synthetic(value->type) &&
                       types_->get(value->type).kind == TypeInfo::Pointer;
  std::string prefix = taken_address ? "(" + types_->name_of(value->type) + ") " : "";
  return prefix + printer.print(*value);
}

}  // namespace ws::dwarf
