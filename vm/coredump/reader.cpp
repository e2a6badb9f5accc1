// Wasm binary -> Coredump. The Wasm part (sections, memory and global
// types, data segments) goes through the module decoder; the custom sections
// are parsed here with the same bounds-checked Reader. Every failure is an
// Error naming the section and the file offset.
#include <cstring>

#include "../decoder.h"
#include "../reader.h"
#include "coredump.h"

namespace ws::coredump {
namespace {

Error error_at(const std::string& section, uint32_t offset, const std::string& message) {
  Error e;
  e.message = message;
  e.section = section;
  e.offset = offset;
  e.malformed = true;
  return e;
}

// Reads one custom section's payload. Methods return false after recording
// the first failure; error() turns it into an Error.
class PayloadReader {
 public:
  PayloadReader(const Module& m, const CustomSection& s)
      : r_(m.binary.data(), s.offset, s.offset + s.size), section_(s.name) {
    r_.set_end_message("unexpected end of section");
  }

  bool u32(uint32_t* out) { return r_.u32(out); }
  bool zero_byte(const char* what) {
    uint8_t b;
    if (!r_.u8(&b)) return false;
    if (b != 0) return fail(what, r_.pos() - 1);
    return true;
  }
  bool name(std::string* out) {
    uint32_t len;
    const uint32_t at = r_.pos();
    if (!r_.u32(&len)) return false;
    if (len > r_.remaining()) return fail("name length out of bounds", at);
    out->assign(reinterpret_cast<const char*>(r_.cursor()), len);
    return r_.skip(len);
  }
  // A vector count, checked against what is left (each item takes at least
  // `min_item_bytes`) so a hostile count cannot reserve gigabytes.
  bool count(uint32_t* out, uint32_t min_item_bytes) {
    const uint32_t at = r_.pos();
    if (!r_.u32(out)) return false;
    if (uint64_t(*out) * min_item_bytes > r_.remaining()) return fail("vector count out of bounds", at);
    return true;
  }
  bool value(std::optional<Value>* out) {
    uint8_t type;
    const uint32_t at = r_.pos();
    if (!r_.u8(&type)) return false;
    switch (type) {
      case kMissingValue: *out = std::nullopt; return true;
      case 0x7F: { int32_t v; if (!r_.s32(&v)) return false; *out = Value::make_i32(uint32_t(v)); return true; }
      case 0x7E: { int64_t v; if (!r_.s64(&v)) return false; *out = Value::make_i64(uint64_t(v)); return true; }
      case 0x7D: {
        uint32_t bits;
        if (!r_.f32_bits(&bits)) return false;
        Value v = Value::make_f32(0);
        std::memcpy(&v.f32, &bits, 4);
        *out = v;
        return true;
      }
      case 0x7C: {
        uint64_t bits;
        if (!r_.f64_bits(&bits)) return false;
        Value v = Value::make_f64(0);
        std::memcpy(&v.f64, &bits, 8);
        *out = v;
        return true;
      }
      default: return fail(("bad value type byte 0x" + hex_byte(type)).c_str(), at);
    }
  }
  bool values(std::vector<std::optional<Value>>* out) {
    uint32_t n;
    if (!count(&n, 1)) return false;
    out->resize(n);
    for (auto& v : *out)
      if (!value(&v)) return false;
    return true;
  }
  bool done() {
    if (!r_.at_end()) return fail("unexpected bytes after the section's content", r_.pos());
    return true;
  }
  uint32_t pos() const { return r_.pos(); }
  bool fail(const std::string& message, uint32_t offset) {
    if (message_.empty()) {
      message_ = message;
      offset_ = offset;
    }
    r_.fail("", offset);
    return false;
  }
  Error error() const {
    if (!message_.empty()) return error_at(section_, offset_, message_);
    return error_at(section_, r_.error_offset(), r_.error() ? r_.error() : "malformed");
  }

