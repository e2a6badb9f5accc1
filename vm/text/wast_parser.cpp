// `.wast` spec scripts: modules, actions and assertions, as a list of
// commands for the spec runner. Text modules are encoded here; quoted text
// is parsed too, so malformed-text assertions reduce to "parse failed".
#include <cstring>

#include "lexer.h"
#include "numbers.h"
#include "wast.h"
#include "wat_parser.h"

namespace ws::text {
namespace {

class ScriptParser {
 public:
  explicit ScriptParser(const Lexed& lexed) : lx_(lexed), last_(lexed.tokens.size() - 1) {}

  Result<std::vector<Command>> run() {
    std::vector<Command> commands;
    if (at(TokenKind::LParen) && is_module_field(peek(1).text)) {
      // A script may be a bare module: its fields without `(module ...)`.
      Command c;
      c.line = int(peek().line);
      auto module = parse_module_fields(lx_, &pos_, "");
      if (!module) return module.error();
      if (!at(TokenKind::Eof)) return unexpected();
      c.binary = std::move(*module);
      commands.push_back(std::move(c));
      return commands;
    }
    while (!at(TokenKind::Eof)) {
      Command c;
      WS_TRY(parse_command(&c));
      commands.push_back(std::move(c));
    }
    return commands;
  }

 private:
  static bool is_module_field(std::string_view kw) {
    for (std::string_view f : {"type", "import", "func", "table", "memory", "global", "export",
                               "start", "elem", "data"}) {
      if (kw == f) return true;
    }
    return false;
  }

  const Token& peek(size_t ahead = 0) const { return lx_.tokens[std::min(pos_ + ahead, last_)]; }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < last_) pos_++;
    return t;
  }
  bool at(TokenKind k, size_t ahead = 0) const { return peek(ahead).kind == k; }
  bool at_atom(std::string_view s, size_t ahead = 0) const {
    return peek(ahead).kind == TokenKind::Atom && peek(ahead).text == s;
  }
  bool at_list(std::string_view kw) const { return at(TokenKind::LParen) && at_atom(kw, 1); }

  Error error_at(const Token& t, const std::string& message) const {
    return Error{located(t, message), "", {}, {}, ""};
  }
  Error unexpected() const {
    const Token& t = peek();
    if (t.kind == TokenKind::Eof) return error_at(t, "unexpected end of input");
    return error_at(t, "unexpected token " + std::string(t.text));
  }
  Status expect_rparen() {
    if (!at(TokenKind::RParen)) return unexpected();
    next();
    return Ok{};
  }
  Result<std::string> parse_string() {
    if (!at(TokenKind::String)) return unexpected();
    return lx_.strings[next().string_index];
  }

  Status parse_command(Command* c) {
    if (!at(TokenKind::LParen) || !at(TokenKind::Atom, 1)) return unexpected();
    c->line = int(peek().line);
    std::string_view kw = peek(1).text;
    if (kw == "module") {
      c->kind = Command::Module;
      return parse_module(c);
    }
    next();
    next();
    if (kw == "register") {
      c->kind = Command::Register;
      auto name = parse_string();
      if (!name) return name.error();
      c->register_as = *name;
      if (at(TokenKind::Id)) c->module_name = std::string(next().text);
      return expect_rparen();
    }
    if (kw == "invoke" || kw == "get") {
      c->kind = Command::ActionOnly;
      pos_ -= 2;
      return parse_action(&c->action);
    }
    if (kw == "assert_return") {
      c->kind = Command::AssertReturn;
      WS_TRY(parse_action(&c->action));
      while (at(TokenKind::LParen)) {
        ExpectedValue e;
        WS_TRY(parse_expected(&e));
        c->expected.push_back(std::move(e));
      }
      return expect_rparen();
    }
    if (kw == "assert_trap" || kw == "assert_exhaustion") {
      c->kind = kw == "assert_trap" ? Command::AssertTrap : Command::AssertExhaustion;
      if (at_list("module")) WS_TRY(parse_module(c));
      else WS_TRY(parse_action(&c->action));
      return parse_message(c);
    }
    static const std::pair<std::string_view, Command::Kind> kModuleAssertions[] = {
        {"assert_invalid", Command::AssertInvalid},
        {"assert_malformed", Command::AssertMalformed},
        {"assert_unlinkable", Command::AssertUnlinkable},
        {"assert_uninstantiable", Command::AssertUninstantiable}};
    for (const auto& [name, kind] : kModuleAssertions) {
      if (kw != name) continue;
      c->kind = kind;
      if (!at_list("module")) return unexpected();
      WS_TRY(parse_module(c));
      return parse_message(c);
    }
    pos_ -= 1;
    return unexpected();
  }

