// The module parser's core: token helpers, pass 1 (binding identifiers),
// shared pieces (types, limits, type uses) and assembling the sections.
#include "wat_parser.h"

#include <algorithm>

#include "numbers.h"
#include "wast.h"

namespace ws::text {
namespace {

const char* const kSpaceNames[] = {"type", "func", "table", "memory", "global", "elem", "data"};

bool valid_utf8(const std::string& s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    uint8_t c = uint8_t(s[i]);
    uint32_t need, cp;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
    else return false;
    if (i + need >= n) return false;
    for (uint32_t k = 1; k <= need; k++) {
      uint8_t b = uint8_t(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp < 0xE000))
      return false;
    i += need + 1;
  }
  return true;
}

void write_functype(BinaryWriter& w, const FuncType& t) {
  w.u8(0x60);
  w.u32(uint32_t(t.params.size()));
  for (ValType v : t.params) w.u8(uint8_t(v));
  w.u32(uint32_t(t.results.size()));
  for (ValType v : t.results) w.u8(uint8_t(v));
}

void add_section(BinaryWriter& module, SectionId id, const BinaryWriter& content, uint32_t count) {
  if (count == 0) return;
  BinaryWriter s;
  s.u32(count);
  s.raw(content.bytes());
  module.section(uint8_t(id), s.bytes());
}

void write_name_map(BinaryWriter& w, const std::map<uint32_t, std::string>& names) {
  w.u32(uint32_t(names.size()));
  for (const auto& [index, name] : names) {
    w.u32(index);
    w.name(name);
  }
}

}  // namespace

ModuleParser::ModuleParser(const Lexed& lexed, size_t pos, std::string_view module_id,
                           const ModuleOptions& options)
    : lx_(lexed), pos_(pos), last_(lexed.tokens.size() - 1), module_id_(module_id),
      options_(options) {}

// ---------------------------------------------------------------- tokens

const Token& ModuleParser::peek(size_t ahead) const {
  return lx_.tokens[std::min(pos_ + ahead, last_)];
}

bool ModuleParser::at_atom(std::string_view text, size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokenKind::Atom && t.text == text;
}

bool ModuleParser::at_list(std::string_view keyword, size_t ahead) const {
  return at(TokenKind::LParen, ahead) && at_atom(keyword, ahead + 1);
}

bool ModuleParser::at_index(size_t ahead) const {
  const Token& t = peek(ahead);
  if (t.kind == TokenKind::Id) return true;
  uint64_t v;
  return t.kind == TokenKind::Atom && parse_unsigned(t.text, UINT64_MAX, &v) != NumParse::NotANumber;
}

Error ModuleParser::error_at(const Token& t, const std::string& message) const {
  return Error{located(t, message), "", {}, {}, ""};
}

// As in the reference lexer, a token that is neither a keyword (starting
// with a-z) nor a number (e.g. "0x", "0drop", "_1", `$l"a"`) is an unknown
// operator; a well-formed token in the wrong place is unexpected.
Error ModuleParser::unexpected() const {
  const Token& t = peek();
  if (t.kind == TokenKind::Eof) return error_at(t, "unexpected end of input");
  bool nan_like = t.text.substr(0, 4) == "nan:" && t.text != "nan:canonical" &&
                  t.text != "nan:arithmetic";  // "nan:1" is a malformed number
  bool keyword = t.text[0] >= 'a' && t.text[0] <= 'z' && !nan_like;
  bool malformed = t.kind == TokenKind::Atom && !keyword && !is_number(t.text);
  if (t.kind == TokenKind::Reserved || malformed)
    return error_at(t, "unknown operator " + std::string(t.text));
  return error_at(t, "unexpected token " + std::string(t.text));
}

Status ModuleParser::expect_rparen() {
  if (!at(TokenKind::RParen)) return unexpected();
  advance();
  return Ok{};
}

Status ModuleParser::expect_list(std::string_view keyword) {
  if (!at_list(keyword)) return unexpected();
  advance();
  advance();
  return Ok{};
}

// ---------------------------------------------------------------- pass 1

