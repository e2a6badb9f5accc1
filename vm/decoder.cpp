// Binary decoder. Each section is read through its own Reader window, so a
// section can never read into its neighbour, and every count and length is
// checked against the bytes that remain before anything is allocated.
#include "decoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "code_reader.h"
#include "reader.h"

namespace ws {
namespace {

constexpr const char* kUnexpectedEnd = "unexpected end of section or function";

enum SectionId : uint8_t {
  kCustom = 0, kType, kImport, kFunction, kTable, kMemory, kGlobal,
  kExport, kStart, kElement, kCode, kData, kDataCount,
};

const char* section_name(uint8_t id) {
  static const char* const kNames[] = {
      "custom", "type",  "import", "function", "table", "memory",    "global",
      "export", "start", "element", "code",    "data",  "data count",
  };
  return id <= kDataCount ? kNames[id] : "";
}

// Position of each non-custom section in the required order (data count
// comes between element and code, although its id is the largest).
int section_rank(uint8_t id) {
  return id == kDataCount ? kElement * 2 + 1 : id * 2;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(const uint8_t* s, uint32_t n) {
  uint32_t i = 0;
  while (i < n) {
    const uint8_t b = s[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    uint32_t len, cp;
    if ((b & 0xE0) == 0xC0) len = 2, cp = b & 0x1F;
    else if ((b & 0xF0) == 0xE0) len = 3, cp = b & 0x0F;
    else if ((b & 0xF8) == 0xF0) len = 4, cp = b & 0x07;
    else return false;
    if (n - i < len) return false;
    for (uint32_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    static const uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

class Decoder {
 public:
  explicit Decoder(Module& m) : m_(m), base_(m.binary.data()) {}
  Status run();

 private:
  Status header_and_sections();
  bool section(uint8_t id, Reader& r);
  bool type_section(Reader& r);
  bool import_section(Reader& r);
  bool function_section(Reader& r);
  bool table_section(Reader& r);
  bool memory_section(Reader& r);
  bool global_section(Reader& r);
  bool export_section(Reader& r);
  bool start_section(Reader& r);
  bool element_section(Reader& r);
  bool element_segment(Reader& r, ElemSegment* seg);
  bool code_section(Reader& r);
  bool function_body(Reader& r, FuncBody* body);
  bool data_section(Reader& r);
  bool data_count_section(Reader& r);
  void custom_section(Reader& r);

  bool name(Reader& r, std::string* out);
  bool valtype(Reader& r, ValType* out);
  bool reftype(Reader& r, ValType* out);
  bool limits(Reader& r, Limits* out);
  bool table_type(Reader& r, TableType* out);
  bool global_type(Reader& r, GlobalType* out);
  bool const_expr(Reader& r, ConstExpr* out);

  Module& m_;
  const uint8_t* base_;
  uint32_t code_bodies_ = 0;     // bodies in the code section (0 if absent)
  bool saw_data_section_ = false;
};

Status Decoder::run() {
  Status s = header_and_sections();
  // A section after the code is decoded before the bodies' instructions
  // here, but the spec decodes in order: a malformed body comes first.
  if (!s && code_bodies_ > 0) {
    if (std::optional<Error> malformed = find_malformed_code(m_)) return *malformed;
  }
  return s;
}

Status Decoder::header_and_sections() {
  if (m_.binary.size() > UINT32_MAX) return Error{"module too large", "", 0, {}, ""};
  const uint32_t size = uint32_t(m_.binary.size());
  Reader top(base_, 0, size);
  static const uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  uint8_t magic[4], version[4];
  if (!top.bytes(magic, 4)) return Error{"unexpected end", "", top.error_offset(), {}, ""};
  if (std::memcmp(magic, kMagic, 4) != 0) return Error{"magic header not detected", "", 0, {}, ""};
  if (!top.bytes(version, 4)) return Error{"unexpected end", "", top.error_offset(), {}, ""};
  if (version[0] != 1 || version[1] || version[2] || version[3])
    return Error{"unknown binary version", "", 4, {}, ""};

  int last_rank = -1;
  while (!top.at_end()) {
    const uint32_t id_offset = top.pos();
    uint8_t id;
    uint32_t section_size;
    top.u8(&id);
    if (id > kDataCount) return Error{"malformed section id", "", id_offset, {}, ""};
    if (!top.u32(&section_size))
      return Error{top.error(), section_name(id), top.error_offset(), {}, ""};
    if (section_size > top.remaining())
      return Error{"length out of bounds", section_name(id), top.pos(), {}, ""};
    Reader r(base_, top.pos(), top.pos() + section_size, size);
    r.set_end_message(kUnexpectedEnd);
    top.skip(section_size);

    if (id == kCustom) {
      custom_section(r);
    } else {
      if (section_rank(id) <= last_rank)
        return Error{"unexpected content after last section", section_name(id), id_offset, {}, ""};
      last_rank = section_rank(id);
      if (section(id, r) && !r.at_end()) r.fail("section size mismatch");
    }
    if (!r.ok()) return Error{r.error(), section_name(id), r.error_offset(), {}, ""};
  }

  if (m_.funcs.size() != code_bodies_)
    return Error{"function and code section have inconsistent lengths", "code", size, {}, ""};
  if (!saw_data_section_ && m_.data_count && *m_.data_count != 0)
    return Error{"data count and data section have inconsistent lengths", "data", size, {}, ""};
  return Ok{};
}

bool Decoder::section(uint8_t id, Reader& r) {
  switch (id) {
    case kType: return type_section(r);
    case kImport: return import_section(r);
    case kFunction: return function_section(r);
    case kTable: return table_section(r);
    case kMemory: return memory_section(r);
    case kGlobal: return global_section(r);
    case kExport: return export_section(r);
    case kStart: return start_section(r);
    case kElement: return element_section(r);
    case kCode: return code_section(r);
    case kData: return data_section(r);
    case kDataCount: return data_count_section(r);
  }
  return false;
}

// ---- building blocks ----

// Reserves room for `n` items of at least `min_bytes` encoded bytes each, but
// never more than the remaining input could hold, so a huge declared count
// costs nothing before the input runs out.
template <typename T>
void reserve_for(std::vector<T>* v, uint32_t n, const Reader& r, uint32_t min_bytes) {
  v->reserve(std::min<size_t>(n, r.remaining() / min_bytes));
}

bool Decoder::name(Reader& r, std::string* out) {
  uint32_t len;
  if (!r.u32(&len)) return false;
  const uint32_t at = r.pos();
  if (len > r.remaining()) return r.fail(kUnexpectedEnd, r.end());
  if (!valid_utf8(base_ + at, len)) return r.fail("malformed UTF-8 encoding", at);
  out->assign(reinterpret_cast<const char*>(base_ + at), len);
  return r.skip(len);
}

bool Decoder::valtype(Reader& r, ValType* out) {
  const uint32_t at = r.pos();
  uint8_t b;
  if (!r.u8(&b)) return false;
  return valtype_from_byte(b, out) || r.fail("malformed value type", at);
}

bool Decoder::reftype(Reader& r, ValType* out) {
  const uint32_t at = r.pos();
  uint8_t b;
  if (!r.u8(&b)) return false;
  if (b != uint8_t(ValType::FuncRef) && b != uint8_t(ValType::ExternRef))
    return r.fail("malformed reference type", at);
  *out = ValType(b);
  return true;
}

// A one-byte flag field that the spec reads as a 1-bit LEB128 integer, so a
// continuation bit is "integer representation too long" and a value beyond
// `max` is "integer too large".
bool flag_byte(Reader& r, uint8_t max, uint8_t* out) {
  const uint32_t at = r.pos();
  if (!r.u8(out)) return false;
  if (*out & 0x80) return r.fail("integer representation too long", at);
  return *out <= max || r.fail("integer too large", at);
}

bool Decoder::limits(Reader& r, Limits* out) {
  uint8_t flags;
  if (!flag_byte(r, 1, &flags)) return false;
  uint32_t min, max;
  if (!r.u32(&min)) return false;
  out->min = min;
  if (flags == 1) {
    if (!r.u32(&max)) return false;
    out->max = max;
  }
  return true;
}

bool Decoder::table_type(Reader& r, TableType* out) {
  return reftype(r, &out->elem) && limits(r, &out->limits);
}

bool Decoder::global_type(Reader& r, GlobalType* out) {
  if (!valtype(r, &out->type)) return false;
  const uint32_t at = r.pos();
  uint8_t mut;
  if (!r.u8(&mut)) return false;
  if (mut > 1) return r.fail("malformed mutability", at);
  out->mutable_ = mut == 1;
  return true;
}

// Finds the `end` that closes the expression (nested blocks are tracked so
// that an invalid but well-formed expression is left for the validator to
// report as such) and keeps the bytes before it.
bool Decoder::const_expr(Reader& r, ConstExpr* out) {
  CodeReader code(base_, r.pos(), r.end(), uint32_t(m_.binary.size()));
  Instr in;
  uint32_t depth = 0;
  for (;;) {
    if (!code.next(&in)) return r.fail(code.error(), code.error_offset());
    if (in.op == Op::Block || in.op == Op::Loop || in.op == Op::If) {
      ++depth;
    } else if (in.op == Op::End) {
      if (depth == 0) break;
      --depth;
    }
  }
  out->offset = r.pos();
  out->bytes.assign(base_ + r.pos(), base_ + in.offset);
  return r.skip(in.next - r.pos());
}

// ---- sections ----

bool Decoder::type_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.types, n, r, 3);
  for (uint32_t i = 0; i < n; ++i) {
    FuncType& t = m_.types.emplace_back();
    const uint32_t at = r.pos();
    uint8_t form;
    if (!r.u8(&form)) return false;
    // The form is a negative s7 (-0x20) in the spec's grammar.
    if (form & 0x80) return r.fail("integer representation too long", at);
    if (form != 0x60) return r.fail("malformed function type", at);
    for (auto* list : {&t.params, &t.results}) {
      uint32_t k;
      if (!r.u32(&k)) return false;
      reserve_for(list, k, r, 1);
      for (uint32_t j = 0; j < k; ++j)
        if (!valtype(r, &list->emplace_back())) return false;
    }
  }
  return true;
}

bool Decoder::import_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.imports, n, r, 4);
  for (uint32_t i = 0; i < n; ++i) {
    Import& im = m_.imports.emplace_back();
    im.offset = r.pos();
    if (!name(r, &im.module) || !name(r, &im.name)) return false;
    const uint32_t at = r.pos();
    uint8_t kind;
    if (!r.u8(&kind)) return false;
    switch (kind) {
      case 0:
        im.kind = ExternKind::Func;
        if (!r.u32(&im.func_type)) return false;
        m_.func_imports.push_back(i);
        break;
      case 1:
        im.kind = ExternKind::Table;
        if (!table_type(r, &im.table)) return false;
        m_.table_imports.push_back(i);
        break;
      case 2:
        im.kind = ExternKind::Memory;
        if (!limits(r, &im.memory.limits)) return false;
        m_.memory_imports.push_back(i);
        break;
      case 3:
        im.kind = ExternKind::Global;
        if (!global_type(r, &im.global)) return false;
        m_.global_imports.push_back(i);
        break;
      default:
        return r.fail("malformed import kind", at);
    }
  }
  m_.num_imported_funcs = uint32_t(m_.func_imports.size());
  m_.num_imported_tables = uint32_t(m_.table_imports.size());
  m_.num_imported_memories = uint32_t(m_.memory_imports.size());
  m_.num_imported_globals = uint32_t(m_.global_imports.size());
  return true;
}

bool Decoder::function_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.funcs, n, r, 1);
  for (uint32_t i = 0; i < n; ++i)
    if (!r.u32(&m_.funcs.emplace_back().type)) return false;
  return true;
}

bool Decoder::table_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.tables, n, r, 3);
  for (uint32_t i = 0; i < n; ++i)
    if (!table_type(r, &m_.tables.emplace_back())) return false;
  return true;
}

