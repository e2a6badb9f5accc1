#include "lexer.h"

namespace ws::text {
namespace {

bool is_idchar(unsigned char c) {
  if (c < 0x21 || c > 0x7E) return false;
  switch (c) {
    case '"': case ',': case ';': case '(': case ')':
    case '[': case ']': case '{': case '}':
      return false;
    default:
      return true;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(char(cp));
  } else if (cp < 0x800) {
    out->push_back(char(0xC0 | (cp >> 6)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(char(0xE0 | (cp >> 12)));
    out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(char(0xF0 | (cp >> 18)));
    out->push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Result<Lexed> run() {
    Lexed out;
    for (;;) {
      Status s = skip_space();
      if (!s) return s.error();
      Token t = start_token();
      if (pos_ >= src_.size()) {
        out.tokens.push_back(t);
        match_parens(&out);
        return out;
      }
      char c = src_[pos_];
      if (c == '(' && peek(1) == '@') {
        Status a = skip_annotation();
        if (!a) return a.error();
        continue;
      }
      if (c == '(' || c == ')') {
        advance(1);
        t.kind = c == '(' ? TokenKind::LParen : TokenKind::RParen;
        t.text = src_.substr(pos_ - 1, 1);
        out.tokens.push_back(t);
        continue;
      }
      Status r = run_token(&t, &out);
      if (!r) return r.error();
      out.tokens.push_back(t);
    }
  }

 private:
  char peek(size_t ahead) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  void advance(size_t n) {
    for (size_t i = 0; i < n && pos_ < src_.size(); i++) {
      if (src_[pos_] == '\n') {
        line_++;
        line_start_ = pos_ + 1;
      }
      pos_++;
    }
  }

  Token start_token() const {
    Token t;
    t.line = line_;
    t.column = uint32_t(pos_ - line_start_ + 1);
    t.text = src_.substr(pos_, 0);
    return t;
  }

  Error error_here(const std::string& message) const {
    return Error{located(start_token(), message), "", {}, {}, ""};
  }

  Status skip_space() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance(1);
      } else if (c == ';' && peek(1) == ';') {
        while (pos_ < src_.size() && src_[pos_] != '\n') advance(1);
      } else if (c == '(' && peek(1) == ';') {
        Status s = skip_block_comment();
        if (!s) return s;
      } else {
        break;
      }
    }
    return Ok{};
  }

  Status skip_block_comment() {
    Token start = start_token();
    int depth = 0;
    while (pos_ < src_.size()) {
      if (src_[pos_] == '(' && peek(1) == ';') {
        depth++;
        advance(2);
      } else if (src_[pos_] == ';' && peek(1) == ')') {
        advance(2);
        if (--depth == 0) return Ok{};
      } else {
        advance(1);
      }
    }
    return Error{located(start, "unclosed comment"), "", {}, {}, ""};
  }

  // `(@name ...)`: skipped with everything nested inside.
  Status skip_annotation() {
    Token start = start_token();
    advance(2);
    int depth = 1;
    Lexed scratch;
    while (depth > 0) {
      Status s = skip_space();
      if (!s) return s;
      if (pos_ >= src_.size()) return Error{located(start, "unclosed annotation"), "", {}, {}, ""};
      char c = src_[pos_];
      if (c == '(' || c == ')') {
        depth += c == '(' ? 1 : -1;
        advance(1);
        continue;
      }
      Token t = start_token();
      Status r = run_token(&t, &scratch);
      if (!r) return r;
    }
    return Ok{};
  }

  // A maximal run of idchars and strings; anything but exactly one atom,
  // id or string is a Reserved token.
  Status run_token(Token* t, Lexed* out) {
    size_t begin = pos_;
    int pieces = 0;
    bool has_string = false;
    std::string decoded;
    while (pos_ < src_.size()) {
      unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (c == '"') {
        Status s = read_string(&decoded);
        if (!s) return s;
        has_string = true;
        pieces++;
      } else if (is_idchar(c)) {
        while (pos_ < src_.size() && is_idchar(static_cast<unsigned char>(src_[pos_]))) advance(1);
        pieces++;
      } else {
        break;
      }
    }
    if (pos_ == begin) return error_here("unexpected character");
    t->text = src_.substr(begin, pos_ - begin);
    if (pieces > 1) {
      t->kind = TokenKind::Reserved;
    } else if (has_string) {
      t->kind = TokenKind::String;
      t->string_index = uint32_t(out->strings.size());
      out->strings.push_back(std::move(decoded));
    } else if (t->text[0] == '$' && t->text.size() > 1) {
      t->kind = TokenKind::Id;
    } else if (t->text[0] == '$') {
      t->kind = TokenKind::Reserved;
    } else {
      t->kind = TokenKind::Atom;
    }
    return Ok{};
  }

  Status read_string(std::string* out) {
    Token start = start_token();
    advance(1);
    for (;;) {
      if (pos_ >= src_.size()) return Error{located(start, "unclosed string"), "", {}, {}, ""};
      unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (c == '"') {
        advance(1);
        return Ok{};
      }
      if (c < 0x20 || c == 0x7F) return error_here("illegal control character in string");
      if (c != '\\') {
        out->push_back(char(c));
        advance(1);
        continue;
      }
      char e = peek(1);
      switch (e) {
        case 'n': out->push_back('\n'); advance(2); continue;
        case 't': out->push_back('\t'); advance(2); continue;
        case 'r': out->push_back('\r'); advance(2); continue;
        case '"': out->push_back('"'); advance(2); continue;
        case '\'': out->push_back('\''); advance(2); continue;
        case '\\': out->push_back('\\'); advance(2); continue;
        case 'u': {
          if (peek(2) != '{') return error_here("malformed escape in string");
          size_t i = 3;
          uint32_t cp = 0;
          int digits = 0;
          while (hex_value(peek(i)) >= 0 || (peek(i) == '_' && digits > 0)) {
            if (peek(i) != '_') {
              cp = cp * 16 + uint32_t(hex_value(peek(i)));
              digits++;
              if (cp > 0x10FFFF) return error_here("malformed unicode escape in string");
            }
            i++;
          }
          if (digits == 0 || peek(i) != '}' || (cp >= 0xD800 && cp < 0xE000))
            return error_here("malformed unicode escape in string");
          append_utf8(out, cp);
          advance(i + 1);
          continue;
        }
        default: {
          int hi = hex_value(e), lo = hex_value(peek(2));
          if (hi < 0 || lo < 0) return error_here("malformed escape in string");
          out->push_back(char(hi * 16 + lo));
          advance(3);
          continue;
        }
      }
    }
  }

  static void match_parens(Lexed* out) {
    uint32_t eof = uint32_t(out->tokens.size() - 1);
    out->closing.assign(out->tokens.size(), eof);
    std::vector<uint32_t> open;
    for (uint32_t i = 0; i < eof; i++) {
      if (out->tokens[i].kind == TokenKind::LParen) {
        open.push_back(i);
      } else if (out->tokens[i].kind == TokenKind::RParen && !open.empty()) {
        out->closing[open.back()] = i;
        open.pop_back();
      }
    }
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

std::string located(const Token& t, const std::string& message) {
  return std::to_string(t.line) + ":" + std::to_string(t.column) + ": " + message;
}

Result<Lexed> lex(std::string_view source) { return Lexer(source).run(); }

}  // namespace ws::text
