// Binary decoding: the reader's LEB128 rules, the instruction reader, the
// opcode tables, and decode_module on hand-written binaries, one per class
// of malformation (asserting message, section and byte offset) and for what
// a well-formed module decodes to.
#include <gtest/gtest.h>

#include <chrono>

#include "vm/code_reader.h"
#include "vm/decoder.h"
#include "vm/reader.h"
#include "wasm_bytes.h"

namespace ws {
namespace {

using namespace ws::test;

Error decode_error(const Bytes& bytes) {
  auto m = decode_module(bytes);
  EXPECT_FALSE(m) << "expected a decode error";
  return m ? Error{} : m.error();
}

std::shared_ptr<Module> decode_ok(const Bytes& bytes) {
  auto m = decode_module(bytes);
  EXPECT_TRUE(m) << m.error().to_string();
  return m ? *m : nullptr;
}

// ---- Reader ----

TEST(Reader, DecodesLeb128Values) {
  const Bytes b = {0xE5, 0x8E, 0x26,              // u32 624485
                   0x7F,                          // s32 -1
                   0x80, 0x80, 0x80, 0x80, 0x78,  // s32 INT32_MIN
                   0x40,                          // s33 -64 (the shortest negative block type)
                   0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F,  // s64 INT64_MIN
                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}; // u64 max
  Reader r(b.data(), 0, uint32_t(b.size()));
  uint32_t u;
  int32_t s;
  int64_t s33, s64;
  uint64_t u64;
  ASSERT_TRUE(r.u32(&u));
  EXPECT_EQ(u, 624485u);
  ASSERT_TRUE(r.s32(&s));
  EXPECT_EQ(s, -1);
  ASSERT_TRUE(r.s32(&s));
  EXPECT_EQ(s, INT32_MIN);
  ASSERT_TRUE(r.s33(&s33));
  EXPECT_EQ(s33, -64);
  ASSERT_TRUE(r.s64(&s64));
  EXPECT_EQ(s64, INT64_MIN);
  ASSERT_TRUE(r.u64(&u64));
  EXPECT_EQ(u64, UINT64_MAX);
  EXPECT_TRUE(r.at_end());
}

struct LebCase {
  Bytes bytes;
  const char* message;
};

TEST(Reader, RejectsOverlongAndOversizedU32) {
  const LebCase cases[] = {
      {{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, "integer representation too long"},
      {{0x80, 0x80, 0x80, 0x80, 0x10}, "integer too large"},  // bit 32 set
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, "integer too large"},
      {{0x80, 0x80}, "unexpected end"},
  };
  for (const LebCase& c : cases) {
    Bytes b = cat({{0x00}, c.bytes});  // error offsets point at the LEB's start
    Reader r(b.data(), 1, uint32_t(b.size()));
    uint32_t v;
    EXPECT_FALSE(r.u32(&v));
    EXPECT_STREQ(r.error(), c.message);
    if (std::string(c.message) != "unexpected end") EXPECT_EQ(r.error_offset(), 1u);
  }
  Bytes max = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  Reader r(max.data(), 0, 5);
  uint32_t v;
  ASSERT_TRUE(r.u32(&v));
  EXPECT_EQ(v, UINT32_MAX);
}

TEST(Reader, SignedUnusedBitsMustExtendTheSign) {
  const LebCase cases[] = {
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x4F}, "integer too large"},  // negative, bits 32..34 clear
      {{0x80, 0x80, 0x80, 0x80, 0x70}, "integer too large"},  // positive, bits 32..34 set
  };
  for (const LebCase& c : cases) {
    Reader r(c.bytes.data(), 0, uint32_t(c.bytes.size()));
    int32_t v;
    EXPECT_FALSE(r.s32(&v));
    EXPECT_STREQ(r.error(), c.message);
  }
  Bytes ok = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F};  // -1 in five bytes
  Reader r(ok.data(), 0, 5);
  int32_t v;
  ASSERT_TRUE(r.s32(&v));
  EXPECT_EQ(v, -1);
}

