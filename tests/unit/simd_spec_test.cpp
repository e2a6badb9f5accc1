// Cross-checks vm/simd_ops.h against the spec suite's simd_*.wast files,
// without the interpreter: wast2json turns each script into JSON + .wasm
// modules; every assert_return whose function body is exactly
//   local.get 0 .. local.get n-1, one 0xFD instruction (+ immediates), end
// is evaluated by calling simd::<Op id> on the arguments. Functions of any
// other shape (memory, constants, several instructions) are left to the spec
// runner. Skipped when wast2json or the suite is not available.
#include "vm/simd_ops.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <cstdio>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ws {
namespace {

namespace fs = std::filesystem;

// ---- Minimal JSON reader for wast2json output ----
struct Json {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  std::string text;  // String, or Number's spelling
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json* get(const std::string& key) const {
    for (const auto& m : members)
      if (m.first == key) return &m.second;
    return nullptr;
  }
  std::string str(const std::string& key) const {
    const Json* j = get(key);
    return j && j->kind == String ? j->text : std::string();
  }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& s) : s_(s) {}
  bool parse(Json* out) { return value(out) && (skip_ws(), pos_ == s_.size()); }

 private:
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool string(std::string* out) {
    if (!eat('"')) return false;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') { out->push_back(c); continue; }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      switch (e) {
        case 'n': out->push_back('\n'); break;
        case 't': out->push_back('\t'); break;
        case 'r': out->push_back('\r'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return false;
          unsigned cp = std::stoul(s_.substr(pos_, 4), nullptr, 16);
          pos_ += 4;
          if (cp < 0x80) {
            out->push_back(char(cp));
          } else if (cp < 0x800) {
            out->push_back(char(0xC0 | (cp >> 6)));
            out->push_back(char(0x80 | (cp & 0x3F)));
          } else {
            out->push_back(char(0xE0 | (cp >> 12)));
            out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(char(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: out->push_back(e); break;
      }
    }
    return eat('"');
  }
  bool value(Json* out) {
    skip_ws();
    if (pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '"') return out->kind = Json::String, string(&out->text);
    if (c == '[') {
      ++pos_;
      out->kind = Json::Array;
      if (eat(']')) return true;
      do {
        out->items.emplace_back();
        if (!value(&out->items.back())) return false;
      } while (eat(','));
      return eat(']');
    }
    if (c == '{') {
      ++pos_;
      out->kind = Json::Object;
      if (eat('}')) return true;
      do {
        std::string key;
        if (!string(&key) || !eat(':')) return false;
        out->members.emplace_back(std::move(key), Json());
        if (!value(&out->members.back().second)) return false;
      } while (eat(','));
      return eat('}');
    }
    for (const char* word : {"true", "false", "null"}) {
      if (s_.compare(pos_, std::strlen(word), word) == 0) {
        pos_ += std::strlen(word);
        out->kind = word[0] == 'n' ? Json::Null : Json::Bool;
        out->text = word;
        return true;
      }
    }
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == '+' || s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E'))
      ++pos_;
    out->kind = Json::Number;
    out->text = s_.substr(start, pos_ - start);
    return pos_ > start;
  }

  const std::string& s_;
  size_t pos_ = 0;
};

// ---- Just enough of the binary format to find single-instruction bodies ----
struct Reader {
  const std::vector<uint8_t>& b;
  size_t pos;
  size_t end;
  bool ok = true;
  uint8_t byte() {
    if (pos >= end) return ok = false, 0;
    return b[pos++];
  }
  uint32_t u32() {
    uint32_t r = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
      uint8_t x = byte();
      r |= uint32_t(x & 0x7F) << shift;
      if (!(x & 0x80)) return r;
    }
    return ok = false, 0;
  }
  void skip(size_t n) {
    if (end - pos < n) ok = false, pos = end;
    else pos += n;
  }
  void limits() {
    uint8_t flags = byte();
    u32();
    if (flags & 1) u32();
  }
};

// The instruction a single-op function applies to its parameters in order.
struct SingleOp {
  Op op = Op::Nop;
  std::vector<uint8_t> imm;  // Lane: 1 byte, Shuffle / V128: 16 bytes
  size_t param_count = 0;
};

// Exported function name -> its single SIMD instruction, for functions of
// that shape.
std::map<std::string, SingleOp> single_simd_ops(const std::vector<uint8_t>& wasm) {
  std::map<std::string, SingleOp> result;
  std::vector<size_t> type_params;  // param count per type
  std::vector<uint32_t> func_types;  // type index per function (imports first)
  std::map<std::string, uint32_t> exports;
  std::map<uint32_t, std::pair<size_t, size_t>> bodies;  // defined func index -> [begin, end)
  uint32_t imported_funcs = 0;
  Reader r{wasm, 8, wasm.size()};
  if (wasm.size() < 8) return result;
  while (r.ok && r.pos < r.end) {
    uint8_t id = r.byte();
    uint32_t size = r.u32();
    size_t section_end = r.pos + size;
    if (!r.ok || section_end > wasm.size()) return result;
    Reader s{wasm, r.pos, section_end};
    if (id == 1) {
      for (uint32_t n = s.u32(); n-- && s.ok;) {
        s.byte();  // 0x60
        uint32_t params = s.u32();
        for (uint32_t i = 0; i < params; ++i) s.byte();
        type_params.push_back(params);
        for (uint32_t results = s.u32(); results--;) s.byte();
      }
    } else if (id == 2) {
      for (uint32_t n = s.u32(); n-- && s.ok;) {
        s.skip(s.u32());
        s.skip(s.u32());
        switch (s.byte()) {
          case 0: func_types.push_back(s.u32()); ++imported_funcs; break;
          case 1: s.byte(); s.limits(); break;
          case 2: s.limits(); break;
          case 3: s.byte(); s.byte(); break;
          default: return result;
        }
      }
    } else if (id == 3) {
      for (uint32_t n = s.u32(); n-- && s.ok;) func_types.push_back(s.u32());
    } else if (id == 7) {
      for (uint32_t n = s.u32(); n-- && s.ok;) {
        uint32_t len = s.u32();
        if (!s.ok || s.end - s.pos < len) return result;
        std::string name(wasm.begin() + s.pos, wasm.begin() + s.pos + len);
        s.skip(len);
        uint8_t kind = s.byte();
        uint32_t index = s.u32();
        if (kind == 0) exports[name] = index;
      }
    } else if (id == 10) {
      uint32_t n = s.u32();
      for (uint32_t i = 0; i < n && s.ok; ++i) {
        uint32_t len = s.u32();
        bodies[imported_funcs + i] = {s.pos, s.pos + len};
        s.skip(len);
      }
    }
    r.pos = section_end;
  }
  for (const auto& [name, index] : exports) {
    auto body = bodies.find(index);
    if (body == bodies.end() || index >= func_types.size() || func_types[index] >= type_params.size()) continue;
    SingleOp single;
    single.param_count = type_params[func_types[index]];
    Reader c{wasm, body->second.first, body->second.second};
    if (c.u32() != 0) continue;  // declares locals
    bool shape_ok = true;
    for (size_t i = 0; i < single.param_count && shape_ok; ++i)
      shape_ok = c.byte() == 0x20 && c.u32() == i;
    if (!shape_ok || c.byte() != 0xFD) continue;
    uint32_t code = c.u32();
    bool found = false;
    for (unsigned i = 0; i < kOpCount && !found; ++i) {
      if (kOpInfo[i].prefix == 0xFD && kOpInfo[i].code == code) single.op = static_cast<Op>(i), found = true;
    }
    if (!found) continue;
    switch (kOpInfo[static_cast<unsigned>(single.op)].imm) {
      case Imm::None: break;
      case Imm::Lane: single.imm.push_back(c.byte()); break;
      case Imm::Shuffle:
      case Imm::V128:
        for (int i = 0; i < 16; ++i) single.imm.push_back(c.byte());
        break;
      default: continue;  // memory: needs the interpreter
    }
    if (c.byte() == 0x0B && c.ok && c.pos == c.end) result[name] = single;
  }
  return result;
}

// ---- Values ----
uint64_t parse_u64(const std::string& s) {
  return s.size() && s[0] == '-' ? uint64_t(std::strtoll(s.c_str(), nullptr, 10)) : std::strtoull(s.c_str(), nullptr, 10);
}

unsigned lane_bytes(const std::string& lane_type) {
  if (lane_type == "i8") return 1;
  if (lane_type == "i16") return 2;
  if (lane_type == "i32" || lane_type == "f32") return 4;
  return 8;
}

bool parse_value(const Json& j, Value* out) {
  const std::string type = j.str("type");
  const Json* v = j.get("value");
  if (!v) return false;
  if (type == "v128") {
    const std::string lane_type = j.str("lane_type");
    const unsigned width = lane_bytes(lane_type);
    V128 vec;
    if (v->items.size() * width != 16) return false;
    for (size_t i = 0; i < v->items.size(); ++i) {
      uint64_t x = parse_u64(v->items[i].text);
      std::memcpy(vec.bytes + i * width, &x, width);
    }
    *out = Value::make_v128(vec);
    return true;
  }
  const uint64_t x = parse_u64(v->text);
  if (type == "i32") return *out = Value::make_i32(uint32_t(x)), true;
  if (type == "i64") return *out = Value::make_i64(x), true;
  if (type == "f32") {
    float f;
    uint32_t b = uint32_t(x);
    std::memcpy(&f, &b, 4);
    return *out = Value::make_f32(f), true;
  }
  if (type == "f64") {
    double d;
    std::memcpy(&d, &x, 8);
    return *out = Value::make_f64(d), true;
  }
  return false;
}

// Checks `bits` (width bytes) against one expected number or NaN pattern.
bool lane_matches(uint64_t bits, unsigned width, bool is_float, const std::string& expected) {
  if (is_float && expected.rfind("nan:", 0) == 0) {
    const uint64_t exponent = width == 4 ? 0x7F800000ull : 0x7FF0000000000000ull;
    const uint64_t quiet = width == 4 ? 0x00400000ull : 0x0008000000000000ull;
    const uint64_t payload = width == 4 ? 0x007FFFFFull : 0x000FFFFFFFFFFFFFull;
    if ((bits & exponent) != exponent || (bits & quiet) == 0) return false;
    return expected == "nan:arithmetic" || (bits & payload) == quiet;
  }
  const uint64_t mask = width == 8 ? ~0ull : (1ull << (8 * width)) - 1;
  return (bits & mask) == (parse_u64(expected) & mask);
}

bool result_matches(const Value& got, const Json& expected) {
  const std::string type = expected.str("type");
  const Json* v = expected.get("value");
  if (!v || (type == "v128" && got.type != ValType::V128)) return false;
  if (type == "v128") {
    const std::string lane_type = expected.str("lane_type");
    const unsigned width = lane_bytes(lane_type);
    for (size_t i = 0; i < v->items.size(); ++i) {
      uint64_t bits = 0;
      std::memcpy(&bits, got.v128.bytes + i * width, width);
      if (!lane_matches(bits, width, lane_type[0] == 'f', v->items[i].text)) return false;
    }
    return true;
  }
  if (type == "i32") return got.type == ValType::I32 && lane_matches(got.i32, 4, false, v->text);
  if (type == "i64") return got.type == ValType::I64 && lane_matches(got.i64, 8, false, v->text);
  if (type == "f32") {
    uint32_t b;
    std::memcpy(&b, &got.f32, 4);
    return got.type == ValType::F32 && lane_matches(b, 4, true, v->text);
  }
  if (type == "f64") {
    uint64_t b;
    std::memcpy(&b, &got.f64, 8);
    return got.type == ValType::F64 && lane_matches(b, 8, true, v->text);
  }
  return false;
}

// ---- Calling simd::<Op id> on Values ----
template <class T> T from_value(const Value& v) {
  if constexpr (std::is_same<T, V128>::value) return v.v128;
  else if constexpr (std::is_same<T, float>::value) return v.f32;
  else if constexpr (std::is_same<T, double>::value) return v.f64;
  else if constexpr (std::is_same<T, uint64_t>::value) return v.i64;
  else return T(v.i32);
}
template <class T> Value to_value(T x) {
  if constexpr (std::is_same<T, V128>::value) return Value::make_v128(x);
  else if constexpr (std::is_same<T, float>::value) return Value::make_f32(x);
  else if constexpr (std::is_same<T, double>::value) return Value::make_f64(x);
  else if constexpr (std::is_same<T, uint64_t>::value) return Value::make_i64(x);
  else return Value::make_i32(x);
}

// `args` already holds the lane immediate as a trailing i32 for lane forms.
template <class R, class... A, size_t... I>
Value apply(R (*fn)(A...), const std::vector<Value>& args, std::index_sequence<I...>) {
  return to_value(fn(from_value<A>(args[I])...));
}
template <class R, class... A> bool call(R (*fn)(A...), const std::vector<Value>& args, Value* out) {
  if (args.size() != sizeof...(A)) return false;
  *out = apply(fn, args, std::index_sequence_for<A...>());
  return true;
}
bool call(V128 (*fn)(V128, V128, const uint8_t*), const std::vector<Value>& args, const uint8_t* lanes, Value* out) {
  if (args.size() != 2) return false;
  *out = Value::make_v128(fn(args[0].v128, args[1].v128, lanes));
  return true;
}

bool evaluate(const SingleOp& single, std::vector<Value> args, Value* out) {
  const SimdForm form = simd_form(single.op);
  if (form == SimdForm::Shuffle) return call(simd::I8x16Shuffle, args, single.imm.data(), out);
  if (form == SimdForm::Const) {
    V128 imm;
    std::memcpy(imm.bytes, single.imm.data(), 16);
    args.push_back(Value::make_v128(imm));
  }
  if (form == SimdForm::ExtractLane || form == SimdForm::ReplaceLane) args.push_back(Value::make_i32(single.imm[0]));
  switch (single.op) {
#define OP(id, text, prefix, code, imm, params, results) \
  WS_IF_SIMD(prefix, case Op::id: if constexpr (simd_form(Op::id) != SimdForm::Shuffle) return call(simd::id, args, out); break;)
#include "vm/opcodes.def"
#undef OP
    default: break;
  }
  return false;
}

std::string spec_dir() {
  if (const char* env = std::getenv("WS_SPEC_TESTSUITE")) return env;
  return (fs::path(__FILE__).parent_path() / "../../../shared/spec-testsuite").lexically_normal().string();
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string describe(const Value& v) {
  char buf[64];
  switch (v.type) {
    case ValType::I32: std::snprintf(buf, sizeof buf, "i32:0x%08x", v.i32); return buf;
    case ValType::I64: std::snprintf(buf, sizeof buf, "i64:0x%016llx", (unsigned long long)v.i64); return buf;
    case ValType::F32: std::snprintf(buf, sizeof buf, "f32:%a", double(v.f32)); return buf;
    case ValType::F64: std::snprintf(buf, sizeof buf, "f64:%a", v.f64); return buf;
    default: break;
  }
  std::string hex = "v128:";
  for (uint8_t b : v.v128.bytes) {
    std::snprintf(buf, sizeof buf, "%02x ", b);
    hex += buf;
  }
  return hex;
}

struct Tally {
  unsigned assert_returns = 0;
  unsigned checked = 0;
  unsigned passed = 0;
  std::map<Op, unsigned> per_op;
};

void check_script(const fs::path& json_path, Tally* tally) {
  std::ifstream in(json_path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  Json root;
  ASSERT_TRUE(JsonParser(text).parse(&root)) << json_path;
  const Json* commands = root.get("commands");
  ASSERT_NE(commands, nullptr);
  std::map<std::string, SingleOp> current;
  std::map<std::string, std::map<std::string, SingleOp>> named;
  for (const Json& cmd : commands->items) {
    const std::string type = cmd.str("type");
    if (type == "module") {
      current = single_simd_ops(read_file(json_path.parent_path() / cmd.str("filename")));
      if (!cmd.str("name").empty()) named[cmd.str("name")] = current;
      continue;
    }
    if (type != "assert_return") continue;
    ++tally->assert_returns;
    const Json* action = cmd.get("action");
    if (!action || action->str("type") != "invoke") continue;
    const std::map<std::string, SingleOp>& module =
        action->str("module").empty() ? current : named[action->str("module")];
    auto fn = module.find(action->str("field"));
    if (fn == module.end()) continue;
    std::vector<Value> args;
    bool args_ok = true;
    for (const Json& a : action->get("args")->items) {
      args.emplace_back();
      args_ok = args_ok && parse_value(a, &args.back());
    }
    const Json* expected = cmd.get("expected");
    if (!args_ok || !expected || expected->items.size() != 1 || args.size() != fn->second.param_count) continue;
    Value got;
    if (!evaluate(fn->second, args, &got)) continue;
    ++tally->checked;
    ++tally->per_op[fn->second.op];
    if (result_matches(got, expected->items[0])) {
      ++tally->passed;
    } else {
      ADD_FAILURE() << json_path.filename().string() << " line " << cmd.get("line")->text << ": "
                    << op_info(fn->second.op).name << " gave " << describe(got);
    }
  }
}

TEST(SimdSpec, SingleInstructionAssertReturnsMatch) {
  const fs::path core = fs::path(spec_dir()) / "core";
  if (!fs::is_directory(core)) GTEST_SKIP() << "spec suite not found at " << core;
  char dir_template[] = "/tmp/wasmscope_simd_XXXXXX";
  if (!mkdtemp(dir_template)) GTEST_SKIP() << "no temporary directory";
  const fs::path work = dir_template;
  std::vector<fs::path> scripts;
  for (const auto& entry : fs::directory_iterator(core))
    if (entry.path().filename().string().rfind("simd_", 0) == 0 && entry.path().extension() == ".wast")
      scripts.push_back(entry.path());
  std::sort(scripts.begin(), scripts.end());
  ASSERT_FALSE(scripts.empty());

  Tally tally;
  for (const fs::path& script : scripts) {
    const fs::path json = work / (script.stem().string() + ".json");
    const std::string command = "wast2json '" + script.string() + "' -o '" + json.string() + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0) {
      fs::remove_all(work);
      GTEST_SKIP() << "wast2json unavailable or failed on " << script.filename();
    }
    check_script(json, &tally);
  }
  fs::remove_all(work);

  unsigned uncovered = 0;
  std::string uncovered_names;
  for (unsigned i = 0; i < kOpCount; ++i) {
    const SimdForm form = simd_form(static_cast<Op>(i));
    if (form == SimdForm::NotSimd || simd::detail::is_memory(form) || tally.per_op.count(static_cast<Op>(i))) continue;
    ++uncovered;
    uncovered_names += " " + std::string(kOpInfo[i].name);
  }
  std::printf("simd spec cross-check: %u assert_return in %zu scripts, %u single-op cases checked, %u passed; "
              "%zu ops covered, %u non-memory ops without a case:%s\n",
              tally.assert_returns, scripts.size(), tally.checked, tally.passed, tally.per_op.size(), uncovered,
              uncovered_names.c_str());
  EXPECT_GT(tally.checked, 0u);
  EXPECT_EQ(tally.passed, tally.checked);
}

}  // namespace
}  // namespace ws