 private:
  static std::string hex_byte(uint8_t b) {
    const char* digits = "0123456789abcdef";
    return {digits[b >> 4], digits[b & 15]};
  }
  Reader r_;
  std::string section_;
  std::string message_;
  uint32_t offset_ = 0;
};

Status read_core(const Module& m, const CustomSection& s, Coredump* dump) {
  PayloadReader r(m, s);
  if (!r.zero_byte("unknown process-info kind") || !r.name(&dump->executable) || !r.done()) return r.error();
  return Ok{};
}

Status read_modules(const Module& m, const CustomSection& s, Coredump* dump) {
  PayloadReader r(m, s);
  uint32_t n;
  if (!r.count(&n, 2)) return r.error();
  for (uint32_t i = 0; i < n; i++) {
    std::string name;
    if (!r.zero_byte("unknown coremodule kind") || !r.name(&name)) return r.error();
    dump->modules.push_back(std::move(name));
  }
  if (!r.done()) return r.error();
  return Ok{};
}

bool read_indices(PayloadReader& r, std::vector<uint32_t>* out) {
  uint32_t n;
  if (!r.count(&n, 1)) return false;
  out->resize(n);
  for (uint32_t& index : *out)
    if (!r.u32(&index)) return false;
  return true;
}

Status read_instances(const Module& m, const CustomSection& s, Coredump* dump) {
  PayloadReader r(m, s);
  uint32_t n;
  if (!r.count(&n, 4)) return r.error();
  for (uint32_t i = 0; i < n; i++) {
    Coredump::InstanceRecord record;
    if (!r.zero_byte("unknown coreinstance kind") || !r.u32(&record.module_index) ||
        !read_indices(r, &record.memories) || !read_indices(r, &record.globals))
      return r.error();
    dump->instances.push_back(std::move(record));
  }
  if (!r.done()) return r.error();
  return Ok{};
}

Status read_stack(const Module& m, const CustomSection& s, Coredump* dump) {
  PayloadReader r(m, s);
  CoreThread thread;
  uint32_t n;
  if (!r.zero_byte("unknown thread-info kind") || !r.name(&thread.name) || !r.count(&n, 6)) return r.error();
  for (uint32_t i = 0; i < n; i++) {
    CoreFrame frame;
    if (!r.zero_byte("unknown frame kind") || !r.u32(&frame.instance_index) || !r.u32(&frame.func_index) ||
        !r.u32(&frame.code_offset) || !r.values(&frame.locals) || !r.values(&frame.stack))
      return r.error();
    thread.frames.push_back(std::move(frame));
  }
  if (!r.done()) return r.error();
  dump->threads.push_back(std::move(thread));
  return Ok{};
}

// A global's initialiser in a coredump is a single constant instruction.
Result<Value> read_global(const GlobalDef& g, uint32_t index) {
  const std::vector<uint8_t>& b = g.init.bytes;
  Reader r(b.data(), 0, uint32_t(b.size()));
  uint8_t op;
  Value v = Value::null_of(g.type.type);
  bool ok = r.u8(&op);
  if (ok && op == 0x41 && g.type.type == ValType::I32) {
    int32_t x;
    ok = r.s32(&x);
    v.i32 = uint32_t(x);
  } else if (ok && op == 0x42 && g.type.type == ValType::I64) {
    int64_t x;
    ok = r.s64(&x);
    v.i64 = uint64_t(x);
  } else if (ok && op == 0x43 && g.type.type == ValType::F32) {
    ok = r.bytes(&v.f32, 4);
  } else if (ok && op == 0x44 && g.type.type == ValType::F64) {
    ok = r.bytes(&v.f64, 8);
  } else if (ok && op == 0xFD && g.type.type == ValType::V128) {
    uint32_t sub;
    ok = r.u32(&sub) && sub == 12 && r.bytes(v.v128.bytes, 16);
  } else if (ok && op == 0xD0 && is_ref(g.type.type)) {
    ok = r.skip(1);  // the reference type; the value is null
  } else {
    ok = false;
  }
  if (!ok || !r.at_end()) {
    return error_at("global", g.init.offset,
                    "global " + std::to_string(index) + ": initialiser is not a constant of its type");
  }
  return v;
}

Status read_memories(const Module& m, uint64_t max_memory_bytes, Coredump* dump) {
  if (m.num_imported_memories != 0 || m.num_imported_globals != 0 || m.num_imported_funcs != 0 ||
      m.num_imported_tables != 0)
    return error_at("import", 0, "a coredump imports nothing");
  uint64_t total = 0;
  for (size_t i = 0; i < m.memories.size(); i++) {
    uint64_t bytes = m.memories[i].limits.min * kPageSize;
    total += bytes;
    if (m.memories[i].limits.min > kMaxPages || total > max_memory_bytes) {
      return error_at("memory", 0,
                      "memory " + std::to_string(i) + " of " + std::to_string(m.memories[i].limits.min) +
                          " pages exceeds the reader's limit of " + std::to_string(max_memory_bytes >> 20) +
                          " MiB in all");
    }
  }
  dump->memories.resize(m.memories.size());
  for (size_t i = 0; i < m.memories.size(); i++) dump->memories[i].resize(m.memories[i].limits.min * kPageSize);
  for (size_t i = 0; i < m.datas.size(); i++) {
    const DataSegment& seg = m.datas[i];
    const std::string which = "data segment " + std::to_string(i);
    if (seg.mode != SegmentMode::Active) return error_at("data", seg.data_offset, which + " is not active");
    if (seg.memory >= dump->memories.size())
      return error_at("data", seg.data_offset, which + ": no memory " + std::to_string(seg.memory));
    const std::vector<uint8_t>& e = seg.offset.bytes;
    Reader r(e.data(), 0, uint32_t(e.size()));
    uint8_t op;
    int32_t at;
    if (!r.u8(&op) || op != 0x41 || !r.s32(&at) || !r.at_end())
      return error_at("data", seg.offset.offset, which + ": offset is not an i32.const");
    std::vector<uint8_t>& memory = dump->memories[seg.memory];
    const uint64_t start = uint32_t(at);
    if (start + seg.size > memory.size())
      return error_at("data", seg.data_offset, which + " is out of bounds of memory " + std::to_string(seg.memory));
    std::memcpy(memory.data() + start, m.binary.data() + seg.data_offset, seg.size);
  }
  return Ok{};
}

// Indices between the sections must point at something that exists.
Status check_references(const Coredump& dump) {
  for (size_t i = 0; i < dump.instances.size(); i++) {
    const Coredump::InstanceRecord& inst = dump.instances[i];
    const std::string which = "instance " + std::to_string(i);
    if (inst.module_index >= dump.modules.size())
      return error_at("coreinstances", 0, which + ": no module " + std::to_string(inst.module_index));
    for (uint32_t mem : inst.memories)
      if (mem >= dump.memories.size()) return error_at("coreinstances", 0, which + ": no memory " + std::to_string(mem));
    for (uint32_t g : inst.globals)
      if (g >= dump.globals.size()) return error_at("coreinstances", 0, which + ": no global " + std::to_string(g));
  }
  for (size_t t = 0; t < dump.threads.size(); t++) {
    for (size_t f = 0; f < dump.threads[t].frames.size(); f++) {
      uint32_t inst = dump.threads[t].frames[f].instance_index;
      if (inst >= dump.instances.size())
        return error_at("corestack", 0, "thread " + std::to_string(t) + " frame " + std::to_string(f) +
                                            ": no instance " + std::to_string(inst));
    }
  }
  return Ok{};
}

}  // namespace

Result<Coredump> read(const std::vector<uint8_t>& bytes, uint64_t max_memory_bytes) {
  auto decoded = decode_module(bytes);
  if (!decoded) {
    Error e = decoded.error();
    e.message = "not a valid Wasm binary: " + e.message;
    return e;
  }
  const Module& m = **decoded;
  Coredump dump;
  bool saw_core = false, saw_modules = false, saw_instances = false;
  for (const CustomSection& s : m.customs) {
    Status status = Ok{};
    bool* seen = nullptr;
    if (s.name == "core") {
      seen = &saw_core;
      if (!*seen) status = read_core(m, s, &dump);
    } else if (s.name == "coremodules") {
      seen = &saw_modules;
      if (!*seen) status = read_modules(m, s, &dump);
    } else if (s.name == "coreinstances") {
      seen = &saw_instances;
      if (!*seen) status = read_instances(m, s, &dump);
    } else if (s.name == "corestack") {
      status = read_stack(m, s, &dump);
    }
    if (seen != nullptr && *seen) return error_at(s.name, s.offset, "the '" + s.name + "' section appears twice");
    if (seen != nullptr) *seen = true;
    if (!status) return status.error();
  }
  if (!saw_core) return error_at("", 0, "not a coredump: no 'core' section");
  if (!saw_modules || !saw_instances)
    return error_at("", 0, std::string("no '") + (saw_modules ? "coreinstances" : "coremodules") + "' section");

  Status memories = read_memories(m, max_memory_bytes, &dump);
  if (!memories) return memories.error();
  for (size_t i = 0; i < m.globals.size(); i++) {
    auto value = read_global(m.globals[i], uint32_t(i));
    if (!value) return value.error();
    dump.globals.push_back(*value);
  }
  Status refs = check_references(dump);
  if (!refs) return refs.error();
  return dump;
}

}  // namespace ws::coredump