TEST(Reader, LebCutByTheWindowIsNamedLikeTheReferenceDecoder) {
  // The window ends after two continuation bytes; the buffer goes on.
  Bytes b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Reader overlong(b.data(), 0, 2, uint32_t(b.size()));
  uint32_t v;
  EXPECT_FALSE(overlong.u32(&v));
  EXPECT_STREQ(overlong.error(), "integer representation too long");

  Bytes fine = {0x80, 0x80, 0x01};
  Reader cut(fine.data(), 0, 2, uint32_t(fine.size()));
  cut.set_end_message("unexpected end of section or function");
  EXPECT_FALSE(cut.u32(&v));
  EXPECT_STREQ(cut.error(), "unexpected end of section or function");
  EXPECT_EQ(cut.error_offset(), 2u);
}

// ---- opcodes and CodeReader ----

TEST(Opcodes, EveryOpRoundTripsThroughItsEncoding) {
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& info = op_info(Op(i));
    Op found;
    ASSERT_TRUE(op_from_code(info.prefix, info.code, &found)) << info.name;
    EXPECT_EQ(unsigned(found), i) << info.name;
  }
  Op op;
  EXPECT_FALSE(op_from_code(0, 0x06, &op));     // unassigned byte
  EXPECT_FALSE(op_from_code(0xFC, 18, &op));    // past the last 0xFC op
  EXPECT_FALSE(op_from_code(0xFD, 1000, &op));  // sub-opcode out of range
  EXPECT_FALSE(op_from_code(0xFB, 0, &op));     // not a prefix of 2.0
}

TEST(Opcodes, AccessSizesAndLaneCountsComeFromTheNames) {
  EXPECT_EQ(memory_access_bytes(Op::I32Load), 4u);
  EXPECT_EQ(memory_access_bytes(Op::I64Load8S), 1u);
  EXPECT_EQ(memory_access_bytes(Op::I64Store32), 4u);
  EXPECT_EQ(memory_access_bytes(Op::F64Load), 8u);
  EXPECT_EQ(memory_access_bytes(Op::V128Store), 16u);
  EXPECT_EQ(memory_access_bytes(Op::V128Load16x4U), 8u);
  EXPECT_EQ(memory_access_bytes(Op::V128Load32Zero), 4u);
  EXPECT_EQ(memory_access_bytes(Op::V128Load8Splat), 1u);
  EXPECT_EQ(memory_access_bytes(Op::V128Load64Lane), 8u);
  EXPECT_EQ(memory_access_bytes(Op::I32Add), 0u);
  EXPECT_EQ(lane_count(Op::I8x16ExtractLaneU), 16u);
  EXPECT_EQ(lane_count(Op::I16x8ReplaceLane), 8u);
  EXPECT_EQ(lane_count(Op::F32x4ExtractLane), 4u);
  EXPECT_EQ(lane_count(Op::I64x2ReplaceLane), 2u);
  EXPECT_EQ(lane_count(Op::V128Load8Lane), 16u);
  EXPECT_EQ(lane_count(Op::V128Store64Lane), 2u);
  EXPECT_EQ(lane_count(Op::I32Add), 0u);
}