Status ModuleParser::bind(Space space, const Token* id) {
  IndexSpace& s = spaces_[space];
  if (id) {
    if (!s.ids.emplace(id->text, s.count).second)
      return error_at(*id, std::string("duplicate ") + kSpaceNames[space] + " " + std::string(id->text));
  }
  s.count++;
  return Ok{};
}

Status ModuleParser::note_import(const Token& where) {
  if (first_definition_) return error_at(where, std::string("import after ") + first_definition_);
  return Ok{};
}

void ModuleParser::note_definition(const char* kind) {
  if (!first_definition_) first_definition_ = kind;
}

Status ModuleParser::scan() {
  const size_t start = pos_;
  while (at(TokenKind::LParen)) {
    const size_t field = pos_;
    const Token& keyword = peek(1);
    const Token* id = peek(2).kind == TokenKind::Id ? &peek(2) : nullptr;
    size_t after_id = pos_ + 2 + (id ? 1 : 0);
    if (keyword.kind != TokenKind::Atom) {
      advance();
      return unexpected();
    }
    std::string_view kw = keyword.text;
    Space space = kSpaceCount;
    const char* kind = nullptr;
    if (kw == "func") space = kFunc, kind = "function";
    if (kw == "table") space = kTable, kind = "table";
    if (kw == "memory") space = kMemory, kind = "memory";
    if (kw == "global") space = kGlobal, kind = "global";
    if (kw == "type") {
      WS_TRY(bind(kType, id));
      WS_TRY(parse_type_field());
      continue;
    } else if (kw == "import") {
      // (import "m" "n" (kind $id? ...))
      pos_ += 2;
      WS_TRY(parse_name());
      WS_TRY(parse_name());
      if (!at(TokenKind::LParen)) return unexpected();
      std::string_view k = peek(1).text;
      Space s = k == "func" ? kFunc : k == "table" ? kTable : k == "memory" ? kMemory
              : k == "global" ? kGlobal : kSpaceCount;
      if (s == kSpaceCount || peek(1).kind != TokenKind::Atom) {
        advance();
        return unexpected();
      }
      WS_TRY(note_import(keyword));
      WS_TRY(bind(s, peek(2).kind == TokenKind::Id ? &peek(2) : nullptr));
    } else if (space != kSpaceCount) {
      pos_ = after_id;
      while (at_list("export")) pos_ = lx_.closing[pos_] + 1;
      if (at_list("import")) {
        WS_TRY(note_import(peek(1)));
      } else {
        note_definition(kind);
        if (space == kTable && at(TokenKind::Atom) && at_list("elem", 1)) WS_TRY(bind(kElem, nullptr));
        if (space == kMemory && at_list("data")) WS_TRY(bind(kData, nullptr));
      }
      WS_TRY(bind(space, id));
    } else if (kw == "elem") {
      WS_TRY(bind(kElem, id));
    } else if (kw == "data") {
      WS_TRY(bind(kData, id));
    } else if (kw != "export" && kw != "start") {
      advance();
      return unexpected();
    }
    pos_ = lx_.closing[field] + 1;
  }
  if (!at(TokenKind::RParen) && !at(TokenKind::Eof)) return unexpected();
  pos_ = start;
  return Ok{};
}

// ---------------------------------------------------------------- shared pieces

Result<ValType> ModuleParser::parse_valtype() {
  const Token& t = peek();
  if (t.kind == TokenKind::Atom) {
    static const std::pair<std::string_view, ValType> kTypes[] = {
        {"i32", ValType::I32}, {"i64", ValType::I64}, {"f32", ValType::F32},
        {"f64", ValType::F64}, {"v128", ValType::V128}, {"funcref", ValType::FuncRef},
        {"externref", ValType::ExternRef}};
    for (const auto& [name, type] : kTypes) {
      if (t.text == name) {
        advance();
        return type;
      }
    }
  }
  return unexpected();
}

Result<ValType> ModuleParser::parse_reftype() {
  if (at_atom("funcref") || at_atom("externref")) return parse_valtype();
  return unexpected();
}