bool Decoder::memory_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.memories, n, r, 2);
  for (uint32_t i = 0; i < n; ++i)
    if (!limits(r, &m_.memories.emplace_back().limits)) return false;
  return true;
}

bool Decoder::global_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.globals, n, r, 3);
  for (uint32_t i = 0; i < n; ++i) {
    GlobalDef& g = m_.globals.emplace_back();
    if (!global_type(r, &g.type) || !const_expr(r, &g.init)) return false;
  }
  return true;
}

bool Decoder::export_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.exports, n, r, 3);
  for (uint32_t i = 0; i < n; ++i) {
    Export& e = m_.exports.emplace_back();
    e.offset = r.pos();
    if (!name(r, &e.name)) return false;
    const uint32_t at = r.pos();
    uint8_t kind;
    if (!r.u8(&kind)) return false;
    if (kind > 3) return r.fail("malformed export kind", at);
    e.kind = ExternKind(kind);
    if (!r.u32(&e.index)) return false;
  }
  return true;
}

bool Decoder::start_section(Reader& r) {
  uint32_t index;
  if (!r.u32(&index)) return false;
  m_.start = index;
  return true;
}

bool Decoder::element_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&m_.elems, n, r, 3);
  for (uint32_t i = 0; i < n; ++i)
    if (!element_segment(r, &m_.elems.emplace_back())) return false;
  return true;
}