TEST(CodeReader, DecodesImmediates) {
  const Bytes code = {
      0x02, 0x7F,                    // block (result i32)            @0
      0x03, 0x05,                    // loop (type 5)                 @2
      0x41, 0x7F,                    // i32.const -1                  @4
      0x0E, 0x02, 0x01, 0x00, 0x03,  // br_table 1 0 default 3        @6
      0x28, 0x02, 0x90, 0x01,        // i32.load align=2 offset=144   @11
      0x11, 0x04, 0x01,              // call_indirect type 4 table 1  @15
      0x1C, 0x01, 0x7E,              // select (result i64)           @18
      0xD0, 0x6F,                    // ref.null extern               @21
      0xFC, 0x0C, 0x03, 0x02,        // table.init elem 3 table 2     @23
      0xFD, 0x16, 0x0F,              // i8x16.extract_lane_u 15       @27
      0xFD, 0x55, 0x00, 0x08, 0x07,  // v128.load16_lane offset=8 lane 7 @30
      0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,  // f64.const 1.0           @35
      0x0B,                          // end                           @44
  };
  CodeReader r(code.data(), 0, uint32_t(code.size()));
  Instr in;
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.op, Op::Block);
  EXPECT_EQ(in.block.kind, BlockType::Value);
  EXPECT_EQ(in.block.value, ValType::I32);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.block.kind, BlockType::TypeIndex);
  EXPECT_EQ(in.block.type_index, 5u);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.i32(), -1);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.op, Op::BrTable);
  ASSERT_EQ(in.target_count, 2u);
  EXPECT_EQ(in.targets[0], 1u);
  EXPECT_EQ(in.targets[1], 0u);
  EXPECT_EQ(in.index, 3u);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.offset, 11u);
  EXPECT_EQ(in.align, 2u);
  EXPECT_EQ(in.mem_offset, 144u);
  EXPECT_EQ(in.next, 15u);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.index, 4u);
  EXPECT_EQ(in.index2, 1u);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.op, Op::SelectT);
  EXPECT_EQ(in.type_count, 1u);
  EXPECT_EQ(in.type, ValType::I64);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.type, ValType::ExternRef);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.op, Op::TableInit);
  EXPECT_EQ(in.index, 3u);
  EXPECT_EQ(in.index2, 2u);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.op, Op::I8x16ExtractLaneU);
  EXPECT_EQ(in.lane, 15);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.op, Op::V128Load16Lane);
  EXPECT_EQ(in.mem_offset, 8u);
  EXPECT_EQ(in.lane, 7);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.bits, 0x3FF0000000000000u);
  ASSERT_TRUE(r.next(&in));
  EXPECT_EQ(in.op, Op::End);
  EXPECT_TRUE(r.at_end());
}

struct BadCode {
  Bytes code;
  const char* message;
  uint32_t offset;
};