Result<uint32_t> ModuleParser::parse_u32() {
  const Token& t = peek();
  uint64_t v;
  NumParse r = t.kind == TokenKind::Atom ? parse_unsigned(t.text, UINT32_MAX, &v) : NumParse::NotANumber;
  if (r == NumParse::NotANumber) return unexpected();
  if (r == NumParse::OutOfRange) return error_at(t, "i32 constant out of range");
  advance();
  return uint32_t(v);
}

Result<uint32_t> ModuleParser::parse_index(Space space) {
  const Token& t = peek();
  if (t.kind == TokenKind::Id) {
    auto it = spaces_[space].ids.find(t.text);
    if (it == spaces_[space].ids.end())
      return error_at(t, std::string("unknown ") + kSpaceNames[space] + " " + std::string(t.text));
    advance();
    return it->second;
  }
  return parse_u32();
}

Result<std::string> ModuleParser::parse_name() {
  const Token& t = peek();
  if (t.kind != TokenKind::String) return unexpected();
  const std::string& s = lx_.strings[t.string_index];
  if (!valid_utf8(s)) return error_at(t, "malformed UTF-8 encoding");
  advance();
  return s;
}

Status ModuleParser::parse_limits(Limits* limits) {
  auto min = parse_u32();
  if (!min) return min.error();
  limits->min = *min;
  if (at(TokenKind::Atom) && at_index()) {
    auto max = parse_u32();
    if (!max) return max.error();
    limits->max = *max;
  }
  return Ok{};
}

Result<GlobalType> ModuleParser::parse_globaltype() {
  GlobalType g;
  if (at_list("mut")) {
    advance();
    advance();
    auto t = parse_valtype();
    if (!t) return t.error();
    g.type = *t;
    g.mutable_ = true;
    WS_TRY(expect_rparen());
    return g;
  }
  auto t = parse_valtype();
  if (!t) return t.error();
  g.type = *t;
  return g;
}

Status ModuleParser::parse_params_results(FuncType* type, std::vector<const Token*>* param_ids,
                                          bool allow_ids) {
  while (at_list("param")) {
    advance();
    advance();
    if (at(TokenKind::Id)) {
      if (!allow_ids) return unexpected();
      const Token* id = &next();
      auto t = parse_valtype();
      if (!t) return t.error();
      type->params.push_back(*t);
      if (param_ids) param_ids->push_back(id);
    } else {
      while (!at(TokenKind::RParen)) {
        auto t = parse_valtype();
        if (!t) return t.error();
        type->params.push_back(*t);
        if (param_ids) param_ids->push_back(nullptr);
      }
    }
    WS_TRY(expect_rparen());
  }
  while (at_list("result")) {
    advance();
    advance();
    while (!at(TokenKind::RParen)) {
      auto t = parse_valtype();
      if (!t) return t.error();
      type->results.push_back(*t);
    }
    WS_TRY(expect_rparen());
  }
  if (at_list("param")) return unexpected();  // params after results
  return Ok{};
}

static std::vector<uint8_t> signature_key(const FuncType& type) {
  BinaryWriter w;
  write_functype(w, type);
  return w.take();
}

void ModuleParser::add_type(const FuncType& type) {
  type_lookup_.emplace(signature_key(type), uint32_t(types_.size()));
  types_.push_back(type);
}

uint32_t ModuleParser::find_or_add_type(const FuncType& type) {
  auto it = type_lookup_.find(signature_key(type));
  if (it != type_lookup_.end()) return it->second;
  add_type(type);
  return uint32_t(types_.size() - 1);
}

Result<ModuleParser::TypeUse> ModuleParser::parse_typeuse(bool allow_param_ids) {
  TypeUse use;
  std::optional<uint32_t> explicit_index;
  const Token* type_token = nullptr;
  if (at_list("type")) {
    advance();
    advance();
    type_token = &peek();
    auto index = parse_index(kType);
    if (!index) return index.error();
    explicit_index = *index;
    WS_TRY(expect_rparen());
  }
  const Token& inline_start = peek();
  FuncType inline_type;
  WS_TRY(parse_params_results(&inline_type, &use.param_ids, allow_param_ids));
  bool has_inline = !inline_type.params.empty() || !inline_type.results.empty();
  if (!explicit_index) {
    use.index = find_or_add_type(inline_type);
    use.type = inline_type;
    return use;
  }
  use.index = *explicit_index;
  if (use.index >= types_.size()) {
    // Left for the validator to reject, unless the text claims a signature.
    if (has_inline) return error_at(*type_token, "unknown type");
    return use;
  }
  use.type = types_[use.index];
  if (has_inline && inline_type != use.type)
    return error_at(inline_start, "inline function type does not match type " + std::to_string(use.index));
  if (!has_inline) use.param_ids.assign(use.type.params.size(), nullptr);
  return use;
}