  Status parse_message(Command* c) {
    auto message = parse_string();
    if (!message) return message.error();
    c->expected_message = *message;
    return expect_rparen();
  }

  // (module $id? field*) | (module $id? binary "..."*) | (module $id? quote "..."*)
  Status parse_module(Command* c) {
    size_t open = pos_;
    next();
    next();
    std::string_view id;
    if (at(TokenKind::Id)) {
      id = next().text;
      c->module_name = std::string(id);
    }
    if (at_atom("binary") || at_atom("quote")) {
      bool binary = at_atom("binary");
      next();
      std::string text;
      while (at(TokenKind::String)) text += lx_.strings[next().string_index];
      if (binary) {
        c->module_is_binary = true;
        c->binary.assign(text.begin(), text.end());
      } else {
        c->module_is_text_quote = true;
        c->quote_text = text;
        auto module = wat_to_binary(text);
        if (module) {
          c->binary = std::move(*module);
        } else {
          c->binary_valid = false;
          c->parse_error = module.error().message;
        }
      }
      return expect_rparen();
    }
    size_t p = pos_;
    auto module = parse_module_fields(lx_, &p, id);
    if (module) {
      c->binary = std::move(*module);
      pos_ = p;
      return expect_rparen();
    }
    c->binary_valid = false;
    c->parse_error = module.error().message;
    if (lx_.closing[open] >= last_) return unexpected();
    pos_ = lx_.closing[open] + 1;
    return Ok{};
  }

  // (invoke $id? "name" const*) | (get $id? "name")
  Status parse_action(Action* a) {
    if (at_list("invoke")) a->kind = Action::Invoke;
    else if (at_list("get")) a->kind = Action::Get;
    else return unexpected();
    next();
    next();
    if (at(TokenKind::Id)) a->module = std::string(next().text);
    auto field = parse_string();
    if (!field) return field.error();
    a->field = *field;
    while (a->kind == Action::Invoke && at(TokenKind::LParen)) {
      ExpectedValue v;
      const Token& start = peek();
      WS_TRY(parse_expected(&v));
      if (v.kind != ExpectedValue::Exact && v.kind != ExpectedValue::RefNull &&
          v.kind != ExpectedValue::RefExtern)
        return error_at(start, "argument must be a constant");
      if (v.kind == ExpectedValue::RefNull) v.value = Value::null_of(v.type);
      a->args.push_back(v.value);
    }
    return expect_rparen();
  }