// Flags bit 0: passive or declarative (else active); bit 1: with bit 0
// declarative, without it an explicit table index; bit 2: items are
// expressions of an explicit reference type (else function indices).
bool Decoder::element_segment(Reader& r, ElemSegment* seg) {
  seg->section_offset = r.pos();
  uint32_t flags;
  if (!r.u32(&flags)) return false;
  if (flags > 7) return r.fail("malformed elements segment kind", seg->section_offset);
  const bool passive_or_declarative = flags & 1;
  const bool explicit_table_or_declarative = flags & 2;
  const bool uses_exprs = flags & 4;

  if (passive_or_declarative) {
    seg->mode = explicit_table_or_declarative ? SegmentMode::Declarative : SegmentMode::Passive;
  } else {
    seg->mode = SegmentMode::Active;
    if (explicit_table_or_declarative && !r.u32(&seg->table)) return false;
    if (!const_expr(r, &seg->offset)) return false;
  }
  // Flags 0 and 4 imply funcref; the others spell out the element type
  // (an elemkind byte 0x00 for index lists, a reference type for expressions).
  if (flags != 0 && flags != 4) {
    if (uses_exprs) {
      if (!reftype(r, &seg->type)) return false;
    } else {
      const uint32_t at = r.pos();
      uint8_t elemkind;
      if (!r.u8(&elemkind)) return false;
      if (elemkind != 0x00) return r.fail("malformed element kind", at);
    }
  }

  uint32_t n;
  if (!r.u32(&n)) return false;
  reserve_for(&seg->items, n, r, 1);
  for (uint32_t i = 0; i < n; ++i) {
    ConstExpr& item = seg->items.emplace_back();
    if (uses_exprs) {
      if (!const_expr(r, &item)) return false;
      continue;
    }
    // A bare function index becomes the expression `ref.func index`;
    // `offset` is where the index is in the binary.
    item.offset = r.pos();
    uint32_t func;
    if (!r.u32(&func)) return false;
    item.bytes.push_back(0xD2);
    item.bytes.insert(item.bytes.end(), base_ + item.offset, base_ + r.pos());
  }
  return true;
}

