// Validation: one hand-written module per class of invalidity (asserting the
// spec's message, and inside code the function, instruction and offset),
// modules that must be accepted, and agreement with every binary module of
// the spec suite as wast2json writes them out.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "vm/decoder.h"
#include "vm/validator.h"
#include "wasm_bytes.h"

namespace ws {
namespace {

using namespace ws::test;

std::shared_ptr<Module> decode(const Bytes& bytes) {
  auto m = decode_module(bytes);
  EXPECT_TRUE(m) << m.error().to_string();
  return m ? *m : nullptr;
}

void expect_valid(const Bytes& bytes, int line = __builtin_LINE()) {
  SCOPED_TRACE("module of line " + std::to_string(line));
  auto m = decode(bytes);
  ASSERT_TRUE(m);
  Status s = validate_module(*m);
  EXPECT_TRUE(s) << s.error().to_string();
}

Error invalid(const Bytes& bytes) {
  auto m = decode(bytes);
  if (!m) return Error{};
  Status s = validate_module(*m);
  EXPECT_FALSE(s) << "module validated";
  return s ? Error{} : s.error();
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// ---- function bodies ----

struct BadCode {
  const char* what;
  Bytes params, results, locals, code;
  uint32_t at;  // index in `code` of the failing instruction
  const char* instruction;
  const char* message;  // expected prefix
  WasmBuilder extra = {};
};

const Bytes kNoLocals = {0x00};
const Bytes kMemory = vec({{0x00, 0x01}});
const Bytes kFuncTable = vec({{FUNCREF, 0x00, 0x01}});

TEST(Validator, RejectsInvalidCodeWithFunctionInstructionAndOffset) {
  const BadCode cases[] = {
      {"wrong result type", {}, {I32}, kNoLocals, {0x43, 0, 0, 0, 0, 0x0B}, 5, "end",
       "type mismatch: expected i32, got f32"},
      {"operand of the wrong type", {}, {}, kNoLocals, {0x41, 0x00, 0x42, 0x00, 0x6A, 0x1A, 0x0B}, 4, "i32.add",
       "type mismatch: expected i32, got i64"},
      {"operand missing", {}, {}, kNoLocals, {0x41, 0x00, 0x6A, 0x1A, 0x0B}, 2, "i32.add", "type mismatch"},
      {"value left over", {}, {}, kNoLocals, {0x41, 0x00, 0x0B}, 2, "end", "type mismatch"},
      {"unknown local", {I32}, {}, {0x01, 0x01, I64}, {0x20, 0x02, 0x1A, 0x0B}, 0, "local.get", "unknown local 2"},
      {"unknown global", {}, {}, kNoLocals, {0x23, 0x00, 0x1A, 0x0B}, 0, "global.get", "unknown global 0"},
      {"unknown function", {}, {}, kNoLocals, {0x10, 0x05, 0x0B}, 0, "call", "unknown function 5"},
      {"unknown table", {}, {}, kNoLocals, {0x41, 0x00, 0x11, 0x00, 0x00, 0x0B}, 2, "call_indirect",
       "unknown table 0"},
      {"unknown memory", {}, {}, kNoLocals, {0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B}, 2, "i32.load",
       "unknown memory 0"},
      {"memory.size without memory", {}, {}, kNoLocals, {0x3F, 0x00, 0x1A, 0x0B}, 0, "memory.size",
       "unknown memory 0"},
      {"unknown type in call_indirect", {}, {}, kNoLocals, {0x41, 0x00, 0x11, 0x09, 0x00, 0x0B}, 2,
       "call_indirect", "unknown type 9", WasmBuilder().add(kTableId, kFuncTable)},
      {"unknown block type", {}, {}, kNoLocals, {0x02, 0x09, 0x0B, 0x0B}, 0, "block", "unknown type 9"},
      {"unknown label", {}, {}, kNoLocals, {0x0C, 0x01, 0x0B}, 0, "br", "unknown label 1"},
      {"unknown br_table label", {}, {}, kNoLocals, {0x41, 0x00, 0x0E, 0x01, 0x00, 0x02, 0x0B}, 2, "br_table",
       "unknown label 2"},
      {"unknown elem segment", {}, {}, kNoLocals, {0xFC, 0x0D, 0x00, 0x0B}, 0, "elem.drop",
       "unknown elem segment 0"},
      {"unknown data segment", {}, {}, kNoLocals, {0xFC, 0x09, 0x01, 0x0B}, 0, "data.drop",
       "unknown data segment 1", WasmBuilder().add(kDataCountId, {0x00})},
      {"alignment", {}, {}, kNoLocals, {0x41, 0x00, 0x28, 0x03, 0x00, 0x1A, 0x0B}, 2, "i32.load",
       "alignment must not be larger than natural", WasmBuilder().add(kMemoryId, kMemory)},
      {"alignment of a narrow load", {}, {}, kNoLocals, {0x41, 0x00, 0x31, 0x01, 0x00, 0x1A, 0x0B}, 2,
       "i64.load8_u", "alignment must not be larger than natural", WasmBuilder().add(kMemoryId, kMemory)},
      {"lane index", {}, {}, kNoLocals,
       cat({{0xFD, 0x0C}, Bytes(16, 0), {0xFD, 0x15, 0x10, 0x1A, 0x0B}}), 18, "i8x16.extract_lane_s",
       "invalid lane index"},
      {"shuffle lane", {}, {}, kNoLocals,
       cat({{0xFD, 0x0C}, Bytes(16, 0), {0xFD, 0x0C}, Bytes(16, 0), {0xFD, 0x0D}, Bytes(15, 31), {32, 0x1A, 0x0B}}),
       36, "i8x16.shuffle", "invalid lane index"},
      {"memory lane", {}, {}, kNoLocals,
       cat({{0x41, 0x00, 0xFD, 0x0C}, Bytes(16, 0), {0xFD, 0x57, 0x03, 0x00, 0x02, 0x1A, 0x0B}}), 20,
       "v128.load64_lane", "invalid lane index", WasmBuilder().add(kMemoryId, kMemory)},
      {"immutable global", {}, {}, kNoLocals, {0x41, 0x00, 0x24, 0x00, 0x0B}, 2, "global.set",
       "global is immutable", WasmBuilder().add(kGlobalId, vec({{I32, 0x00, 0x41, 0x00, 0x0B}}))},
      {"select with two types", {}, {}, kNoLocals,
       {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C, 0x02, I32, I32, 0x1A, 0x0B}, 6, "select", "invalid result arity"},
      {"untyped select of references", {}, {}, kNoLocals,
       {0xD0, FUNCREF, 0xD0, FUNCREF, 0x41, 0x00, 0x1B, 0x1A, 0x0B}, 6, "select", "type mismatch"},
      {"ref.is_null of a number", {}, {}, kNoLocals, {0x41, 0x00, 0xD1, 0x1A, 0x0B}, 2, "ref.is_null",
       "type mismatch"},
      {"undeclared function reference", {}, {}, kNoLocals, {0xD2, 0x00, 0x1A, 0x0B}, 0, "ref.func",
       "undeclared function reference"},
      {"if without else changing types", {}, {}, kNoLocals, {0x41, 0x01, 0x04, I32, 0x41, 0x00, 0x0B, 0x1A, 0x0B},
       6, "end", "type mismatch"},
      {"else branch of the wrong type", {}, {}, kNoLocals,
       {0x41, 0x01, 0x04, I32, 0x41, 0x00, 0x05, 0x42, 0x00, 0x0B, 0x1A, 0x0B}, 9, "end",
       "type mismatch: expected i32, got i64"},
      {"br_table arities differ", {}, {}, kNoLocals,
       {0x02, I32, 0x41, 0x00, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x0B}, 6, "br_table",
       "type mismatch"},
      {"br_if operand", {}, {}, kNoLocals, {0x02, 0x40, 0x42, 0x00, 0x0D, 0x00, 0x0B, 0x0B}, 4, "br_if",
       "type mismatch: expected i32, got i64"},
      {"return value", {}, {I64}, kNoLocals, {0x41, 0x00, 0x0F, 0x0B}, 2, "return",
       "type mismatch: expected i64, got i32"},
      {"tail call results differ", {}, {I32}, kNoLocals, {0x12, 0x01, 0x0B}, 0, "return_call", "type mismatch",
       WasmBuilder()
           .add(kTypeId, vec({functype({}, {I32}), functype({}, {I64})}))
           .add(kFunctionId, vec({{0x00}, {0x01}}))
           .add(kCodeId, vec({body(kNoLocals, {0x12, 0x01, 0x0B}), body(kNoLocals, {0x42, 0x00, 0x0B})}))},
      {"tail call through a table", {}, {}, kNoLocals, {0x41, 0x00, 0x13, 0x01, 0x00, 0x0B}, 2,
       "return_call_indirect", "type mismatch",
       WasmBuilder()
           .add(kTypeId, vec({functype({}, {}), functype({}, {I32})}))
           .add(kTableId, kFuncTable)},
      {"table.copy between element types", {}, {}, kNoLocals,
       {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x01, 0x0B}, 6, "table.copy", "type mismatch",
       WasmBuilder().add(kTableId, vec({{FUNCREF, 0x00, 0x01}, {EXTERNREF, 0x00, 0x01}}))},
      {"table.set of the wrong reference", {}, {}, kNoLocals, {0x41, 0x00, 0xD0, EXTERNREF, 0x26, 0x00, 0x0B}, 4,
       "table.set", "type mismatch: expected funcref, got externref", WasmBuilder().add(kTableId, kFuncTable)},
  };
  for (const BadCode& c : cases) {
    SCOPED_TRACE(c.what);
    WasmBuilder b = c.extra;
    Bytes bytes = one_function(c.params, c.results, c.locals, c.code, b);
    // Cases that bring their own type/function/code sections keep them.
    auto m = decode(bytes);
    ASSERT_TRUE(m);
    Status s = validate_module(*m);
    ASSERT_FALSE(s);
    const Error& e = s.error();
    EXPECT_TRUE(starts_with(e.message, c.message)) << e.message;
    EXPECT_FALSE(e.malformed);
    EXPECT_EQ(e.section, "code");
    EXPECT_EQ(e.func, std::optional<uint32_t>(0));
    EXPECT_EQ(e.instruction, c.instruction);
    EXPECT_EQ(e.offset, std::optional<uint32_t>(m->funcs[0].code_offset + c.at));
  }
}

TEST(Validator, ReportsTheFunctionIndexInTheCombinedSpace) {
  Bytes bytes = WasmBuilder()
                    .add(kTypeId, vec({functype({}, {})}))
                    .add(kImportId, vec({cat({str("m"), str("f"), {0x00, 0x00}})}))
                    .add(kFunctionId, vec({{0x00}, {0x00}}))
                    .add(kCodeId, vec({body(kNoLocals, {0x0B}), body(kNoLocals, {0x6A, 0x0B})}))
                    .build();
  Error e = invalid(bytes);
  EXPECT_EQ(e.func, std::optional<uint32_t>(2));
  EXPECT_EQ(e.instruction, "i32.add");
  EXPECT_EQ(e.to_string().rfind("code section, func 2, offset 0x", 0), 0u) << e.to_string();
}

TEST(Validator, MalformedCodeWinsOverAnEarlierValidationError) {
  // Function 0 is invalid, function 1 is malformed: the spec decodes all of
  // the code before validating, so the malformation is what it reports.
  Bytes bytes = WasmBuilder()
                    .add(kTypeId, vec({functype({}, {})}))
                    .add(kFunctionId, vec({{0x00}, {0x00}}))
                    .add(kCodeId, vec({body(kNoLocals, {0x6A, 0x0B}), body(kNoLocals, {0x3F, 0x01, 0x1A, 0x0B})}))
                    .build();
  Error e = invalid(bytes);
  EXPECT_EQ(e.message, "zero byte expected");
  EXPECT_TRUE(e.malformed);
  EXPECT_EQ(e.func, std::optional<uint32_t>(1));
}

TEST(Validator, BodyStructureErrors) {
  // No final end.
  Error missing = invalid(one_function({}, {}, kNoLocals, {0x01}));
  EXPECT_TRUE(starts_with(missing.message, "unexpected end of section or function")) << missing.message;
  EXPECT_TRUE(missing.malformed);
  // Bytes after the final end.
  Error extra = invalid(one_function({}, {}, kNoLocals, {0x0B, 0x01}));
  EXPECT_TRUE(starts_with(extra.message, "section size mismatch")) << extra.message;
  EXPECT_TRUE(extra.malformed);
  // else outside if.
  Error stray_else = invalid(one_function({}, {}, kNoLocals, {0x05, 0x0B}));
  EXPECT_EQ(stray_else.instruction, "else");
  // memory.init with data segments but no data count section.
  Error no_count = invalid(WasmBuilder()
                               .add(kTypeId, vec({functype({}, {})}))
                               .add(kFunctionId, vec({{0x00}}))
                               .add(kMemoryId, kMemory)
                               .add(kCodeId, vec({body(kNoLocals, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
                                                                   0xFC, 0x08, 0x00, 0x00, 0x0B})}))
                               .add(kDataId, vec({{0x01, 0x00}}))
                               .build());
  EXPECT_EQ(no_count.message, "data count section required");
  EXPECT_TRUE(no_count.malformed);
  EXPECT_EQ(no_count.instruction, "memory.init");
}

TEST(Validator, AcceptsValidCode) {
  // Stack-polymorphic code after unreachable / br / return.
  expect_valid(one_function({}, {I32}, kNoLocals, {0x00, 0x6A, 0x0B}));  // unreachable; i32.add
  expect_valid(one_function({}, {I32}, kNoLocals, {0x00, 0x1B, 0x0B}));  // unreachable; select
  expect_valid(one_function({}, {}, kNoLocals, {0x00, 0x0E, 0x00, 0x00, 0x0B}));  // unreachable; br_table
  // block; br 0; i32.add (of unknown operands); drop; end; i64.const 7
  expect_valid(one_function({}, {I64}, kNoLocals, {0x02, 0x40, 0x0C, 0x00, 0x6A, 0x1A, 0x0B, 0x42, 0x07, 0x0B}));
  // Multi-value blocks with parameters, typed through the type section.
  expect_valid(WasmBuilder()
                   .add(kTypeId, vec({functype({}, {I32}), functype({I32, I32}, {I32})}))
                   .add(kFunctionId, vec({{0x00}}))
                   .add(kCodeId, vec({body(kNoLocals, {0x41, 0x01, 0x41, 0x02, 0x02, 0x01, 0x6A, 0x0B, 0x0B})}))
                   .build());
  // if with params and else; loop with a branch to its start.
  expect_valid(WasmBuilder()
                   .add(kTypeId, vec({functype({}, {I32}), functype({I32}, {I32})}))
                   .add(kFunctionId, vec({{0x00}}))
                   .add(kCodeId, vec({body(kNoLocals, {0x41, 0x05, 0x41, 0x01, 0x04, 0x01, 0x05, 0x0B,
                                                       0x03, 0x01, 0x0B, 0x0B})}))
                   .build());
  // Typed select of references, ref.func of a declared function, table ops.
  expect_valid(one_function({}, {}, kNoLocals,
                            {0xD2, 0x00, 0xD0, FUNCREF, 0x41, 0x00, 0x1C, 0x01, FUNCREF, 0x1A,
                             0x41, 0x00, 0xD2, 0x00, 0x26, 0x00, 0xFC, 0x10, 0x00, 0x1A, 0x0B},
                            WasmBuilder().add(kTableId, kFuncTable).add(kElementId, vec({{0x03, 0x00, 0x01, 0x00}}))));
  // ref.func declared by an export instead.
  expect_valid(one_function({}, {}, kNoLocals, {0xD2, 0x00, 0x1A, 0x0B},
                            WasmBuilder().add(kExportId, vec({cat({str("f"), {0x00, 0x00}})}))));
  // Tail calls with matching results.
  expect_valid(one_function({}, {I32}, kNoLocals, {0x12, 0x00, 0x0B}));
  expect_valid(one_function({}, {}, kNoLocals, {0x41, 0x00, 0x13, 0x00, 0x00, 0x0B},
                            WasmBuilder().add(kTableId, kFuncTable)));
  // SIMD with lanes in range and natural alignment.
  expect_valid(one_function({}, {}, kNoLocals,
                            cat({{0x41, 0x00, 0xFD, 0x00, 0x04, 0x00},  // v128.load align=16
                                 {0xFD, 0x1F, 0x03, 0x1A, 0x0B}}),      // f32x4.extract_lane 3
                            WasmBuilder().add(kMemoryId, kMemory)));
  // data.drop with a data count section; memory.init without data segments
  // at all only needs the index to exist.
  expect_valid(one_function({}, {}, kNoLocals, {0xFC, 0x09, 0x00, 0x0B},
                            WasmBuilder().add(kDataCountId, {0x01}).add(kDataId, vec({{0x01, 0x00}}))));
}

// ---- module-level rules ----

struct BadModule {
  const char* what;
  Bytes bytes;
  const char* message;  // expected prefix
  const char* section;
};

Bytes with_global(const Bytes& global, const Bytes& imports = {}) {
  WasmBuilder b;
  if (!imports.empty()) b.add(kImportId, imports);
  return b.add(kGlobalId, vec({global})).build();
}

TEST(Validator, RejectsInvalidModules) {
  const Bytes import_i32 = vec({cat({str("m"), str("g"), {0x03, I32, 0x00}})});
  const Bytes import_mut_i32 = vec({cat({str("m"), str("g"), {0x03, I32, 0x01}})});
  const BadModule cases[] = {
      {"non-constant instruction", with_global({I32, 0x00, 0x41, 0x00, 0x68, 0x0B}), "constant expression required",
       "global"},
      {"nop in a constant", with_global({I32, 0x00, 0x01, 0x41, 0x00, 0x0B}), "constant expression required",
       "global"},
      {"constant of the wrong type", with_global({I32, 0x00, 0x42, 0x00, 0x0B}), "type mismatch", "global"},
      {"two constants", with_global({I32, 0x00, 0x41, 0x00, 0x41, 0x00, 0x0B}), "type mismatch", "global"},
      {"empty constant", with_global({I32, 0x00, 0x0B}), "type mismatch", "global"},
      {"extended-const operand types", with_global({I32, 0x00, 0x41, 0x00, 0x42, 0x00, 0x6A, 0x0B}),
       "type mismatch", "global"},
      {"global.get of a defined global", with_global({I32, 0x00, 0x23, 0x00, 0x0B}), "unknown global 0", "global"},
      {"global.get of a mutable import", with_global({I32, 0x00, 0x23, 0x00, 0x0B}, import_mut_i32),
       "constant expression required", "global"},
      {"ref.func of an unknown function", with_global({FUNCREF, 0x00, 0xD2, 0x03, 0x0B}), "unknown function 3",
       "global"},
      {"duplicate export name",
       WasmBuilder().add(kMemoryId, kMemory).add(kExportId, vec({cat({str("x"), {0x02, 0x00}}), cat({str("x"), {0x02, 0x00}})})).build(),
       "duplicate export name", "export"},
      {"export of an unknown function", WasmBuilder().add(kExportId, vec({cat({str("f"), {0x00, 0x00}})})).build(),
       "unknown function 0", "export"},
      {"export of an unknown global", WasmBuilder().add(kExportId, vec({cat({str("g"), {0x03, 0x01}})})).build(),
       "unknown global 1", "export"},
      {"two memories",
       WasmBuilder().add(kImportId, vec({cat({str("m"), str("mem"), {0x02, 0x00, 0x00}})})).add(kMemoryId, kMemory).build(),
       "multiple memories", "memory"},
      {"memory min above max", WasmBuilder().add(kMemoryId, vec({{0x01, 0x02, 0x01}})).build(),
       "size minimum must not be greater than maximum", "memory"},
      {"memory too large", WasmBuilder().add(kMemoryId, vec({cat({{0x00}, leb(65537)})})).build(),
       "memory size must be at most 65536 pages (4GiB)", "memory"},
      {"imported memory max too large",
       WasmBuilder().add(kImportId, vec({cat({str("m"), str("mem"), {0x02, 0x01, 0x00}, leb(70000)})})).build(),
       "memory size must be at most 65536 pages (4GiB)", "import"},
      {"table min above max", WasmBuilder().add(kTableId, vec({{FUNCREF, 0x01, 0x05, 0x04}})).build(),
       "size minimum must not be greater than maximum", "table"},
      {"start function with parameters",
       WasmBuilder()
           .add(kTypeId, vec({functype({I32}, {})}))
           .add(kFunctionId, vec({{0x00}}))
           .add(kStartId, {0x00})
           .add(kCodeId, vec({body(kNoLocals, {0x0B})}))
           .build(),
       "start function", "start"},
      {"unknown start function", WasmBuilder().add(kStartId, {0x00}).build(), "unknown function 0", "start"},
      {"unknown function type", WasmBuilder().add(kFunctionId, vec({{0x00}})).add(kCodeId, vec({body(kNoLocals, {0x0B})})).build(),
       "unknown type 0", "function"},
      {"unknown imported function type", WasmBuilder().add(kImportId, vec({cat({str("m"), str("f"), {0x00, 0x02}})})).build(),
       "unknown type 2", "import"},
      {"element segment for an unknown table", WasmBuilder().add(kElementId, vec({{0x00, 0x41, 0x00, 0x0B, 0x00}})).build(),
       "unknown table 0", "element"},
      {"element type differs from the table's",
       WasmBuilder()
           .add(kTableId, vec({{EXTERNREF, 0x00, 0x01}}))
           .add(kElementId, vec({{0x00, 0x41, 0x00, 0x0B, 0x00}}))
           .build(),
       "type mismatch", "element"},
      {"element offset of the wrong type",
       WasmBuilder().add(kTableId, kFuncTable).add(kElementId, vec({{0x00, 0x42, 0x00, 0x0B, 0x00}})).build(),
       "type mismatch", "element"},
      {"element item of the wrong type",
       WasmBuilder().add(kElementId, vec({{0x05, FUNCREF, 0x01, 0xD0, EXTERNREF, 0x0B}})).build(),
       "type mismatch", "element"},
      {"data segment for an unknown memory", WasmBuilder().add(kDataId, vec({{0x00, 0x41, 0x00, 0x0B, 0x00}})).build(),
       "unknown memory 0", "data"},
      {"data offset of the wrong type",
       WasmBuilder().add(kMemoryId, kMemory).add(kDataId, vec({{0x00, 0x43, 0, 0, 0, 0, 0x0B, 0x00}})).build(),
       "type mismatch", "data"},
  };
  for (const BadModule& c : cases) {
    SCOPED_TRACE(c.what);
    Error e = invalid(c.bytes);
    EXPECT_TRUE(starts_with(e.message, c.message)) << e.message;
    EXPECT_FALSE(e.malformed);
    EXPECT_EQ(e.section, c.section);
  }
}

TEST(Validator, ConstantExpressionErrorsPointAtTheInstruction) {
  Bytes bytes = with_global({I32, 0x00, 0x41, 0x00, 0x68, 0x0B});
  auto m = decode(bytes);
  ASSERT_TRUE(m);
  Status s = validate_module(*m);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().instruction, "i32.ctz");
  EXPECT_EQ(s.error().offset, std::optional<uint32_t>(m->globals[0].init.offset + 2));
}

TEST(Validator, AcceptsValidModules) {
  const Bytes import_i32 = vec({cat({str("m"), str("g"), {0x03, I32, 0x00}})});
  // Extended constant expressions over an imported immutable global.
  expect_valid(with_global({I32, 0x00, 0x23, 0x00, 0x41, 0x02, 0x6C, 0x41, 0x01, 0x6B, 0x0B}, import_i32));
  expect_valid(with_global({I64, 0x01, 0x42, 0x02, 0x42, 0x03, 0x7E, 0x42, 0x01, 0x7C, 0x0B}));
  expect_valid(with_global({V128T, 0x00, 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B}));
  expect_valid(with_global({EXTERNREF, 0x01, 0xD0, EXTERNREF, 0x0B}));
  // Element segments of every form against matching tables; a data segment.
  expect_valid(WasmBuilder()
                   .add(kTypeId, vec({functype({}, {})}))
                   .add(kFunctionId, vec({{0x00}}))
                   .add(kTableId, vec({{FUNCREF, 0x00, 0x02}, {EXTERNREF, 0x00, 0x02}}))
                   .add(kMemoryId, vec({cat({{0x01, 0x00}, leb(65536)})}))
                   .add(kElementId, vec({{0x00, 0x41, 0x00, 0x0B, 0x01, 0x00},
                                         {0x01, 0x00, 0x01, 0x00},
                                         {0x02, 0x00, 0x41, 0x01, 0x0B, 0x00, 0x01, 0x00},
                                         {0x03, 0x00, 0x01, 0x00},
                                         {0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B},
                                         {0x05, EXTERNREF, 0x01, 0xD0, EXTERNREF, 0x0B},
                                         {0x06, 0x01, 0x41, 0x00, 0x0B, EXTERNREF, 0x01, 0xD0, EXTERNREF, 0x0B},
                                         {0x07, FUNCREF, 0x01, 0xD2, 0x00, 0x0B}}))
                   .add(kCodeId, vec({body(kNoLocals, {0x0B})}))
                   .add(kDataId, vec({{0x00, 0x41, 0x00, 0x0B, 0x01, 0x2A}}))
                   .build());
  // Exports of every kind with distinct names; a start function.
  expect_valid(WasmBuilder()
                   .add(kTypeId, vec({functype({}, {})}))
                   .add(kFunctionId, vec({{0x00}}))
                   .add(kTableId, kFuncTable)
                   .add(kMemoryId, kMemory)
                   .add(kGlobalId, vec({{I32, 0x01, 0x41, 0x00, 0x0B}}))
                   .add(kExportId, vec({cat({str("f"), {0x00, 0x00}}), cat({str("t"), {0x01, 0x00}}),
                                        cat({str("m"), {0x02, 0x00}}), cat({str("g"), {0x03, 0x00}})}))
                   .add(kStartId, {0x00})
                   .add(kCodeId, vec({body(kNoLocals, {0x0B})}))
                   .build());
}

// ---- agreement with the spec suite ----

std::string spec_dir() {
  if (const char* env = std::getenv("WASMSCOPE_SPEC_DIR")) return env;
  const std::string here = __FILE__;  // <repo>/tests/unit/validator_test.cpp
  const std::string repo = here.substr(0, here.rfind("tests/unit/"));
  return (repo.empty() ? "." : repo) + "/../shared/spec-testsuite";
}

// The value of "key": "..." on one line of wast2json's output (one command
// per line), or "" when absent.
std::string json_field(const std::string& line, const std::string& key) {
  const std::string pattern = "\"" + key + "\": \"";
  size_t at = line.find(pattern);
  if (at == std::string::npos) return "";
  std::string out;
  for (size_t i = at + pattern.size(); i < line.size() && line[i] != '"'; ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) ++i;
    out += line[i];
  }
  return out;
}

