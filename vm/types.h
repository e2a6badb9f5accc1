// Core WebAssembly types shared by every part of vm/.
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace ws {

// Value types, numbered by their binary encoding.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
};

const char* valtype_name(ValType t);  // "i32", "funcref", ...
inline bool is_ref(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }
bool valtype_from_byte(uint8_t b, ValType* out);

// Number of 8-byte value-stack slots a value of this type occupies.
inline unsigned slot_count(ValType t) { return t == ValType::V128 ? 2 : 1; }

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType& o) const { return params == o.params && results == o.results; }
  bool operator!=(const FuncType& o) const { return !(*this == o); }
  std::string to_string() const;  // "(i32, i64) -> (f32)"
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mutable_ = false;
};

constexpr uint32_t kPageSize = 65536;
constexpr uint32_t kMaxPages = 65536;  // 4 GiB address space of wasm32

// 128-bit SIMD value, stored little-endian.
struct V128 {
  uint8_t bytes[16] = {};
  bool operator==(const V128& o) const { return std::memcmp(bytes, o.bytes, 16) == 0; }
};

// A reference value as the embedder sees it. funcref holds a Function* of the
// store (nullptr = null); externref holds an opaque host value where 0 is
// null, so hosts encode "ref.extern N" as N + 1 (see Value::externref).
struct Value {
  ValType type = ValType::I32;
  union {
    uint32_t i32;
    uint64_t i64;
    float f32;
    double f64;
    uint64_t ref;
    V128 v128;
  };
  Value() : v128{} {}
  static Value make_i32(uint32_t v) { Value x; x.type = ValType::I32; x.i32 = v; return x; }
  static Value make_i64(uint64_t v) { Value x; x.type = ValType::I64; x.i64 = v; return x; }
  static Value make_f32(float v) { Value x; x.type = ValType::F32; x.f32 = v; return x; }
  static Value make_f64(double v) { Value x; x.type = ValType::F64; x.f64 = v; return x; }
  static Value make_v128(const V128& v) { Value x; x.type = ValType::V128; x.v128 = v; return x; }
  static Value make_ref(ValType t, uint64_t r) { Value x; x.type = t; x.ref = r; return x; }
  static Value null_of(ValType t) { Value x; x.type = t; return x; }  // zero / null
  bool is_null() const { return ref == 0; }
  std::string to_string() const;  // "i32:42", "f64:1.5", "funcref:null", ...
};

}  // namespace ws