bool Decoder::code_section(Reader& r) {
  const uint32_t at = r.pos();
  uint32_t n;
  if (!r.u32(&n)) return false;
  if (n != m_.funcs.size())
    return r.fail("function and code section have inconsistent lengths", at);
  for (FuncBody& body : m_.funcs)
    if (!function_body(r, &body)) return false;
  code_bodies_ = n;
  return true;
}

bool Decoder::function_body(Reader& r, FuncBody* body) {
  const uint32_t size_at = r.pos();
  uint32_t size;
  if (!r.u32(&size)) return false;
  if (size > r.remaining()) return r.fail("length out of bounds", size_at);
  Reader f(base_, r.pos(), r.pos() + size, uint32_t(m_.binary.size()));
  f.set_end_message(kUnexpectedEnd);
  body->body_offset = f.pos();
  body->code_end = f.end();

  uint32_t runs;
  if (!f.u32(&runs)) return r.fail(f.error(), f.error_offset());
  uint64_t total = 0;
  const uint32_t runs_at = f.pos();
  for (uint32_t i = 0; i < runs; ++i) {
    const uint32_t run_at = f.pos();
    uint32_t k;
    ValType t;
    if (!f.u32(&k)) return r.fail(f.error(), f.error_offset());
    total += k;
    if (total > kMaxFunctionLocals) return r.fail("too many locals", run_at);
    if (!valtype(f, &t)) return r.fail(f.error(), f.error_offset());
  }
  // Second pass now that the total is known to be small: expand the runs.
  body->locals.reserve(size_t(total));
  Reader again(base_, runs_at, f.pos());
  for (uint32_t i = 0; i < runs; ++i) {
    uint32_t k;
    ValType t;
    again.u32(&k);
    valtype(again, &t);
    body->locals.insert(body->locals.end(), k, t);
  }
  body->code_offset = f.pos();
  return r.skip(size);
}

bool Decoder::data_section(Reader& r) {
  const uint32_t at = r.pos();
  uint32_t n;
  if (!r.u32(&n)) return false;
  if (m_.data_count && *m_.data_count != n)
    return r.fail("data count and data section have inconsistent lengths", at);
  saw_data_section_ = true;
  reserve_for(&m_.datas, n, r, 2);
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment& seg = m_.datas.emplace_back();
    const uint32_t flags_at = r.pos();
    uint32_t flags;
    if (!r.u32(&flags)) return false;
    switch (flags) {
      case 0:
        seg.mode = SegmentMode::Active;
        if (!const_expr(r, &seg.offset)) return false;
        break;
      case 1:
        seg.mode = SegmentMode::Passive;
        break;
      case 2:
        seg.mode = SegmentMode::Active;
        if (!r.u32(&seg.memory) || !const_expr(r, &seg.offset)) return false;
        break;
      default:
        return r.fail("malformed data segment kind", flags_at);
    }
    if (!r.u32(&seg.size)) return false;
    seg.data_offset = r.pos();
    if (!r.skip(seg.size)) return false;
  }
  return true;
}