TEST(CodeReader, RejectsMalformedInstructions) {
  const BadCode cases[] = {
      {{0x01, 0x06}, "illegal opcode", 1},
      {{0xFC, 0x12}, "illegal opcode", 0},
      {{0xFD, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, "integer representation too long", 1},
      {{0x3F, 0x01}, "zero byte expected", 1},        // memory.size
      {{0xFC, 0x0A, 0x00, 0x01}, "zero byte expected", 3},  // memory.copy
      {{0xD0, 0x7F}, "malformed reference type", 1},
      {{0x1C, 0x01, 0x00}, "malformed value type", 2},
      {{0x02, 0x6E}, "malformed value type", 1},      // a negative block type that is no value type
      {{0x41, 0x80}, "unexpected end of section or function", 2},
      {{0x43, 0x00, 0x00}, "unexpected end of section or function", 3},  // where the input ran out
      // A br_table claiming 4 billion labels in 3 bytes fails before allocating.
      {{0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00}, "unexpected end of section or function", 6},
  };
  for (const BadCode& c : cases) {
    CodeReader r(c.code.data(), 0, uint32_t(c.code.size()));
    Instr in;
    bool ok = true;
    while (ok && !r.at_end()) ok = r.next(&in);
    ASSERT_FALSE(ok) << c.message;
    EXPECT_STREQ(r.error(), c.message);
    EXPECT_EQ(r.error_offset(), c.offset) << c.message;
  }
}

// ---- decode_module: malformed binaries ----

struct Malformed {
  const char* what;
  Bytes bytes;
  const char* message;
  const char* section;
  uint32_t offset;
};

TEST(Decoder, RejectsMalformedModulesWithMessageSectionAndOffset) {
  const Malformed cases[] = {
      {"empty", {}, "unexpected end", "", 0},
      {"short magic", {0x00, 0x61, 0x73}, "unexpected end", "", 3},
      {"no version", {0x00, 0x61, 0x73, 0x6D, 0x01}, "unexpected end", "", 5},
      {"bad magic", {0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00}, "magic header not detected", "", 0},
      {"bad version", {0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}, "unknown binary version", "", 4},
      {"section id 13", cat({kHeader, {0x0D, 0x00}}), "malformed section id", "", 8},
      {"section past the end", cat({kHeader, {0x01, 0x05, 0x00}}), "length out of bounds", "type", 10},
      {"section too long for its content", cat({kHeader, section(kTypeId, {0x01, 0x60, 0x00, 0x00, 0x00})}),
       "section size mismatch", "type", 14},
      {"content past the section", cat({kHeader, section(kTypeId, {0x01, 0x60, 0x00})}),
       "unexpected end of section or function", "type", 13},
      {"sections out of order",
       cat({kHeader, section(kFunctionId, {0x00}), section(kTypeId, {0x00})}),
       "unexpected content after last section", "type", 11},
      {"duplicate section", cat({kHeader, section(kTypeId, {0x00}), section(kTypeId, {0x00})}),
       "unexpected content after last section", "type", 11},
      {"overlong count", cat({kHeader, section(kTypeId, {0x80, 0x80, 0x80, 0x80, 0x80, 0x00})}),
       "integer representation too long", "type", 10},
      {"count too large", cat({kHeader, section(kTypeId, {0x80, 0x80, 0x80, 0x80, 0x10})}),
       "integer too large", "type", 10},
      {"bad function type form", cat({kHeader, section(kTypeId, {0x01, 0x61, 0x00, 0x00})}),
       "malformed function type", "type", 11},
      {"bad value type", cat({kHeader, section(kTypeId, {0x01, 0x60, 0x01, 0x40, 0x00})}),
       "malformed value type", "type", 13},
      {"function without code", cat({kHeader, section(kTypeId, vec({functype({}, {})})),
                                     section(kFunctionId, vec({{0x00}}))}),
       "function and code section have inconsistent lengths", "code", 18},
      {"code without function", cat({kHeader, section(kCodeId, vec({body({0x00}, {0x0B})}))}),
       "function and code section have inconsistent lengths", "code", 10},
      {"data count differs", cat({kHeader, section(kDataCountId, {0x02}), section(kDataId, {0x01, 0x01, 0x00})}),
       "data count and data section have inconsistent lengths", "data", 13},
      {"data count without data", cat({kHeader, section(kDataCountId, {0x01})}),
       "data count and data section have inconsistent lengths", "data", 11},
      {"bad UTF-8 in an import name",
       cat({kHeader, section(kImportId, cat({{0x01}, str("m"), {0x02, 0xC0, 0x80}, {0x00, 0x00}}))}),
       "malformed UTF-8 encoding", "import", 14},
      {"surrogate in an export name",
       cat({kHeader, section(kExportId, cat({{0x01, 0x03, 0xED, 0xA0, 0x80}, {0x00, 0x00}}))}),
       "malformed UTF-8 encoding", "export", 12},
      {"bad import kind", cat({kHeader, section(kImportId, cat({{0x01}, str("m"), str("f"), {0x04, 0x00}}))}),
       "malformed import kind", "import", 15},
      {"bad mutability",
       cat({kHeader, section(kImportId, cat({{0x01}, str("m"), str("g"), {0x03, I32, 0x02}}))}),
       "malformed mutability", "import", 17},
      {"bad table element type",
       cat({kHeader, section(kImportId, cat({{0x01}, str("m"), str("t"), {0x01, I32, 0x00, 0x00}}))}),
       "malformed reference type", "import", 16},
      {"limits flag 2", cat({kHeader, section(kMemoryId, {0x01, 0x02, 0x00})}), "integer too large", "memory", 11},
      {"limits flag as LEB", cat({kHeader, section(kMemoryId, {0x01, 0x81, 0x00, 0x00})}),
       "integer representation too long", "memory", 11},
      {"bad export kind", cat({kHeader, section(kExportId, cat({{0x01}, str("e"), {0x04, 0x00}}))}),
       "malformed export kind", "export", 13},
      {"bad elem flags", cat({kHeader, section(kElementId, {0x01, 0x08})}),
       "malformed elements segment kind", "element", 11},
      {"bad elem kind", cat({kHeader, section(kElementId, {0x01, 0x01, 0x01, 0x00})}),
       "malformed element kind", "element", 12},
      {"bad data flags", cat({kHeader, section(kDataId, {0x01, 0x03})}), "malformed data segment kind", "data", 11},
      {"data bytes past the section", cat({kHeader, section(kDataId, {0x01, 0x01, 0x05, 0x61})}),
       "unexpected end of section or function", "data", 14},
      {"const expr without end", cat({kHeader, section(kGlobalId, {0x01, I32, 0x00, 0x41, 0x00})}),
       "unexpected end of section or function", "global", 15},
      {"bad custom section name", cat({kHeader, section(kCustomId, {0x01, 0xFF})}),
       "malformed UTF-8 encoding", "custom", 11},
      {"custom section without name", cat({kHeader, {0x00, 0x00}}),
       "unexpected end of section or function", "custom", 10},
  };
  for (const Malformed& c : cases) {
    SCOPED_TRACE(c.what);
    Error e = decode_error(c.bytes);
    EXPECT_EQ(e.message, c.message);
    EXPECT_EQ(e.section, c.section);
    EXPECT_TRUE(e.malformed);
    ASSERT_TRUE(e.offset.has_value());
    EXPECT_EQ(*e.offset, c.offset);
  }
}

TEST(Decoder, CapsLocalsBeforeAllocating) {
  const Bytes types = section(kTypeId, vec({functype({}, {})}));
  const Bytes funcs = section(kFunctionId, vec({{0x00}}));
  // 50001 locals in one run.
  Error one = decode_error(cat({kHeader, types, funcs, section(kCodeId, vec({body(cat({{0x01}, leb(50001), {I32}}), {0x0B})}))}));
  EXPECT_EQ(one.message, "too many locals");
  EXPECT_EQ(one.section, "code");
  EXPECT_EQ(*one.offset, 23u);  // the run's count
  // Two runs of 4 billion: the sum is checked before anything is expanded.
  Error two = decode_error(cat({kHeader, types, funcs,
                                section(kCodeId, vec({body(cat({{0x02}, leb(UINT32_MAX), {I32}, leb(UINT32_MAX), {I64}}), {0x0B})}))}));
  EXPECT_EQ(two.message, "too many locals");
  // Exactly the cap is fine.
  auto m = decode_ok(cat({kHeader, types, funcs, section(kCodeId, vec({body(cat({{0x01}, leb(kMaxFunctionLocals), {F64}}), {0x0B})}))}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->funcs[0].locals.size(), kMaxFunctionLocals);
}

TEST(Decoder, HugeCountsFailFastWithoutAllocating) {
  const Bytes huge = leb(UINT32_MAX);
  const uint8_t ids[] = {kTypeId, kImportId, kFunctionId, kTableId, kMemoryId, kGlobalId,
                         kExportId, kElementId, kCodeId, kDataId};
  for (uint8_t id : ids) {
    SCOPED_TRACE(int(id));
    auto start = std::chrono::steady_clock::now();
    Error e = decode_error(cat({kHeader, section(id, cat({huge, {0x00, 0x00, 0x00, 0x00, 0x00}}))}));
    EXPECT_FALSE(e.message.empty());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  }
  // Parameter lists too.
  Error e = decode_error(cat({kHeader, section(kTypeId, cat({{0x01, 0x60}, huge, {I32}}))}));
  EXPECT_EQ(e.message, "unexpected end of section or function");
}

TEST(Decoder, MalformedCodeIsReportedBeforeALaterSection) {
  // The spec decodes sections in order, so the body's overlong LEB wins over
  // the junk section id that follows the code section.
  Bytes m = cat({kHeader, section(kTypeId, vec({functype({}, {})})), section(kFunctionId, vec({{0x00}})),
                 section(kCodeId, vec({body({0x00}, {0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B})})),
                 {0x20}});
  Error e = decode_error(m);
  EXPECT_EQ(e.message, "integer representation too long");
  EXPECT_EQ(e.section, "code");
  EXPECT_EQ(*e.func, 0u);
}

// ---- decode_module: what a well-formed module decodes to ----

TEST(Decoder, DecodesAllSections) {
  Bytes bytes =
      WasmBuilder()
          .add(kTypeId, vec({functype({I32, I64}, {F32}), functype({}, {})}))
          .add(kImportId, vec({cat({str("env"), str("f"), {0x00, 0x01}}),
                               cat({str("env"), str("t"), {0x01, EXTERNREF, 0x01, 0x02, 0x08}}),
                               cat({str("env"), str("mem"), {0x02, 0x00, 0x01}}),
                               cat({str("env"), str("g"), {0x03, F64, 0x01}})}))
          .add(kFunctionId, vec({{0x00}, {0x01}}))
          .add(kTableId, vec({{FUNCREF, 0x00, 0x0A}}))
          .add(kGlobalId, vec({{I32, 0x00, 0x41, 0x2A, 0x0B}}))
          .add(kExportId, vec({cat({str("run"), {0x00, 0x02}}), cat({str("memory"), {0x02, 0x00}})}))
          .add(kStartId, {0x02})
          .add(kElementId, vec({{0x00, 0x41, 0x01, 0x0B, 0x02, 0x01, 0x02},              // active, func indices
                                {0x05, EXTERNREF, 0x01, 0xD0, EXTERNREF, 0x0B},          // passive, exprs
                                {0x03, 0x00, 0x01, 0x01}}))                             // declarative
          .add(kDataCountId, {0x02})
          .add(kCodeId, vec({body({0x01, 0x02, I32}, {0x43, 0, 0, 0, 0, 0x0B}), body({0x00}, {0x0B})}))
          .add(kDataId, vec({{0x00, 0x41, 0x08, 0x0B, 0x03, 'a', 'b', 'c'}, {0x01, 0x01, 'z'}}))
          .build();
  auto m = decode_ok(bytes);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->types.size(), 2u);
  EXPECT_EQ(m->types[0].to_string(), "(i32, i64) -> (f32)");
  ASSERT_EQ(m->imports.size(), 4u);
  EXPECT_EQ(m->num_imported_funcs, 1u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  EXPECT_EQ(m->imports[1].table.elem, ValType::ExternRef);
  EXPECT_EQ(m->imports[1].table.limits.min, 2u);
  EXPECT_EQ(m->imports[1].table.limits.max, std::optional<uint64_t>(8));
  EXPECT_TRUE(m->imports[3].global.mutable_);
  EXPECT_EQ(m->total_funcs(), 3u);
  EXPECT_EQ(m->func_type_index(0), 1u);  // the import
  EXPECT_EQ(m->func_type_index(1), 0u);
  EXPECT_EQ(m->func_type(2).to_string(), "() -> ()");
  EXPECT_EQ(m->table_type(0).elem, ValType::ExternRef);
  EXPECT_EQ(m->table_type(1).limits.min, 10u);
  EXPECT_EQ(m->memory_type(0).limits.min, 1u);
  EXPECT_FALSE(m->memory_type(0).limits.max.has_value());
  EXPECT_EQ(m->global_type(0).type, ValType::F64);
  EXPECT_EQ(m->global_type(1).type, ValType::I32);
  EXPECT_EQ(m->globals[0].init.bytes, (Bytes{0x41, 0x2A}));
  EXPECT_EQ(m->binary[m->globals[0].init.offset], 0x41);
  EXPECT_EQ(m->exports[0].name, "run");
  EXPECT_EQ(m->start, std::optional<uint32_t>(2));

  ASSERT_EQ(m->elems.size(), 3u);
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->elems[0].type, ValType::FuncRef);
  EXPECT_EQ(m->elems[0].offset.bytes, (Bytes{0x41, 0x01}));
  ASSERT_EQ(m->elems[0].items.size(), 2u);
  EXPECT_EQ(m->elems[0].items[1].bytes, (Bytes{0xD2, 0x02}));  // function index 2 as ref.func
  EXPECT_EQ(m->binary[m->elems[0].items[1].offset], 0x02);
  EXPECT_EQ(m->elems[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m->elems[1].type, ValType::ExternRef);
  EXPECT_EQ(m->elems[1].items[0].bytes, (Bytes{0xD0, EXTERNREF}));
  EXPECT_EQ(m->elems[2].mode, SegmentMode::Declarative);

  ASSERT_EQ(m->funcs.size(), 2u);
  const FuncBody& f = m->funcs[0];
  EXPECT_EQ(f.locals, (std::vector<ValType>{ValType::I32, ValType::I32}));
  EXPECT_EQ(f.code_offset, f.body_offset + 3);  // after the one local run
  EXPECT_EQ(m->binary[f.code_offset], 0x43);
  EXPECT_EQ(f.code_end, f.code_offset + 6);
  EXPECT_EQ(m->binary[f.code_end - 1], 0x0B);
  EXPECT_EQ(m->binary[f.body_offset - 1], 0x09);  // the body's size precedes it

  EXPECT_EQ(m->data_count, std::optional<uint32_t>(2));
  ASSERT_EQ(m->datas.size(), 2u);
  EXPECT_EQ(m->datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->datas[0].size, 3u);
  EXPECT_EQ(std::string(m->binary.begin() + m->datas[0].data_offset,
                        m->binary.begin() + m->datas[0].data_offset + 3), "abc");
  EXPECT_EQ(m->datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[1].size, 1u);
}

Bytes name_subsection(uint8_t id, const Bytes& content) { return cat({{id}, leb(uint32_t(content.size())), content}); }

TEST(Decoder, KeepsCustomSectionsAndReadsTheNameSection) {
  Bytes names = cat({str("name"),
                     name_subsection(0, str("mod")),
                     name_subsection(1, vec({cat({{0x01}, str("$run")})})),
                     name_subsection(2, vec({cat({{0x01}, vec({cat({{0x00}, str("x")}), cat({{0x01}, str("y")})})})})),
                     name_subsection(7, vec({cat({{0x00}, str("counter")})}))});
  Bytes bytes = cat({WasmBuilder()
                         .add(kTypeId, vec({functype({I32}, {})}))
                         .add(kImportId, vec({cat({str("env"), str("imp"), {0x00, 0x00}})}))
                         .add(kFunctionId, vec({{0x00}}))
                         .add(kExportId, vec({cat({str("exported"), {0x00, 0x00}})}))
                         .add(kCodeId, vec({body({0x00}, {0x0B})}))
                         .build(),
                     section(kCustomId, cat({str("producers"), {1, 2, 3}})),
                     section(kCustomId, names)});
  auto m = decode_ok(bytes);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->customs.size(), 2u);
  EXPECT_EQ(m->customs[0].name, "producers");
  EXPECT_EQ(m->customs[0].size, 3u);
  EXPECT_EQ(m->binary[m->customs[0].offset], 1);
  EXPECT_EQ(m->customs[1].name, "name");
  EXPECT_EQ(m->names.module, "mod");
  EXPECT_EQ(m->names.functions.at(1), "$run");
  EXPECT_EQ(m->names.locals.at(1).at(0), "x");
  EXPECT_EQ(m->names.locals.at(1).at(1), "y");
  EXPECT_EQ(m->names.globals.at(0), "counter");
  EXPECT_EQ(m->func_display_name(1), "$run");
  EXPECT_EQ(m->func_display_name(0), "exported");  // export name beats import name
}

TEST(Decoder, MalformedNameSectionDoesNotRejectTheModule) {
  // Function names decode; the local-names subsection is cut short; the
  // module name's subsection claims more bytes than the section has.
  Bytes names = cat({str("name"),
                     name_subsection(1, vec({cat({{0x00}, str("f")})})),
                     name_subsection(2, {0x05, 0x00, 0x09}),
                     {0x00, 0x7F, 0x01}});
  Bytes bytes = cat({one_function({}, {}, {0x00}, {0x0B}), section(kCustomId, names)});
  auto m = decode_ok(bytes);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->names.functions.at(0), "f");
  EXPECT_EQ(m->names.module, "");
  EXPECT_EQ(m->customs.size(), 1u);
}

