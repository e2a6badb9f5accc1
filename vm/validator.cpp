// Module-level validation: types of imports and definitions, limits,
// constant expressions, segments, exports, the start function; then every
// function body through FuncValidator.
#include "validator.h"

#include <optional>
#include <string_view>
#include <unordered_set>

#include "code_reader.h"
#include "decoder.h"
#include "func_validator.h"

namespace ws {
namespace {

class ModuleValidator {
 public:
  explicit ModuleValidator(const Module& m) : m_(m), declared_(m.total_funcs(), false) {}
  Status run();

 private:
  Status limits(const Limits& l, uint64_t max_allowed, const char* too_big, const char* section,
                std::optional<uint32_t> offset);
  Status table_type(const TableType& t, const char* section, std::optional<uint32_t> offset) {
    return limits(t.limits, UINT32_MAX, nullptr, section, offset);
  }
  Status memory_type(const MemoryType& t, const char* section, std::optional<uint32_t> offset) {
    return limits(t.limits, kMaxPages, "memory size must be at most 65536 pages (4GiB)", section,
                  offset);
  }
  Status const_expr(const ConstExpr& e, ValType expected, const char* section);
  Status exports();

  const Module& m_;
  std::vector<bool> declared_;  // functions that ref.func may name in code (C.refs)
};

Error module_error(std::string message, const char* section, std::optional<uint32_t> offset) {
  return Error{std::move(message), section, offset, {}, ""};
}

Status ModuleValidator::limits(const Limits& l, uint64_t max_allowed, const char* too_big,
                               const char* section, std::optional<uint32_t> offset) {
  if (l.min > max_allowed || (l.max && *l.max > max_allowed))
    return module_error(too_big, section, offset);
  if (l.max && l.min > *l.max)
    return module_error("size minimum must not be greater than maximum", section, offset);
  return Ok{};
}

// Constant expressions: constants, ref.null, ref.func, global.get of an
// imported immutable global, and (extended-const) i32/i64 add, sub and mul.
// Every ref.func seen here declares its function for use in code.
Status ModuleValidator::const_expr(const ConstExpr& e, ValType expected, const char* section) {
  CodeReader code(e.bytes.data(), 0, uint32_t(e.bytes.size()));
  Instr in;
  uint8_t stack[64];  // deeper expressions are rejected below
  unsigned depth = 0;
  auto fail = [&](std::string message) {
    return Error{std::move(message), section, e.offset + in.offset, {}, std::string(op_info(in.op).name)};
  };
  auto binary = [&](ValType t) -> bool {
    if (depth < 2 || stack[depth - 1] != uint8_t(t) || stack[depth - 2] != uint8_t(t)) return false;
    --depth;
    return true;
  };
  while (!code.at_end()) {
    if (!code.next(&in)) return module_error(code.error(), section, e.offset + code.error_offset());
    if (depth == sizeof stack) return fail("constant expression too deep");
    switch (in.op) {
      case Op::I32Const: stack[depth++] = uint8_t(ValType::I32); break;
      case Op::I64Const: stack[depth++] = uint8_t(ValType::I64); break;
      case Op::F32Const: stack[depth++] = uint8_t(ValType::F32); break;
      case Op::F64Const: stack[depth++] = uint8_t(ValType::F64); break;
      case Op::V128Const: stack[depth++] = uint8_t(ValType::V128); break;
      case Op::RefNull: stack[depth++] = uint8_t(in.type); break;
      case Op::RefFunc:
        if (in.index >= m_.total_funcs()) return fail("unknown function " + std::to_string(in.index));
        declared_[in.index] = true;
        stack[depth++] = uint8_t(ValType::FuncRef);
        break;
      case Op::GlobalGet: {
        if (in.index >= m_.num_imported_globals)
          return fail("unknown global " + std::to_string(in.index));
        const GlobalType& g = m_.global_type(in.index);
        if (g.mutable_) return fail("constant expression required");
        stack[depth++] = uint8_t(g.type);
        break;
      }
      case Op::I32Add: case Op::I32Sub: case Op::I32Mul:
        if (!binary(ValType::I32)) return fail("type mismatch");
        break;
      case Op::I64Add: case Op::I64Sub: case Op::I64Mul:
        if (!binary(ValType::I64)) return fail("type mismatch");
        break;
      default:
        return fail("constant expression required");
    }
  }
  if (depth != 1 || stack[0] != uint8_t(expected))
    return module_error(std::string("type mismatch: constant expression must produce one ") +
                            valtype_name(expected),
                        section, e.offset);
  return Ok{};
}

Status ModuleValidator::exports() {
  std::unordered_set<std::string_view> names;
  names.reserve(m_.exports.size());
  for (const Export& e : m_.exports) {
    if (!names.insert(e.name).second) return module_error("duplicate export name: \"" + e.name + "\"", "export", e.offset);
    uint32_t count = 0;
    switch (e.kind) {
      case ExternKind::Func: count = m_.total_funcs(); break;
      case ExternKind::Table: count = m_.total_tables(); break;
      case ExternKind::Memory: count = m_.total_memories(); break;
      case ExternKind::Global: count = m_.total_globals(); break;
    }
    if (e.index >= count)
      return module_error(std::string("unknown ") + (e.kind == ExternKind::Func ? "function" : extern_kind_name(e.kind)) +
                              " " + std::to_string(e.index),
                          "export", e.offset);
    if (e.kind == ExternKind::Func) declared_[e.index] = true;
  }
  return Ok{};
}

Status ModuleValidator::run() {
  for (const Import& im : m_.imports) {
    Status s = Ok{};
    switch (im.kind) {
      case ExternKind::Func:
        if (im.func_type >= m_.types.size())
          return module_error("unknown type " + std::to_string(im.func_type), "import", im.offset);
        break;
      case ExternKind::Table: s = table_type(im.table, "import", im.offset); break;
      case ExternKind::Memory: s = memory_type(im.memory, "import", im.offset); break;
      case ExternKind::Global: break;
    }
    if (!s) return s;
  }
  for (const FuncBody& f : m_.funcs)
    if (f.type >= m_.types.size())
      return module_error("unknown type " + std::to_string(f.type), "function", std::nullopt);
  for (const TableType& t : m_.tables)
    if (Status s = table_type(t, "table", std::nullopt); !s) return s;
  if (m_.total_memories() > 1) return module_error("multiple memories", "memory", std::nullopt);
  for (const MemoryType& mem : m_.memories)
    if (Status s = memory_type(mem, "memory", std::nullopt); !s) return s;
  for (const GlobalDef& g : m_.globals)
    if (Status s = const_expr(g.init, g.type.type, "global"); !s) return s;
  if (Status s = exports(); !s) return s;
  if (m_.start) {
    if (*m_.start >= m_.total_funcs())
      return module_error("unknown function " + std::to_string(*m_.start), "start", std::nullopt);
    const FuncType& ft = m_.func_type(*m_.start);
    if (!ft.params.empty() || !ft.results.empty())
      return module_error("start function must have type [] -> []", "start", std::nullopt);
  }
  for (const ElemSegment& seg : m_.elems) {
    if (seg.mode == SegmentMode::Active) {
      if (seg.table >= m_.total_tables())
        return module_error("unknown table " + std::to_string(seg.table), "element", seg.section_offset);
      if (m_.table_type(seg.table).elem != seg.type)
        return module_error("type mismatch: element segment type differs from the table's", "element",
                            seg.section_offset);
      if (Status s = const_expr(seg.offset, ValType::I32, "element"); !s) return s;
    }
    for (const ConstExpr& item : seg.items)
      if (Status s = const_expr(item, seg.type, "element"); !s) return s;
  }
  for (const DataSegment& seg : m_.datas) {
    if (seg.mode != SegmentMode::Active) continue;
    if (seg.memory >= m_.total_memories())
      return module_error("unknown memory " + std::to_string(seg.memory), "data", seg.data_offset);
    if (Status s = const_expr(seg.offset, ValType::I32, "data"); !s) return s;
  }

  FuncValidator code(m_, declared_);
  for (uint32_t i = 0; i < m_.funcs.size(); ++i)
    if (Status s = code.validate(m_.num_imported_funcs + i); !s) return s;
  return Ok{};
}

}  // namespace

Status validate_module(const Module& module) {
  Status s = ModuleValidator(module).run();
  if (!s) {
    if (std::optional<Error> malformed = find_malformed_code(module)) return *malformed;
  }
  return s;
}

}  // namespace ws