  // A number token as the bits of a value of `shape_bits` (float if `is_float`),
  // or a NaN pattern when `allow_nan_pattern`.
  Status parse_number(unsigned bits, bool is_float, bool allow_nan_pattern, uint64_t* out,
                      ExpectedValue::Kind* kind) {
    const Token& t = peek();
    if (t.kind != TokenKind::Atom) return unexpected();
    *kind = ExpectedValue::Exact;
    if (is_float && allow_nan_pattern && (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
      *kind = t.text == "nan:canonical" ? ExpectedValue::CanonicalNan : ExpectedValue::ArithmeticNan;
      *out = 0;
      next();
      return Ok{};
    }
    NumParse r;
    if (!is_float) {
      r = parse_int_bits(t.text, bits, out);
    } else if (bits == 32) {
      uint32_t b = 0;
      r = parse_f32_bits(t.text, &b);
      *out = b;
    } else {
      r = parse_f64_bits(t.text, out);
    }
    if (r == NumParse::NotANumber) return unexpected();
    if (r == NumParse::OutOfRange) return error_at(t, "constant out of range");
    next();
    return Ok{};
  }

  Status parse_v128(ExpectedValue* e) {
    const V128Shape* shape =
        peek().kind == TokenKind::Atom ? find_v128_shape(peek().text) : nullptr;
    if (!shape) return unexpected();
    next();
    V128 v;
    std::vector<ExpectedValue::Kind> kinds;
    bool any_pattern = false;
    for (unsigned lane = 0; lane < shape->lanes; lane++) {
      uint64_t bits;
      ExpectedValue::Kind kind;
      WS_TRY(parse_number(shape->bits, shape->is_float, true, &bits, &kind));
      any_pattern |= kind != ExpectedValue::Exact;
      kinds.push_back(kind);
      unsigned size = shape->bits / 8;
      for (unsigned b = 0; b < size; b++) v.bytes[lane * size + b] = uint8_t(bits >> (8 * b));
    }
    e->type = ValType::V128;
    e->value = Value::make_v128(v);
    if (any_pattern) {
      e->lane_kinds = std::move(kinds);
      e->lane_shape = std::string(shape->name);
    }
    return Ok{};
  }

  // (i32.const N) ... (v128.const shape lanes) (ref.null t) (ref.extern N)
  // (ref.func) (either result*), with NaN patterns where results allow them.
  Status parse_expected(ExpectedValue* e) {
    if (!at(TokenKind::LParen) || !at(TokenKind::Atom, 1)) return unexpected();
    next();
    const Token& kw = next();
    std::string_view k = kw.text;
    e->kind = ExpectedValue::Exact;
    if (k == "i32.const" || k == "i64.const" || k == "f32.const" || k == "f64.const") {
      bool is_float = k[0] == 'f';
      unsigned bits = k[1] == '3' ? 32 : 64;
      uint64_t value;
      WS_TRY(parse_number(bits, is_float, true, &value, &e->kind));
      e->type = is_float ? (bits == 32 ? ValType::F32 : ValType::F64) : (bits == 32 ? ValType::I32 : ValType::I64);
      e->value.type = e->type;
      if (bits == 32) {
        uint32_t b = uint32_t(value);
        std::memcpy(&e->value.i32, &b, 4);
      } else {
        e->value.i64 = value;
      }
    } else if (k == "v128.const") {
      WS_TRY(parse_v128(e));
    } else if (k == "ref.null") {
      e->kind = ExpectedValue::RefNull;
      if (at_atom("func")) e->type = ValType::FuncRef;
      else if (at_atom("extern")) e->type = ValType::ExternRef;
      else return unexpected();
      next();
      e->value = Value::null_of(e->type);
    } else if (k == "ref.extern") {
      e->kind = ExpectedValue::RefExtern;
      e->type = ValType::ExternRef;
      uint64_t n;
      const Token& t = peek();
      if (t.kind != TokenKind::Atom || parse_unsigned(t.text, UINT32_MAX, &n) != NumParse::Ok)
        return unexpected();
      next();
      e->value = Value::make_ref(ValType::ExternRef, n + 1);
    } else if (k == "ref.func") {
      e->kind = ExpectedValue::RefFunc;
      e->type = ValType::FuncRef;
      while (!at(TokenKind::RParen) && !at(TokenKind::Eof)) next();
    } else if (k == "either") {
      e->kind = ExpectedValue::Either;
      if (at_list("either")) return error_at(peek(), "nested either");
      while (at(TokenKind::LParen)) {
        ExpectedValue alternative;
        WS_TRY(parse_expected(&alternative));
        e->alternatives.push_back(std::move(alternative));
      }
    } else {
      return error_at(kw, "unknown constant " + std::string(k));
    }
    return expect_rparen();
  }

  const Lexed& lx_;
  size_t last_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Command>> parse_wast(const std::string& source) {
  auto lexed = lex(source);
  if (!lexed) return lexed.error();
  return ScriptParser(*lexed).run();
}

}  // namespace ws::text
