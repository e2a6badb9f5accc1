// Tokenizer for the WebAssembly text format. Comments, whitespace and
// annotations `(@name ...)` are dropped; strings are decoded to raw bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../error.h"

namespace ws::text {

enum class TokenKind : uint8_t {
  LParen,
  RParen,
  Atom,      // keyword, number or other idchar run (e.g. "i32.add", "0x10", "offset=4")
  Id,        // "$name" (text includes the '$')
  String,    // decoded bytes in Lexed::strings[string_index]
  Reserved,  // idchars and strings glued together: never valid
  Eof,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  std::string_view text;  // the source span
  uint32_t line = 0, column = 0;
  uint32_t string_index = 0;  // String only
};

struct Lexed {
  std::vector<Token> tokens;  // always ends with an Eof token
  std::vector<std::string> strings;
  // For each LParen token, the index of its matching RParen (or of the Eof
  // token when unbalanced); unused for other tokens.
  std::vector<uint32_t> closing;
};

// `source` must outlive the result (tokens point into it).
Result<Lexed> lex(std::string_view source);

// "line:column: message"
std::string located(const Token& t, const std::string& message);

}  // namespace ws::text