// The digits of "key": 123 on one line, or "".
std::string json_number(const std::string& line, const std::string& key) {
  const std::string pattern = "\"" + key + "\": ";
  size_t at = line.find(pattern);
  if (at == std::string::npos) return "";
  size_t start = at + pattern.size(), end = start;
  while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
  return line.substr(start, end - start);
}

struct Tally {
  int agreed = 0, disagreed = 0, message_differs = 0;
};

TEST(SpecSuite, BinaryModulesAreAcceptedOrRejectedAsTheSuiteSays) {
  const std::string dir = spec_dir();
  if (std::system("wast2json --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "wast2json not installed";
  if (!std::ifstream(dir + "/core/binary.wast")) GTEST_SKIP() << "no spec suite at " << dir;
  char tmp_template[] = "/tmp/ws_spec_XXXXXX";
  const char* tmp = mkdtemp(tmp_template);
  ASSERT_NE(tmp, nullptr);

  Tally tally;
  std::vector<std::string> failures;
  for (const char* group : {"core", "proposals/tail-call", "proposals/extended-const"}) {
    const std::string list_cmd = "ls " + dir + "/" + group + "/*.wast > " + tmp + "/list.txt";
    ASSERT_EQ(std::system(list_cmd.c_str()), 0);
    std::ifstream list(std::string(tmp) + "/list.txt");
    std::string wast;
    while (std::getline(list, wast)) {
      const std::string stem = wast.substr(wast.rfind('/') + 1, wast.size() - wast.rfind('/') - 6);
      const std::string out = std::string(tmp) + "/" + stem + ".json";
      // wast2json 1.0.32 cannot parse a few table_*.wast files; skip those.
      if (std::system(("wast2json --enable-all " + wast + " -o " + out + " 2>/dev/null").c_str()) != 0) continue;
      std::ifstream json(out);
      std::string line;
      while (std::getline(json, line)) {
        const std::string type = json_field(line, "type"), file = json_field(line, "filename");
        if (file.empty() || json_field(line, "module_type") == "text") continue;
        bool expect_valid;
        if (type == "module" || type == "assert_unlinkable" || type == "assert_uninstantiable") expect_valid = true;
        else if (type == "assert_invalid" || type == "assert_malformed") expect_valid = false;
        else continue;
        std::ifstream f(std::string(tmp) + "/" + file, std::ios::binary);
        Bytes bytes((std::istreambuf_iterator<char>(f)), {});
        auto m = decode_module(bytes);
        Status s = m ? validate_module(**m) : Status(m.error());
        const bool valid = bool(s);
        // A rejection must also be of the suite's class (malformed vs invalid).
        const bool wrong_class = !valid && !expect_valid && s.error().malformed != (type == "assert_malformed");
        const std::string where = stem + ".wast:" + json_number(line, "line");
        if (valid != expect_valid || wrong_class) {
          ++tally.disagreed;
          failures.push_back(where + " expected " + (expect_valid ? "valid" : type) + ", got " +
                             (valid ? "valid" : s.error().to_string()));
        } else {
          ++tally.agreed;
          if (!valid && s.error().message.find(json_field(line, "text")) == std::string::npos) ++tally.message_differs;
        }
      }
    }
  }
  std::system(("rm -rf " + std::string(tmp)).c_str());
  std::printf("spec binary modules: %d agree, %d disagree; %d rejections with a different message\n",
              tally.agreed, tally.disagreed, tally.message_differs);
  for (const std::string& f : failures) ADD_FAILURE() << f;
  EXPECT_GT(tally.agreed, 4000);  // the suite was really run (4717 modules with wabt 1.0.32)
}

}  // namespace
}  // namespace ws
