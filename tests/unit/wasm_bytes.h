// Helpers for writing WebAssembly binaries by hand in tests, close to the
// way the spec suite spells them: byte lists, LEB128s, names, vectors and
// sections emitted in the required order.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string_view>
#include <vector>

namespace ws::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes leb(uint32_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
  return out;
}

inline Bytes str(std::string_view s) { return cat({leb(uint32_t(s.size())), Bytes(s.begin(), s.end())}); }

// vec(items): the count, then the items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = leb(uint32_t(items.size()));
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline const Bytes kHeader = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};

inline Bytes section(uint8_t id, const Bytes& payload) {
  return cat({{id}, leb(uint32_t(payload.size())), payload});
}

// A function body entry of the code section: size, local runs, code.
inline Bytes body(const Bytes& locals, const Bytes& code) {
  Bytes content = cat({locals, code});
  return cat({leb(uint32_t(content.size())), content});
}

// Section ids.
enum : uint8_t {
  kCustomId = 0, kTypeId, kImportId, kFunctionId, kTableId, kMemoryId, kGlobalId,
  kExportId, kStartId, kElementId, kCodeId, kDataId, kDataCountId,
};

// Builds a module from section payloads given in any order; they are
// emitted in the order the binary format requires.
class WasmBuilder {
 public:
  WasmBuilder& add(uint8_t id, Bytes payload) {
    sections_[rank(id)] = section(id, payload);
    return *this;
  }
  // Adds the section unless one with this id is already there.
  WasmBuilder& add_default(uint8_t id, Bytes payload) {
    if (!sections_.count(rank(id))) add(id, std::move(payload));
    return *this;
  }
  Bytes build() const {
    Bytes out = kHeader;
    for (const auto& [r, bytes] : sections_) out.insert(out.end(), bytes.begin(), bytes.end());
    return out;
  }

 private:
  static int rank(uint8_t id) { return id == kDataCountId ? 2 * kElementId + 1 : 2 * id; }
  std::map<int, Bytes> sections_;
};

// Value types and common type encodings.
constexpr uint8_t I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, V128T = 0x7B;  // (ws::V128 is the value type)
constexpr uint8_t FUNCREF = 0x70, EXTERNREF = 0x6F;

inline Bytes functype(const Bytes& params, const Bytes& results) {
  return cat({{0x60}, leb(uint32_t(params.size())), params, leb(uint32_t(results.size())), results});
}

// A module with one function of type `params -> results`, the given local
// runs (already encoded as a vector) and code (including the final end),
// plus any extra sections; those in `extra` take precedence.
inline Bytes one_function(const Bytes& params, const Bytes& results, const Bytes& locals,
                          const Bytes& code, WasmBuilder extra = {}) {
  return extra.add_default(kTypeId, vec({functype(params, results)}))
      .add_default(kFunctionId, vec({{0x00}}))
      .add_default(kCodeId, vec({body(locals, code)}))
      .build();
}

}  // namespace ws::test