bool Decoder::data_count_section(Reader& r) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  m_.data_count = n;
  return true;
}

// ---- custom sections and the name section ----

// Reads a name-section string; invalid UTF-8 is replaced rather than
// rejected because the name section must never make a module fail.
bool lenient_name(Reader& r, std::string* out) {
  uint32_t len;
  if (!r.u32(&len) || len > r.remaining()) return false;
  const uint8_t* s = r.cursor();
  if (valid_utf8(s, len)) out->assign(reinterpret_cast<const char*>(s), len);
  else out->assign("<invalid UTF-8>");
  return r.skip(len);
}

bool name_map(Reader& r, std::map<uint32_t, std::string>* out) {
  uint32_t n;
  if (!r.u32(&n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t index;
    std::string s;
    if (!r.u32(&index) || !lenient_name(r, &s)) return false;
    (*out)[index] = std::move(s);
  }
  return true;
}

// Subsections are read one by one; a malformed one is dropped (with whatever
// it had decoded so far) and the rest of the section is still used when its
// size can be trusted.
void parse_name_section(Reader& r, Names* names) {
  while (!r.at_end()) {
    uint8_t id;
    uint32_t size;
    if (!r.u8(&id) || !r.u32(&size) || size > r.remaining()) return;
    Reader sub(r.base(), r.pos(), r.pos() + size);
    r.skip(size);
    switch (id) {
      case 0:
        lenient_name(sub, &names->module);
        break;
      case 1:
        name_map(sub, &names->functions);
        break;
      case 2: {
        uint32_t n;
        if (!sub.u32(&n)) break;
        for (uint32_t i = 0; i < n; ++i) {
          uint32_t func;
          if (!sub.u32(&func) || !name_map(sub, &names->locals[func])) break;
        }
        break;
      }
      case 7:
        name_map(sub, &names->globals);
        break;
      default:
        break;  // labels, types, ... are not used
    }
  }
}

void Decoder::custom_section(Reader& r) {
  CustomSection c;
  if (!name(r, &c.name)) return;
  c.offset = r.pos();
  c.size = r.remaining();
  if (c.name == "name") {
    Reader payload(base_, c.offset, r.end());
    parse_name_section(payload, &m_.names);
  }
  r.skip(c.size);
  m_.customs.push_back(std::move(c));
}

// The message for a body whose bytes end before its final `end`. The spec's
// reference decoder reads on into whatever follows the body, so the suite's
// expected message depends on that next byte; we name the same cases.
std::string missing_end_message(const Module& m, uint32_t code_end) {
  if (code_end >= m.binary.size()) return "unexpected end of section or function (END opcode expected)";
  if (m.binary[code_end] == 0x0B  /* the `end` opcode */)
    return "section size mismatch (function body ends without END opcode)";
  return "END opcode expected";
}

}  // namespace

std::optional<Error> find_malformed_code(const Module& m) {
  for (uint32_t i = 0; i < m.funcs.size(); ++i) {
    const FuncBody& body = m.funcs[i];
    const uint32_t func_index = m.num_imported_funcs + i;
    CodeReader code(m.binary.data(), body.code_offset, body.code_end, uint32_t(m.binary.size()));
    Instr in;
    uint32_t depth = 0;
    bool closed = false;
    while (!closed && !code.at_end()) {
      if (!code.next(&in)) return Error{code.error(), "code", code.error_offset(), func_index, "", true};
      switch (in.op) {
        case Op::Block: case Op::Loop: case Op::If:
          ++depth;
          break;
        case Op::End:
          if (depth == 0) closed = true;
          else --depth;
          break;
        case Op::MemoryInit: case Op::DataDrop:
          if (!m.data_count && !m.datas.empty())
            return Error{"data count section required", "code", in.offset, func_index,
                         std::string(op_info(in.op).name), true};
          break;
        default:
          break;
      }
    }
    if (!closed) return Error{missing_end_message(m, body.code_end), "code", body.code_end, func_index, "", true};
    if (!code.at_end())
      return Error{"section size mismatch: bytes after the function's end", "code", code.pos(), func_index, "", true};
  }
  return std::nullopt;
}


Result<std::shared_ptr<Module>> decode_module(std::vector<uint8_t> bytes) {
  auto module = std::make_shared<Module>();
  module->binary = std::move(bytes);
  Status s = Decoder(*module).run();
  if (!s) {
    Error e = s.error();
    e.malformed = true;
    return e;
  }
  return module;
}

}  // namespace ws
