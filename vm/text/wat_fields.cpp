// Module fields of the text format (imports, functions, tables, memories,
// globals, exports, start, element and data segments) and their encoding.
#include <algorithm>

#include "wat_parser.h"

namespace ws::text {
namespace {

std::string id_name(const Token& id) { return std::string(id.text.substr(1)); }

void write_limits(BinaryWriter& w, const Limits& l) {
  w.u8(l.max ? 0x01 : 0x00);
  w.u32(uint32_t(l.min));
  if (l.max) w.u32(uint32_t(*l.max));
}

// The function index of a constant expression that is exactly `ref.func x`.
std::optional<uint32_t> ref_func_index(const std::vector<uint8_t>& expr) {
  if (expr.empty() || expr[0] != 0xD2) return std::nullopt;
  uint32_t v = 0;
  size_t i = 1;
  for (unsigned shift = 0; i < expr.size() && shift < 35; shift += 7) {
    uint8_t b = expr[i++];
    v |= uint32_t(b & 0x7F) << shift;
    if (!(b & 0x80)) return i == expr.size() ? std::optional<uint32_t>(v) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Status ModuleParser::parse_inline_exports(ExternKind kind, uint32_t index) {
  while (at_list("export")) {
    advance();
    advance();
    auto name = parse_name();
    if (!name) return name.error();
    WS_TRY(expect_rparen());
    exports_.bytes.name(*name);
    exports_.bytes.u8(uint8_t(kind));
    exports_.bytes.u32(index);
    exports_.count++;
  }
  return Ok{};
}

Status ModuleParser::parse_inline_import(std::string* module, std::string* name) {
  WS_TRY(expect_list("import"));
  auto m = parse_name();
  if (!m) return m.error();
  auto n = parse_name();
  if (!n) return n.error();
  *module = *m;
  *name = *n;
  return expect_rparen();
}

void ModuleParser::write_import_head(const std::string& module, const std::string& name,
                                     ExternKind kind) {
  imports_.bytes.name(module);
  imports_.bytes.name(name);
  imports_.bytes.u8(uint8_t(kind));
  imports_.count++;
}

Status ModuleParser::parse_field() {
  std::string_view kw = peek(1).text;
  if (kw == "type") {
    pos_ = lx_.closing[pos_] + 1;  // bound and parsed in pass 1
    return Ok{};
  }
  if (kw == "import") return parse_import_field();
  if (kw == "func") return parse_func_field();
  if (kw == "table") return parse_table_field();
  if (kw == "memory") return parse_memory_field();
  if (kw == "global") return parse_global_field();
  if (kw == "export") return parse_export_field();
  if (kw == "start") return parse_start_field();
  if (kw == "elem") return parse_elem_field();
  if (kw == "data") return parse_data_field();
  advance();
  return unexpected();
}

// (type $id? (func (param ...)* (result ...)*))
Status ModuleParser::parse_type_field() {
  WS_TRY(expect_list("type"));
  if (at(TokenKind::Id)) advance();
  WS_TRY(expect_list("func"));
  FuncType type;
  WS_TRY(parse_params_results(&type, nullptr, true));
  WS_TRY(expect_rparen());
  WS_TRY(expect_rparen());
  add_type(type);
  return Ok{};
}

// (import "m" "n" (func|table|memory|global $id? ...))
Status ModuleParser::parse_import_field() {
  WS_TRY(expect_list("import"));
  auto module = parse_name();
  if (!module) return module.error();
  auto name = parse_name();
  if (!name) return name.error();
  if (!at(TokenKind::LParen)) return unexpected();
  advance();
  std::string_view kind = next().text;
  const Token* id = at(TokenKind::Id) ? &next() : nullptr;
  if (kind == "func") {
    auto use = parse_typeuse(true);
    if (!use) return use.error();
    uint32_t index = spaces_[kFunc].defined++;
    if (id) func_names_[index] = id_name(*id);
    write_import_head(*module, *name, ExternKind::Func);
    imports_.bytes.u32(use->index);
  } else if (kind == "table") {
    Limits limits;
    WS_TRY(parse_limits(&limits));
    auto type = parse_reftype();
    if (!type) return type.error();
    spaces_[kTable].defined++;
    write_import_head(*module, *name, ExternKind::Table);
    imports_.bytes.u8(uint8_t(*type));
    write_limits(imports_.bytes, limits);
  } else if (kind == "memory") {
    Limits limits;
    WS_TRY(parse_limits(&limits));
    spaces_[kMemory].defined++;
    write_import_head(*module, *name, ExternKind::Memory);
    write_limits(imports_.bytes, limits);
  } else {  // "global" (scan rejected anything else)
    auto type = parse_globaltype();
    if (!type) return type.error();
    spaces_[kGlobal].defined++;
    write_import_head(*module, *name, ExternKind::Global);
    imports_.bytes.u8(uint8_t(type->type));
    imports_.bytes.u8(type->mutable_ ? 1 : 0);
  }
  WS_TRY(expect_rparen());
  return expect_rparen();
}

// (func $id? (export "n")* (import "m" "n")? typeuse (local ...)* instr*)
Status ModuleParser::parse_func_field() {
  WS_TRY(expect_list("func"));
  const Token* id = at(TokenKind::Id) ? &next() : nullptr;
  uint32_t index = spaces_[kFunc].defined++;
  if (id) func_names_[index] = id_name(*id);
  WS_TRY(parse_inline_exports(ExternKind::Func, index));
  if (at_list("import")) {
    std::string module, name;
    WS_TRY(parse_inline_import(&module, &name));
    auto use = parse_typeuse(true);
    if (!use) return use.error();
    write_import_head(module, name, ExternKind::Func);
    imports_.bytes.u32(use->index);
    return expect_rparen();
  }
  auto use = parse_typeuse(true);
  if (!use) return use.error();
  funcs_.bytes.u32(use->index);
  funcs_.count++;
  WS_TRY(parse_func_body(*use, index));
  return expect_rparen();
}

Status ModuleParser::parse_func_body(const TypeUse& use, uint32_t func_index) {
  FuncScope scope;
  uint32_t num_locals = 0;
  auto name_local = [&](const Token* id) -> Status {
    if (id) {
      if (!scope.local_ids.emplace(id->text, num_locals).second)
        return error_at(*id, "duplicate local " + std::string(id->text));
      local_names_[func_index][num_locals] = id_name(*id);
    }
    num_locals++;
    return Ok{};
  };
  for (const Token* id : use.param_ids) WS_TRY(name_local(id));

  std::vector<LocalRun> runs;
  auto add_local = [&](ValType t) {
    if (runs.empty() || runs.back().type != t) runs.push_back(LocalRun{0, t});
    runs.back().count++;
  };
  while (at_list("local")) {
    advance();
    advance();
    if (at(TokenKind::Id)) {
      WS_TRY(name_local(&next()));
      auto t = parse_valtype();
      if (!t) return t.error();
      add_local(*t);
    } else {
      while (!at(TokenKind::RParen)) {
        auto t = parse_valtype();
        if (!t) return t.error();
        WS_TRY(name_local(nullptr));
        add_local(*t);
      }
    }
    WS_TRY(expect_rparen());
  }

  BinaryWriter body;
  body.u32(uint32_t(runs.size()));
  for (const LocalRun& r : runs) {
    body.u32(r.count);
    body.u8(uint8_t(r.type));
  }
  WS_TRY(parse_instrs(scope, body));
  if (!at(TokenKind::RParen)) return unexpected();
  body.u8(0x0B);
  code_.bytes.sized(body.bytes());
  code_.count++;
  return Ok{};
}

// (table $id? (export)* (import)? limits reftype)
// (table $id? (export)* reftype (elem ...))
Status ModuleParser::parse_table_field() {
  WS_TRY(expect_list("table"));
  if (at(TokenKind::Id)) advance();
  uint32_t index = spaces_[kTable].defined++;
  WS_TRY(parse_inline_exports(ExternKind::Table, index));
  if (at_list("import")) {
    std::string module, name;
    WS_TRY(parse_inline_import(&module, &name));
    Limits limits;
    WS_TRY(parse_limits(&limits));
    auto type = parse_reftype();
    if (!type) return type.error();
    write_import_head(module, name, ExternKind::Table);
    imports_.bytes.u8(uint8_t(*type));
    write_limits(imports_.bytes, limits);
    return expect_rparen();
  }
  if (at(TokenKind::Atom) && at_list("elem", 1)) {
    auto type = parse_reftype();
    if (!type) return type.error();
    advance();
    advance();
    std::vector<ElemItem> items;
    ValType item_type = *type;
    if (at(TokenKind::LParen)) {
      while (at(TokenKind::LParen)) {
        ElemItem item;
        WS_TRY(parse_elem_expr(&item));
        items.push_back(std::move(item));
      }
    } else {
      while (at_index()) {
        auto f = parse_index(kFunc);
        if (!f) return f.error();
        BinaryWriter e;
        e.u8(0xD2);
        e.u32(*f);
        items.push_back(ElemItem{e.take(), *f});
      }
    }
    WS_TRY(expect_rparen());
    Limits limits;
    limits.min = items.size();
    limits.max = items.size();
    tables_.bytes.u8(uint8_t(*type));
    write_limits(tables_.bytes, limits);
    tables_.count++;
    BinaryWriter offset;
    offset.u8(0x41);  // i32.const 0 end
    offset.s32(0);
    offset.u8(0x0B);
    spaces_[kElem].defined++;
    write_elem_segment(SegmentMode::Active, index, offset.bytes(), item_type, items);
    return expect_rparen();
  }
  Limits limits;
  WS_TRY(parse_limits(&limits));
  auto type = parse_reftype();
  if (!type) return type.error();
  tables_.bytes.u8(uint8_t(*type));
  write_limits(tables_.bytes, limits);
  tables_.count++;
  return expect_rparen();
}

// (memory $id? (export)* (import)? limits)
// (memory $id? (export)* (data "..."*))
Status ModuleParser::parse_memory_field() {
  WS_TRY(expect_list("memory"));
  if (at(TokenKind::Id)) advance();
  uint32_t index = spaces_[kMemory].defined++;
  WS_TRY(parse_inline_exports(ExternKind::Memory, index));
  if (at_list("import")) {
    std::string module, name;
    WS_TRY(parse_inline_import(&module, &name));
    Limits limits;
    WS_TRY(parse_limits(&limits));
    write_import_head(module, name, ExternKind::Memory);
    write_limits(imports_.bytes, limits);
    return expect_rparen();
  }
  Limits limits;
  if (at_list("data")) {
    advance();
    advance();
    std::string bytes;
    while (at(TokenKind::String)) bytes += lx_.strings[next().string_index];
    WS_TRY(expect_rparen());
    uint64_t pages = (uint64_t(bytes.size()) + kPageSize - 1) / kPageSize;
    limits.min = pages;
    limits.max = pages;
    BinaryWriter offset;
    offset.u8(0x41);  // i32.const 0 end
    offset.s32(0);
    offset.u8(0x0B);
    spaces_[kData].defined++;
    write_data_segment(SegmentMode::Active, index, offset.bytes(), bytes);
  } else {
    WS_TRY(parse_limits(&limits));
  }
  write_limits(memories_.bytes, limits);
  memories_.count++;
  return expect_rparen();
}

// (global $id? (export)* (import)? globaltype expr?)
Status ModuleParser::parse_global_field() {
  WS_TRY(expect_list("global"));
  if (at(TokenKind::Id)) advance();
  uint32_t index = spaces_[kGlobal].defined++;
  WS_TRY(parse_inline_exports(ExternKind::Global, index));
  std::string module, name;
  bool imported = at_list("import");
  if (imported) WS_TRY(parse_inline_import(&module, &name));
  auto type = parse_globaltype();
  if (!type) return type.error();
  Entries& out = imported ? imports_ : globals_;
  if (imported) {
    write_import_head(module, name, ExternKind::Global);
  } else {
    globals_.count++;
  }
  out.bytes.u8(uint8_t(type->type));
  out.bytes.u8(type->mutable_ ? 1 : 0);
  if (!imported) WS_TRY(parse_const_expr(&globals_.bytes));
  return expect_rparen();
}

// (export "n" (func|table|memory|global x))
Status ModuleParser::parse_export_field() {
  WS_TRY(expect_list("export"));
  auto name = parse_name();
  if (!name) return name.error();
  if (!at(TokenKind::LParen)) return unexpected();
  advance();
  std::string_view kind = peek().text;
  ExternKind k;
  Space space;
  if (kind == "func") k = ExternKind::Func, space = kFunc;
  else if (kind == "table") k = ExternKind::Table, space = kTable;
  else if (kind == "memory") k = ExternKind::Memory, space = kMemory;
  else if (kind == "global") k = ExternKind::Global, space = kGlobal;
  else return unexpected();
  advance();
  auto index = parse_index(space);
  if (!index) return index.error();
  WS_TRY(expect_rparen());
  exports_.bytes.name(*name);
  exports_.bytes.u8(uint8_t(k));
  exports_.bytes.u32(*index);
  exports_.count++;
  return expect_rparen();
}

Status ModuleParser::parse_start_field() {
  const Token& start = peek();
  WS_TRY(expect_list("start"));
  auto index = parse_index(kFunc);
  if (!index) return index.error();
  if (start_) return error_at(start, "multiple start sections");
  start_ = *index;
  return expect_rparen();
}

// (offset instr*) or one folded instruction, encoded with its `end`.
Status ModuleParser::parse_offset(BinaryWriter* out) {
  if (at_list("offset")) {
    advance();
    advance();
    WS_TRY(parse_const_expr(out));
    return expect_rparen();
  }
  if (!at(TokenKind::LParen)) return unexpected();
  FuncScope scope;
  WS_TRY(parse_folded(scope, *out));
  out->u8(0x0B);
  return Ok{};
}

Status ModuleParser::parse_const_expr(BinaryWriter* out) {
  FuncScope scope;
  WS_TRY(parse_instrs(scope, *out));
  if (!at(TokenKind::RParen)) return unexpected();
  out->u8(0x0B);
  return Ok{};
}

// (item instr*) or one folded instruction
Status ModuleParser::parse_elem_expr(ElemItem* item) {
  BinaryWriter expr;
  FuncScope scope;
  if (at_list("item")) {
    advance();
    advance();
    WS_TRY(parse_instrs(scope, expr));
    WS_TRY(expect_rparen());
  } else {
    if (!at(TokenKind::LParen)) return unexpected();
    WS_TRY(parse_folded(scope, expr));
  }
  item->expr = expr.take();
  item->func = ref_func_index(item->expr);
  return Ok{};
}

// reftype elemexpr* | func funcidx* | funcidx* (when allow_bare_funcs)
Status ModuleParser::parse_elem_list(ValType* type, std::vector<ElemItem>* items,
                                     bool allow_bare_funcs) {
  bool funcs = false;
  if (at_atom("func")) {
    advance();
    funcs = true;
    *type = ValType::FuncRef;
  } else if (at_atom("funcref") || at_atom("externref")) {
    auto t = parse_reftype();
    if (!t) return t.error();
    *type = *t;
  } else if (allow_bare_funcs) {
    funcs = true;
    *type = ValType::FuncRef;
  } else if (!at(TokenKind::RParen)) {
    return unexpected();
  }
  while (!at(TokenKind::RParen)) {
    ElemItem item;
    if (funcs) {
      auto f = parse_index(kFunc);
      if (!f) return f.error();
      BinaryWriter e;
      e.u8(0xD2);
      e.u32(*f);
      item.expr = e.take();
      item.func = *f;
    } else {
      WS_TRY(parse_elem_expr(&item));
    }
    items->push_back(std::move(item));
  }
  return Ok{};
}

// (elem $id? elemlist)                       passive
// (elem $id? declare elemlist)               declarative
// (elem $id? (table x)? offset elemlist)     active; also a bare table index,
// and `offset funcidx*` for the MVP form.
Status ModuleParser::parse_elem_field() {
  WS_TRY(expect_list("elem"));
  if (at(TokenKind::Id)) advance();
  spaces_[kElem].defined++;
  ValType type = ValType::FuncRef;
  std::vector<ElemItem> items;
  if (at_atom("declare")) {
    advance();
    WS_TRY(parse_elem_list(&type, &items, false));
    write_elem_segment(SegmentMode::Declarative, 0, {}, type, items);
    return expect_rparen();
  }
  std::optional<uint32_t> table;
  if (at_list("table")) {
    advance();
    advance();
    auto t = parse_index(kTable);
    if (!t) return t.error();
    table = *t;
    WS_TRY(expect_rparen());
  } else if (at(TokenKind::Atom) && at_index() && at(TokenKind::LParen, 1)) {
    auto t = parse_u32();
    if (!t) return t.error();
    table = *t;
  }
  if (!table && !at(TokenKind::LParen)) {
    WS_TRY(parse_elem_list(&type, &items, false));
    write_elem_segment(SegmentMode::Passive, 0, {}, type, items);
    return expect_rparen();
  }
  BinaryWriter offset;
  WS_TRY(parse_offset(&offset));
  WS_TRY(parse_elem_list(&type, &items, true));
  write_elem_segment(SegmentMode::Active, table.value_or(0), offset.bytes(), type, items);
  return expect_rparen();
}

// Element segment flags: bit 0 passive/declarative, bit 1 explicit table
// (or declarative), bit 2 items as expressions. Items that are all plain
// function references use the compact function-index form.
void ModuleParser::write_elem_segment(SegmentMode mode, uint32_t table,
                                      const std::vector<uint8_t>& offset, ValType type,
                                      const std::vector<ElemItem>& items) {
  bool as_funcs = type == ValType::FuncRef &&
                  std::all_of(items.begin(), items.end(), [](const ElemItem& i) { return bool(i.func); });
  bool explicit_table = mode == SegmentMode::Active && (table != 0 || type != ValType::FuncRef);
  uint8_t flags = as_funcs ? 0 : 4;
  if (mode == SegmentMode::Passive) flags |= 1;
  if (mode == SegmentMode::Declarative) flags |= 3;
  if (explicit_table) flags |= 2;
  BinaryWriter& w = elems_.bytes;
  w.u8(flags);
  if (explicit_table) w.u32(table);
  if (mode == SegmentMode::Active) w.raw(offset);
  if (mode != SegmentMode::Active || explicit_table) {
    if (as_funcs) w.u8(0x00);  // elemkind funcref
    else w.u8(uint8_t(type));
  }
  w.u32(uint32_t(items.size()));
  for (const ElemItem& item : items) {
    if (as_funcs) {
      w.u32(*item.func);
    } else {
      w.raw(item.expr);
      w.u8(0x0B);
    }
  }
  elems_.count++;
}

// (data $id? "..."*)                                   passive
// (data $id? (memory x)? offset "..."*)                active (bare index too)
Status ModuleParser::parse_data_field() {
  WS_TRY(expect_list("data"));
  if (at(TokenKind::Id)) advance();
  spaces_[kData].defined++;
  std::optional<uint32_t> memory;
  if (at_list("memory")) {
    advance();
    advance();
    auto m = parse_index(kMemory);
    if (!m) return m.error();
    memory = *m;
    WS_TRY(expect_rparen());
  } else if (at(TokenKind::Atom) && at_index()) {
    auto m = parse_u32();
    if (!m) return m.error();
    memory = *m;
  }
  BinaryWriter offset;
  bool active = memory || at(TokenKind::LParen);
  if (active) WS_TRY(parse_offset(&offset));
  std::string bytes;
  while (at(TokenKind::String)) bytes += lx_.strings[next().string_index];
  write_data_segment(active ? SegmentMode::Active : SegmentMode::Passive, memory.value_or(0),
                     offset.bytes(), bytes);
  return expect_rparen();
}

void ModuleParser::write_data_segment(SegmentMode mode, uint32_t memory,
                                      const std::vector<uint8_t>& offset, const std::string& bytes) {
  BinaryWriter& w = datas_.bytes;
  if (mode == SegmentMode::Passive) {
    w.u8(1);
  } else if (memory == 0) {
    w.u8(0);
    w.raw(offset);
  } else {
    w.u8(2);
    w.u32(memory);
    w.raw(offset);
  }
  w.name(bytes);
  datas_.count++;
}

}  // namespace ws::text
