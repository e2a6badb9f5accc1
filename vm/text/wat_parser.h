// The `.wat` module parser: tokens in, binary module out. Internal to
// vm/text/; the public entry points are in wast.h.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "../binary_writer.h"
#include "../error.h"
#include "../module.h"
#include "../opcodes.h"
#include "../types.h"
#include "lexer.h"

// Returns the error of a failed Status / Result from the enclosing function.
#define WS_TRY(expr)                            \
  do {                                          \
    auto ws_status_ = (expr);                   \
    if (!ws_status_) return ws_status_.error(); \
  } while (0)

namespace ws::text {

struct ModuleOptions {
  bool emit_names = true;  // write a `name` section for $identifiers
};

// Parses module fields from lexed.tokens[*pos] up to, not including, the
// ')' that closes the module (or Eof), and advances *pos to it.
// `module_id` is the module's own $name ("" if none), for the name section.
Result<std::vector<uint8_t>> parse_module_fields(const Lexed& lexed, size_t* pos,
                                                 std::string_view module_id,
                                                 const ModuleOptions& options = {});

// Identifier-resolving recursive descent over one module's tokens. Pass 1
// (scan) binds every $id and counts each index space, so references may
// point forward; pass 2 parses each field and encodes it into its section.
class ModuleParser {
 public:
  ModuleParser(const Lexed& lexed, size_t pos, std::string_view module_id,
               const ModuleOptions& options);
  Result<std::vector<uint8_t>> run(size_t* end_pos);

 private:
  enum Space { kType, kFunc, kTable, kMemory, kGlobal, kElem, kData, kSpaceCount };

  struct IndexSpace {
    std::unordered_map<std::string_view, uint32_t> ids;
    uint32_t count = 0;    // pass 1: all definitions
    uint32_t defined = 0;  // pass 2: definitions parsed so far
  };

  // One section's entries and their count.
  struct Entries {
    BinaryWriter bytes;
    uint32_t count = 0;
  };

  // What one function body (or constant expression) can refer to.
  struct FuncScope {
    std::unordered_map<std::string_view, uint32_t> local_ids;
    std::vector<std::string_view> labels;  // innermost last; "" if unnamed
  };

  struct TypeUse {
    uint32_t index = 0;
    FuncType type;                        // empty if the index names no type
    std::vector<const Token*> param_ids;  // one per param, nullptr if unnamed
  };

  struct ElemItem {
    std::vector<uint8_t> expr;         // without the final `end`
    std::optional<uint32_t> func;      // set when expr is exactly `ref.func x`
  };

  // ---- tokens ----
  const Token& peek(size_t ahead = 0) const;
  const Token& next() { const Token& t = peek(); advance(); return t; }
  void advance() { if (pos_ < last_) pos_++; }
  bool at(TokenKind k, size_t ahead = 0) const { return peek(ahead).kind == k; }
  bool at_atom(std::string_view text, size_t ahead = 0) const;
  bool at_list(std::string_view keyword, size_t ahead = 0) const;  // "(" keyword
  bool at_index(size_t ahead = 0) const;  // an $id or an unsigned number
  Error error_at(const Token& t, const std::string& message) const;
  Error unexpected() const;
  Status expect_rparen();
  Status expect_list(std::string_view keyword);  // consumes "(" keyword

  // ---- pass 1 ----
  Status scan();
  Status bind(Space space, const Token* id);
  Status note_import(const Token& where);
  void note_definition(const char* kind);

  // ---- shared pieces ----
  Result<ValType> parse_valtype();
  Result<ValType> parse_reftype();
  Result<uint32_t> parse_u32();
  Result<uint32_t> parse_index(Space space);
  Result<std::string> parse_name();
  Status parse_limits(Limits* limits);
  Result<GlobalType> parse_globaltype();
  Status parse_params_results(FuncType* type, std::vector<const Token*>* param_ids,
                              bool allow_ids);
  Result<TypeUse> parse_typeuse(bool allow_param_ids);
  uint32_t find_or_add_type(const FuncType& type);
  void add_type(const FuncType& type);
  Status parse_inline_exports(ExternKind kind, uint32_t index);
  Status parse_inline_import(std::string* module, std::string* name);
  void write_import_head(const std::string& module, const std::string& name, ExternKind kind);

  // ---- pass 2: fields ----
  Status parse_field();
  Status parse_type_field();
  Status parse_import_field();
  Status parse_func_field();
  Status parse_table_field();
  Status parse_memory_field();
  Status parse_global_field();
  Status parse_export_field();
  Status parse_start_field();
  Status parse_elem_field();
  Status parse_data_field();
  Status parse_func_body(const TypeUse& use, uint32_t func_index);
  Status parse_offset(BinaryWriter* out);
  Status parse_const_expr(BinaryWriter* out);  // instructions up to ')', then `end`
  Status parse_elem_list(ValType* type, std::vector<ElemItem>* items, bool allow_bare_funcs);
  Status parse_elem_expr(ElemItem* item);
  void write_elem_segment(SegmentMode mode, uint32_t table, const std::vector<uint8_t>& offset,
                          ValType type, const std::vector<ElemItem>& items);
  void write_data_segment(SegmentMode mode, uint32_t memory, const std::vector<uint8_t>& offset,
                          const std::string& bytes);

  // ---- instructions (wat_instructions.cpp) ----
  Status parse_instrs(FuncScope& scope, BinaryWriter& out);
  Status parse_instr(FuncScope& scope, BinaryWriter& out);
  Status parse_folded(FuncScope& scope, BinaryWriter& out);
  Status parse_folded_nested(FuncScope& scope, BinaryWriter& out);
  Status parse_plain(FuncScope& scope, BinaryWriter& out);
  Status parse_block(Op op, FuncScope& scope, BinaryWriter& out);
  Status parse_folded_block(Op op, FuncScope& scope, BinaryWriter& out);
  void parse_label_decl(FuncScope& scope);
  Status parse_end_label(const FuncScope& scope);
  Status parse_block_type(BinaryWriter& out);
  Status parse_immediates(Op op, FuncScope& scope, BinaryWriter& out);
  Result<uint32_t> parse_label_ref(const FuncScope& scope);
  Result<uint32_t> parse_local_ref(const FuncScope& scope);
  Status parse_memarg(Op op, BinaryWriter& out);
  Result<uint8_t> parse_lane_index();
  Status parse_v128_const(BinaryWriter& out);
  Status parse_number(Imm kind, BinaryWriter& out);

  const Lexed& lx_;
  size_t pos_;
  size_t last_;  // index of the Eof token
  std::string_view module_id_;
  ModuleOptions options_;

  IndexSpace spaces_[kSpaceCount];
  std::vector<FuncType> types_;
  std::map<std::vector<uint8_t>, uint32_t> type_lookup_;  // encoded signature -> first index
  unsigned depth_ = 0;  // nesting of blocks and folded instructions
  const char* first_definition_ = nullptr;  // "function", ... for "import after ..."
  Entries imports_, funcs_, tables_, memories_, globals_, exports_, elems_, datas_, code_;
  std::optional<uint32_t> start_;
  bool uses_data_count_ = false;
  std::map<uint32_t, std::string> func_names_;
  std::map<uint32_t, std::map<uint32_t, std::string>> local_names_;
};

}  // namespace ws::text