// ---------------------------------------------------------------- pass 2

Result<std::vector<uint8_t>> ModuleParser::run(size_t* end_pos) {
  WS_TRY(scan());
  while (at(TokenKind::LParen)) WS_TRY(parse_field());
  *end_pos = pos_;

  BinaryWriter module;
  write_wasm_header(module);
  BinaryWriter types;
  for (const FuncType& t : types_) write_functype(types, t);
  add_section(module, SectionId::Type, types, uint32_t(types_.size()));
  add_section(module, SectionId::Import, imports_.bytes, imports_.count);
  add_section(module, SectionId::Function, funcs_.bytes, funcs_.count);
  add_section(module, SectionId::Table, tables_.bytes, tables_.count);
  add_section(module, SectionId::Memory, memories_.bytes, memories_.count);
  add_section(module, SectionId::Global, globals_.bytes, globals_.count);
  add_section(module, SectionId::Export, exports_.bytes, exports_.count);
  if (start_) {
    BinaryWriter s;
    s.u32(*start_);
    module.section(uint8_t(SectionId::Start), s.bytes());
  }
  add_section(module, SectionId::Element, elems_.bytes, elems_.count);
  if (uses_data_count_) {
    BinaryWriter s;
    s.u32(datas_.count);
    module.section(uint8_t(SectionId::DataCount), s.bytes());
  }
  add_section(module, SectionId::Code, code_.bytes, code_.count);
  add_section(module, SectionId::Data, datas_.bytes, datas_.count);

  if (options_.emit_names && (!module_id_.empty() || !func_names_.empty() || !local_names_.empty())) {
    BinaryWriter names;
    if (!module_id_.empty()) {
      BinaryWriter sub;
      sub.name(module_id_.substr(1));
      names.section(0, sub.bytes());
    }
    if (!func_names_.empty()) {
      BinaryWriter sub;
      write_name_map(sub, func_names_);
      names.section(1, sub.bytes());
    }
    if (!local_names_.empty()) {
      BinaryWriter sub;
      sub.u32(uint32_t(local_names_.size()));
      for (const auto& [func, locals] : local_names_) {
        sub.u32(func);
        write_name_map(sub, locals);
      }
      names.section(2, sub.bytes());
    }
    module.custom_section("name", names.bytes());
  }
  return module.take();
}

// ---------------------------------------------------------------- entry points

Result<std::vector<uint8_t>> parse_module_fields(const Lexed& lexed, size_t* pos,
                                                 std::string_view module_id,
                                                 const ModuleOptions& options) {
  ModuleParser parser(lexed, *pos, module_id, options);
  return parser.run(pos);
}

Result<std::vector<uint8_t>> wat_to_binary(const std::string& source) {
  auto lexed = lex(source);
  if (!lexed) return lexed.error();
  const std::vector<Token>& t = lexed->tokens;
  size_t pos = 0;
  bool wrapped = t.size() > 2 && t[0].kind == TokenKind::LParen && t[1].kind == TokenKind::Atom &&
                 t[1].text == "module";
  std::string_view id;
  if (wrapped) {
    pos = 2;
    if (t[pos].kind == TokenKind::Id) id = t[pos++].text;
  }
  auto binary = parse_module_fields(*lexed, &pos, id);
  if (!binary) return binary.error();
  if (wrapped) {
    if (t[pos].kind != TokenKind::RParen)
      return Error{located(t[pos], "unexpected token"), "", {}, {}, ""};
    pos++;
  }
  if (t[pos].kind != TokenKind::Eof)
    return Error{located(t[pos], "unexpected token after module"), "", {}, {}, ""};
  return binary;
}

}  // namespace ws::text
