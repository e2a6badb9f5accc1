// The decoded form of a WebAssembly module. Produced by the decoder, checked
// by the validator, consumed by the compiler and instantiation. Every item
// keeps the byte offset where it was defined so errors, backtraces and
// coredumps can point into the original binary.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "types.h"

namespace ws {

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char* extern_kind_name(ExternKind k);

struct Import {
  uint32_t offset = 0;  // module offset of the entry
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  // kind == Func: type index
  TableType table;         // kind == Table
  MemoryType memory;       // kind == Memory
  GlobalType global;       // kind == Global
};

struct Export {
  uint32_t offset = 0;  // module offset of the entry
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

// A constant expression (global initialisers, segment offsets, element items),
// kept as its raw bytes without the final `end`; evaluated at instantiation.
struct ConstExpr {
  std::vector<uint8_t> bytes;
  uint32_t offset = 0;  // of the first byte in the module binary
};

struct LocalRun {
  uint32_t count = 0;
  ValType type = ValType::I32;
};

// A function defined by the module (imports are not in Module::funcs).
struct FuncBody {
  uint32_t type = 0;               // type index
  std::vector<ValType> locals;     // declared locals, expanded (params excluded)
  uint32_t body_offset = 0;        // module offset of the body's size-prefixed entry
                                   // start (= where its local declarations begin);
                                   // coredump `codeoffset`s are relative to this
  uint32_t code_offset = 0;        // module offset of the first instruction
  uint32_t code_end = 0;           // module offset just past the final `end`
};

struct GlobalDef {  // a global defined by the module (runtime.h has the runtime Global)
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Passive;
  ValType type = ValType::FuncRef;
  uint32_t table = 0;                // Active only
  ConstExpr offset;                  // Active only
  std::vector<ConstExpr> items;      // each yields one reference
  uint32_t section_offset = 0;
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Passive;  // never Declarative
  uint32_t memory = 0;
  ConstExpr offset;
  uint32_t data_offset = 0;  // module offset of the bytes
  uint32_t size = 0;
};

struct CustomSection {
  std::string name;
  uint32_t offset = 0;  // module offset of the payload (after the name)
  uint32_t size = 0;
};

// Contents of the `name` custom section. Indices are in the combined index
// spaces (imports first).
struct Names {
  std::string module;
  std::map<uint32_t, std::string> functions;
  std::map<uint32_t, std::map<uint32_t, std::string>> locals;  // func -> local -> name
  std::map<uint32_t, std::string> globals;
};

struct Module {
  std::vector<uint8_t> binary;  // the whole module; offsets point into it

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<FuncBody> funcs;
  std::vector<TableType> tables;      // defined tables only
  std::vector<MemoryType> memories;   // defined memories only
  std::vector<GlobalDef> globals;       // defined globals only
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<CustomSection> customs;
  Names names;

  // Filled in by the decoder: the index spaces, imports first.
  uint32_t num_imported_funcs = 0, num_imported_tables = 0;
  uint32_t num_imported_memories = 0, num_imported_globals = 0;
  // Filled in by the decoder: for each imported function / table / memory /
  // global (in index order), its position in `imports`.
  std::vector<uint32_t> func_imports, table_imports, memory_imports, global_imports;
  uint32_t total_funcs() const { return num_imported_funcs + uint32_t(funcs.size()); }
  uint32_t total_tables() const { return num_imported_tables + uint32_t(tables.size()); }
  uint32_t total_memories() const { return num_imported_memories + uint32_t(memories.size()); }
  uint32_t total_globals() const { return num_imported_globals + uint32_t(globals.size()); }

  // Type of any function / table / memory / global in the combined index
  // space. Indices must be in range (validated modules); an out-of-range
  // index yields a default-constructed type rather than undefined behaviour.
  const FuncType& func_type(uint32_t funcidx) const;
  uint32_t func_type_index(uint32_t funcidx) const;
  const TableType& table_type(uint32_t tableidx) const;
  const MemoryType& memory_type(uint32_t memidx) const;
  const GlobalType& global_type(uint32_t globalidx) const;

  // Best display name: name section, then export name, then import
  // "module.name", then "func[N]".
  std::string func_display_name(uint32_t funcidx) const;
};

}  // namespace ws
