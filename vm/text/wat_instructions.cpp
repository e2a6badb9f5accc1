// Instructions of the text format: plain and folded forms, structured
// control with labels, and every immediate kind of the opcode table.
#include <unordered_map>

#include "numbers.h"
#include "wat_parser.h"

namespace ws::text {
namespace {

// Text name -> instruction, from the opcode table. Where two encodings share
// a name (select / select t*), the first entry wins; the parser picks the
// typed form when it sees `(result ...)`.
const std::unordered_map<std::string_view, Op>& ops_by_name() {
  static const std::unordered_map<std::string_view, Op> map = [] {
    std::unordered_map<std::string_view, Op> m;
    for (unsigned i = 0; i < kOpCount; i++) m.emplace(kOpInfo[i].name, Op(i));
    return m;
  }();
  return map;
}

// Natural alignment (log2 bytes) of a memory instruction, read off its name:
// "i64.load32_u" -> 32 bits, "v128.load8x8_s" -> 64 bits, "f64.store" -> f64.
uint32_t natural_align_log2(std::string_view name) {
  size_t dot = name.find('.');
  std::string_view type = name.substr(0, dot);
  std::string_view rest = name.substr(dot + 1);
  size_t i = rest.rfind("load", 0) == 0 ? 4 : 5;  // "load" or "store"
  uint32_t bits = 0;
  while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') bits = bits * 10 + uint32_t(rest[i++] - '0');
  if (i < rest.size() && rest[i] == 'x') {
    uint32_t lanes = 0;
    for (i++; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; i++) lanes = lanes * 10 + uint32_t(rest[i] - '0');
    bits *= lanes;
  }
  if (bits == 0) bits = type == "v128" ? 128 : (type == "i64" || type == "f64") ? 64 : 32;
  uint32_t log2 = 0;
  while ((8u << log2) < bits) log2++;
  return log2;
}

void write_opcode(BinaryWriter& w, Op op) {
  const OpInfo& info = op_info(op);
  if (info.prefix) {
    w.u8(info.prefix);
    w.u32(info.code);
  } else {
    w.u8(uint8_t(info.code));
  }
}

bool is_structural_keyword(std::string_view s) {
  return s == "param" || s == "result" || s == "local" || s == "type" || s == "then" ||
         s == "export" || s == "import" || s == "item" || s == "offset";
}

}  // namespace

Status ModuleParser::parse_instrs(FuncScope& scope, BinaryWriter& out) {
  for (;;) {
    const Token& t = peek();
    if (t.kind == TokenKind::RParen || t.kind == TokenKind::Eof) return Ok{};
    if (t.kind == TokenKind::Atom && (t.text == "end" || t.text == "else")) return Ok{};
    WS_TRY(parse_instr(scope, out));
  }
}

// Nesting is bounded so hostile input cannot exhaust the native stack.
constexpr unsigned kMaxNesting = 1000;

Status ModuleParser::parse_instr(FuncScope& scope, BinaryWriter& out) {
  if (at(TokenKind::LParen)) return parse_folded(scope, out);
  return parse_plain(scope, out);
}

Status ModuleParser::parse_plain(FuncScope& scope, BinaryWriter& out) {
  const Token& t = peek();
  if (t.kind != TokenKind::Atom && t.kind != TokenKind::Reserved) return unexpected();
  auto it = ops_by_name().find(t.text);
  if (t.kind == TokenKind::Reserved || it == ops_by_name().end())
    return error_at(t, "unknown operator " + std::string(t.text));
  Op op = it->second;
  if (op == Op::Block || op == Op::Loop || op == Op::If) return parse_block(op, scope, out);
  if (op == Op::Else || op == Op::End) return unexpected();
  advance();
  if (op == Op::Select && at_list("result")) {
    FuncType results;
    WS_TRY(parse_params_results(&results, nullptr, false));
    write_opcode(out, Op::SelectT);
    out.u32(uint32_t(results.results.size()));
    for (ValType v : results.results) out.u8(uint8_t(v));
    return Ok{};
  }
  write_opcode(out, op);
  return parse_immediates(op, scope, out);
}

Status ModuleParser::parse_folded(FuncScope& scope, BinaryWriter& out) {
  if (depth_ >= kMaxNesting) return error_at(peek(), "instructions nested too deeply");
  depth_++;
  Status s = parse_folded_nested(scope, out);
  depth_--;
  return s;
}

Status ModuleParser::parse_folded_nested(FuncScope& scope, BinaryWriter& out) {
  const Token& keyword = peek(1);
  if (keyword.kind == TokenKind::Atom) {
    if (keyword.text == "block") return parse_folded_block(Op::Block, scope, out);
    if (keyword.text == "loop") return parse_folded_block(Op::Loop, scope, out);
    if (keyword.text == "if") return parse_folded_block(Op::If, scope, out);
    if (is_structural_keyword(keyword.text)) {
      advance();
      return unexpected();
    }
  }
  advance();
  BinaryWriter op;  // the operator follows its folded operands
  WS_TRY(parse_plain(scope, op));
  while (at(TokenKind::LParen)) WS_TRY(parse_folded(scope, out));
  WS_TRY(expect_rparen());
  out.raw(op.bytes());
  return Ok{};
}

void ModuleParser::parse_label_decl(FuncScope& scope) {
  scope.labels.push_back(at(TokenKind::Id) ? next().text : std::string_view());
}

Status ModuleParser::parse_end_label(const FuncScope& scope) {
  if (!at(TokenKind::Id)) return Ok{};
  const Token& t = next();
  if (t.text != scope.labels.back())
    return error_at(t, "mismatching label " + std::string(t.text));
  return Ok{};
}

// block/loop/if label? blocktype instr* (else label? instr*)? end label?
Status ModuleParser::parse_block(Op op, FuncScope& scope, BinaryWriter& out) {
  if (scope.labels.size() >= kMaxNesting) return error_at(peek(), "blocks nested too deeply");
  advance();
  parse_label_decl(scope);
  write_opcode(out, op);
  WS_TRY(parse_block_type(out));
  WS_TRY(parse_instrs(scope, out));
  if (op == Op::If && at_atom("else")) {
    advance();
    WS_TRY(parse_end_label(scope));
    BinaryWriter alternative;
    WS_TRY(parse_instrs(scope, alternative));
    if (alternative.size()) {
      write_opcode(out, Op::Else);
      out.raw(alternative.bytes());
    }
  }
  if (!at_atom("end")) return unexpected();
  advance();
  WS_TRY(parse_end_label(scope));
  write_opcode(out, Op::End);
  scope.labels.pop_back();
  return Ok{};
}

// (block label? blocktype instr*), (loop ...),
// (if label? blocktype folded* (then instr*) (else instr*)?)
Status ModuleParser::parse_folded_block(Op op, FuncScope& scope, BinaryWriter& out) {
  advance();
  advance();
  std::string_view label = at(TokenKind::Id) ? next().text : std::string_view();
  BinaryWriter block_type;
  WS_TRY(parse_block_type(block_type));
  if (op == Op::If) {
    // The condition is evaluated outside the `if`, so its label is not yet bound.
    while (at(TokenKind::LParen) && !at_list("then")) WS_TRY(parse_folded(scope, out));
  }
  scope.labels.push_back(label);
  write_opcode(out, op);
  out.raw(block_type.bytes());
  if (op == Op::If) {
    WS_TRY(expect_list("then"));
    WS_TRY(parse_instrs(scope, out));
    WS_TRY(expect_rparen());
    if (at_list("else")) {
      advance();
      advance();
      BinaryWriter alternative;
      WS_TRY(parse_instrs(scope, alternative));
      WS_TRY(expect_rparen());
      if (alternative.size()) {
        write_opcode(out, Op::Else);
        out.raw(alternative.bytes());
      }
    }
  } else {
    WS_TRY(parse_instrs(scope, out));
  }
  WS_TRY(expect_rparen());
  write_opcode(out, Op::End);
  scope.labels.pop_back();
  return Ok{};
}

// (type x)? (param t*)* (result t*)*: empty, one value type, or a type index.
// The short forms are used whenever the signature allows, even when it was
// given as (type x), so equal block types encode equally.
Status ModuleParser::parse_block_type(BinaryWriter& out) {
  FuncType type;
  if (at_list("type")) {
    auto use = parse_typeuse(false);
    if (!use) return use.error();
    bool known = use->index < types_.size();
    if (!known || !use->type.params.empty() || use->type.results.size() > 1) {
      out.s64(use->index);
      return Ok{};
    }
    type = use->type;
  } else {
    WS_TRY(parse_params_results(&type, nullptr, false));
  }
  if (type.params.empty() && type.results.empty()) {
    out.u8(0x40);
  } else if (type.params.empty() && type.results.size() == 1) {
    out.u8(uint8_t(type.results[0]));
  } else {
    out.s64(find_or_add_type(type));
  }
  return Ok{};
}

Result<uint32_t> ModuleParser::parse_label_ref(const FuncScope& scope) {
  if (at(TokenKind::Id)) {
    const Token& t = peek();
    for (size_t i = scope.labels.size(); i-- > 0;) {
      if (scope.labels[i] == t.text) {
        advance();
        return uint32_t(scope.labels.size() - 1 - i);
      }
    }
    return error_at(t, "unknown label " + std::string(t.text));
  }
  return parse_u32();
}

Result<uint32_t> ModuleParser::parse_local_ref(const FuncScope& scope) {
  if (at(TokenKind::Id)) {
    const Token& t = peek();
    auto it = scope.local_ids.find(t.text);
    if (it == scope.local_ids.end()) return error_at(t, "unknown local " + std::string(t.text));
    advance();
    return it->second;
  }
  return parse_u32();
}

// offset=N? align=N?
Status ModuleParser::parse_memarg(Op op, BinaryWriter& out) {
  uint64_t offset = 0;
  uint32_t align_log2 = natural_align_log2(op_info(op).name);
  if (at(TokenKind::Atom) && peek().text.rfind("offset=", 0) == 0) {
    const Token& t = next();
    NumParse r = parse_unsigned(t.text.substr(7), UINT32_MAX, &offset);
    if (r == NumParse::NotANumber) return error_at(t, "unknown operator " + std::string(t.text));
    if (r == NumParse::OutOfRange) return error_at(t, "i32 constant out of range");
  }
  if (at(TokenKind::Atom) && peek().text.rfind("align=", 0) == 0) {
    const Token& t = next();
    uint64_t align;
    NumParse r = parse_unsigned(t.text.substr(6), UINT32_MAX, &align);
    if (r == NumParse::NotANumber) return error_at(t, "unknown operator " + std::string(t.text));
    if (r == NumParse::OutOfRange || align == 0 || (align & (align - 1)) != 0)
      return error_at(t, "alignment must be a power of two");
    align_log2 = 0;
    while ((uint64_t(1) << align_log2) < align) align_log2++;
  }
  out.u32(align_log2);
  out.u32(uint32_t(offset));
  return Ok{};
}

Result<uint8_t> ModuleParser::parse_lane_index() {
  const Token& t = peek();
  uint64_t v;
  NumParse r = t.kind == TokenKind::Atom ? parse_unsigned(t.text, 255, &v) : NumParse::NotANumber;
  if (r == NumParse::NotANumber) return unexpected();
  if (r == NumParse::OutOfRange) return error_at(t, "malformed lane index");
  advance();
  return uint8_t(v);
}

Status ModuleParser::parse_number(Imm kind, BinaryWriter& out) {
  const Token& t = peek();
  if (t.kind != TokenKind::Atom) return unexpected();
  NumParse r;
  uint64_t bits = 0;
  uint32_t bits32 = 0;
  switch (kind) {
    case Imm::I32: r = parse_int_bits(t.text, 32, &bits); break;
    case Imm::I64: r = parse_int_bits(t.text, 64, &bits); break;
    case Imm::F32: r = parse_f32_bits(t.text, &bits32); break;
    default: r = parse_f64_bits(t.text, &bits); break;
  }
  if (r == NumParse::NotANumber) return unexpected();
  if (r == NumParse::OutOfRange) return error_at(t, "constant out of range");
  advance();
  switch (kind) {
    case Imm::I32: out.s32(int32_t(uint32_t(bits))); break;
    case Imm::I64: out.s64(int64_t(bits)); break;
    case Imm::F32: out.f32_bits(bits32); break;
    default: out.f64_bits(bits); break;
  }
  return Ok{};
}

// v128.const shape lane*: the lanes are written little-endian.
Status ModuleParser::parse_v128_const(BinaryWriter& out) {
  const V128Shape* shape =
      peek().kind == TokenKind::Atom ? find_v128_shape(peek().text) : nullptr;
  if (!shape) return unexpected();
  advance();
  for (unsigned lane = 0; lane < shape->lanes; lane++) {
    if (!at(TokenKind::Atom, lane)) return error_at(peek(lane), "wrong number of lane literals");
  }
  for (unsigned lane = 0; lane < shape->lanes; lane++) {
    const Token& t = peek();
    uint64_t bits = 0;
    uint32_t bits32 = 0;
    NumParse r;
    if (!shape->is_float) r = parse_int_bits(t.text, shape->bits, &bits);
    else if (shape->bits == 32) r = parse_f32_bits(t.text, &bits32), bits = bits32;
    else r = parse_f64_bits(t.text, &bits);
    if (r == NumParse::NotANumber) return unexpected();
    if (r == NumParse::OutOfRange) return error_at(t, "constant out of range");
    advance();
    for (unsigned b = 0; b < shape->bits / 8; b++) out.u8(uint8_t(bits >> (8 * b)));
  }
  if (at(TokenKind::Atom) && looks_numeric(peek().text))
    return error_at(peek(), "wrong number of lane literals");
  return Ok{};
}

Status ModuleParser::parse_immediates(Op op, FuncScope& scope, BinaryWriter& out) {
  switch (op_info(op).imm) {
    case Imm::None:
    case Imm::BlockType:  // handled by parse_block
    case Imm::SelectT:    // handled by parse_plain
      return Ok{};
    case Imm::Label: {
      auto l = parse_label_ref(scope);
      if (!l) return l.error();
      out.u32(*l);
      return Ok{};
    }
    case Imm::BrTable: {
      std::vector<uint32_t> labels;
      while (at_index()) {
        auto l = parse_label_ref(scope);
        if (!l) return l.error();
        labels.push_back(*l);
      }
      if (labels.empty()) return unexpected();
      out.u32(uint32_t(labels.size() - 1));
      for (uint32_t l : labels) out.u32(l);
      return Ok{};
    }
    case Imm::Func:
    case Imm::Global:
    case Imm::Elem:
    case Imm::Data:
    case Imm::MemoryInit: {
      Imm imm = op_info(op).imm;
      Space space = imm == Imm::Func ? kFunc : imm == Imm::Global ? kGlobal : imm == Imm::Elem ? kElem : kData;
      auto index = parse_index(space);
      if (!index) return index.error();
      out.u32(*index);
      if (space == kData) uses_data_count_ = true;
      if (imm == Imm::MemoryInit) out.u8(0x00);
      return Ok{};
    }
    case Imm::CallIndirect: {
      uint32_t table = 0;
      if (at_index()) {
        auto t = parse_index(kTable);
        if (!t) return t.error();
        table = *t;
      }
      auto use = parse_typeuse(false);
      if (!use) return use.error();
      out.u32(use->index);
      out.u32(table);
      return Ok{};
    }
    case Imm::Local: {
      auto l = parse_local_ref(scope);
      if (!l) return l.error();
      out.u32(*l);
      return Ok{};
    }
    case Imm::Table: {
      uint32_t table = 0;
      if (at_index()) {
        auto t = parse_index(kTable);
        if (!t) return t.error();
        table = *t;
      }
      out.u32(table);
      return Ok{};
    }
    case Imm::Mem:
      return parse_memarg(op, out);
    case Imm::MemIdx:
      out.u8(0x00);
      return Ok{};
    case Imm::I32:
    case Imm::I64:
    case Imm::F32:
    case Imm::F64:
      return parse_number(op_info(op).imm, out);
    case Imm::RefType:
      if (at_atom("func")) out.u8(uint8_t(ValType::FuncRef));
      else if (at_atom("extern")) out.u8(uint8_t(ValType::ExternRef));
      else return unexpected();
      advance();
      return Ok{};
    case Imm::MemoryCopy:
      out.u8(0x00);
      out.u8(0x00);
      return Ok{};
    case Imm::TableInit: {
      uint32_t table = 0;
      if (at_index() && at_index(1)) {
        auto t = parse_index(kTable);
        if (!t) return t.error();
        table = *t;
      }
      auto elem = parse_index(kElem);
      if (!elem) return elem.error();
      out.u32(*elem);
      out.u32(table);
      return Ok{};
    }
    case Imm::TableCopy: {
      uint32_t dst = 0, src = 0;
      if (at_index()) {
        auto d = parse_index(kTable);
        if (!d) return d.error();
        auto s = parse_index(kTable);
        if (!s) return s.error();
        dst = *d;
        src = *s;
      }
      out.u32(dst);
      out.u32(src);
      return Ok{};
    }
    case Imm::V128:
      return parse_v128_const(out);
    case Imm::Shuffle:
      for (int i = 0; i < 16; i++) {
        if (!at(TokenKind::Atom)) return error_at(peek(), "invalid lane length");
        if (!looks_numeric(peek().text)) return unexpected();
        uint64_t v;
        if (parse_unsigned(peek().text, 255, &v) != NumParse::Ok)
          return error_at(peek(), "malformed lane index");
        auto lane = parse_lane_index();
        if (!lane) return lane.error();
        out.u8(*lane);
      }
      if (at(TokenKind::Atom) && looks_numeric(peek().text)) return error_at(peek(), "invalid lane length");
      return Ok{};
    case Imm::Lane: {
      auto lane = parse_lane_index();
      if (!lane) return lane.error();
      out.u8(*lane);
      return Ok{};
    }
    case Imm::MemLane: {
      WS_TRY(parse_memarg(op, out));
      auto lane = parse_lane_index();
      if (!lane) return lane.error();
      out.u8(*lane);
      return Ok{};
    }
  }
  return Ok{};
}

}  // namespace ws::text