TEST(Decoder, DisplayNamesFallBackToImportAndIndex) {
  auto m = decode_ok(WasmBuilder()
                         .add(kTypeId, vec({functype({}, {})}))
                         .add(kImportId, vec({cat({str("env"), str("log"), {0x00, 0x00}})}))
                         .add(kFunctionId, vec({{0x00}}))
                         .add(kCodeId, vec({body({0x00}, {0x0B})}))
                         .build());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->func_display_name(0), "env.log");
  EXPECT_EQ(m->func_display_name(1), "func[1]");
}

// ---- small printers ----

TEST(Types, NamesAndPrinting) {
  EXPECT_STREQ(valtype_name(ValType::V128), "v128");
  EXPECT_STREQ(valtype_name(ValType::ExternRef), "externref");
  ValType t;
  EXPECT_TRUE(valtype_from_byte(0x70, &t));
  EXPECT_EQ(t, ValType::FuncRef);
  EXPECT_FALSE(valtype_from_byte(0x40, &t));
  EXPECT_EQ(Value::make_i32(uint32_t(-5)).to_string(), "i32:-5");
  EXPECT_EQ(Value::make_i64(1ull << 40).to_string(), "i64:1099511627776");
  EXPECT_EQ(Value::make_f64(1.5).to_string(), "f64:1.5");
  EXPECT_EQ(Value::make_f32(0.1f).to_string(), "f32:0.100000001");
  EXPECT_EQ(Value::null_of(ValType::FuncRef).to_string(), "funcref:null");
  EXPECT_EQ(Value::make_ref(ValType::ExternRef, 8).to_string(), "externref:7");
  ws::V128 v;
  v.bytes[0] = 0xAB;
  v.bytes[15] = 0x01;
  EXPECT_EQ(Value::make_v128(v).to_string(), "v128:0x010000000000000000000000000000ab");
  EXPECT_EQ((FuncType{{}, {ValType::I32, ValType::F64}}).to_string(), "() -> (i32, f64)");
  EXPECT_STREQ(extern_kind_name(ExternKind::Memory), "memory");
}

TEST(Error, ToStringNamesEverythingKnown) {
  Error e{"type mismatch: expected i32, got f64", "code", 0x1a2, 3, "i32.add"};
  EXPECT_EQ(e.to_string(), "code section, func 3, offset 0x1a2 (i32.add): type mismatch: expected i32, got f64");
  EXPECT_EQ((Error{"magic header not detected", "", 0, {}, ""}).to_string(),
            "offset 0x0: magic header not detected");
  EXPECT_EQ((Error{"bad", "", {}, {}, ""}).to_string(), "bad");
}

}  // namespace
}  // namespace ws
