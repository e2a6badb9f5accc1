// Coredump -> Wasm binary. Memory goes out as active data segments that
// leave out long runs of zero bytes (a fresh 64 MiB heap is mostly zeros),
// found a word at a time.
#include <cstring>

#include "../binary_writer.h"
#include "coredump.h"

namespace ws::coredump {
namespace {

// A zero run shorter than this costs less to store than a new segment header
// (flags, i32.const offset, end, size: up to 13 bytes).
constexpr size_t kMinZeroRun = 32;

void write_value(BinaryWriter& w, const std::optional<Value>& value) {
  if (!value || !has_core_type(value->type)) {
    w.u8(kMissingValue);
    return;
  }
  w.u8(uint8_t(value->type));
  if (value->type == ValType::I32) {
    w.s32(int32_t(value->i32));
  } else if (value->type == ValType::I64) {
    w.s64(int64_t(value->i64));
  } else if (value->type == ValType::F32) {
    uint32_t bits;
    std::memcpy(&bits, &value->f32, 4);
    w.f32_bits(bits);
  } else {
    uint64_t bits;
    std::memcpy(&bits, &value->f64, 8);
    w.f64_bits(bits);
  }
}

void write_values(BinaryWriter& w, const std::vector<std::optional<Value>>& values) {
  w.u32(uint32_t(values.size()));
  for (const std::optional<Value>& v : values) write_value(w, v);
}

uint64_t word_at(const uint8_t* data, size_t i) {
  uint64_t word;
  std::memcpy(&word, data + i, 8);
  return word;
}

// First index >= from whose byte is not zero, or size.
size_t skip_zeros(const uint8_t* data, size_t from, size_t size) {
  size_t i = from;
  while (i < size && (i & 7) != 0 && data[i] == 0) i++;
  if (i < size && data[i] != 0) return i;
  while (i + 8 <= size && word_at(data, i) == 0) i += 8;
  while (i < size && data[i] == 0) i++;
  return i;
}

// End of the segment starting at the non-zero byte `from`: where the next
// zero run of at least kMinZeroRun bytes begins, or the end of the last
// non-zero byte. Such a run always contains an aligned zero word, so only
// aligned words are tested until one is found: one compare per 8 bytes.
size_t segment_end(const uint8_t* data, size_t from, size_t size) {
  size_t i = (from + 8) & ~size_t(7);
  for (;;) {
    while (i + 8 <= size && word_at(data, i) != 0) i += 8;
    if (i + 8 > size) {
      size_t end = size;
      while (end > from && data[end - 1] == 0) end--;
      return end;
    }
    size_t run_start = i;
    while (run_start > from && data[run_start - 1] == 0) run_start--;
    size_t run_end = skip_zeros(data, i, size);
    if (run_end - run_start >= kMinZeroRun || run_end == size) return run_start;
    i = (run_end + 7) & ~size_t(7);
  }
}

void write_const(BinaryWriter& w, const Value& v) {
  switch (v.type) {
    case ValType::I32: w.u8(0x41); w.s32(int32_t(v.i32)); break;
    case ValType::I64: w.u8(0x42); w.s64(int64_t(v.i64)); break;
    case ValType::F32: w.u8(0x43); { uint32_t b; std::memcpy(&b, &v.f32, 4); w.f32_bits(b); } break;
    case ValType::F64: w.u8(0x44); { uint64_t b; std::memcpy(&b, &v.f64, 8); w.f64_bits(b); } break;
    case ValType::V128: w.u8(0xFD); w.u32(12); w.raw(v.v128.bytes, 16); break;
    // A reference cannot be named outside its store: recorded as null.
    case ValType::FuncRef:
    case ValType::ExternRef: w.u8(0xD0); w.u8(uint8_t(v.type)); break;
  }
  w.u8(0x0B);  // end
}

struct Segment {
  uint32_t memory;
  size_t start, end;
};

// The non-zero stretches of every memory.
std::vector<Segment> find_segments(const Coredump& dump) {
  std::vector<Segment> segments;
  for (size_t m = 0; m < dump.memories.size(); m++) {
    const uint8_t* data = dump.memories[m].data();
    const size_t size = dump.memories[m].size();
    for (size_t start = skip_zeros(data, 0, size); start < size;) {
      size_t end = segment_end(data, start, size);
      segments.push_back({uint32_t(m), start, end});
      start = skip_zeros(data, end, size);
    }
  }
  return segments;
}

void segment_header(BinaryWriter& w, const Segment& s) {
  if (s.memory == 0) {
    w.u8(0x00);  // active, memory 0
  } else {
    w.u8(0x02);  // active, explicit memory index
    w.u32(s.memory);
  }
  w.u8(0x41);  // i32.const
  w.s32(int32_t(uint32_t(s.start)));
  w.u8(0x0B);
  w.u32(uint32_t(s.end - s.start));
}

void write_memory_section(BinaryWriter& out, const Coredump& dump) {
  if (dump.memories.empty()) return;
  BinaryWriter memories;
  memories.u32(uint32_t(dump.memories.size()));
  for (const std::vector<uint8_t>& memory : dump.memories) {
    memories.u8(0x00);  // limits: min only
    memories.u32(uint32_t((memory.size() + kPageSize - 1) / kPageSize));
  }
  out.section(uint8_t(SectionId::Memory), memories.bytes());
}

void write_global_section(BinaryWriter& out, const Coredump& dump) {
  if (dump.globals.empty()) return;
  BinaryWriter globals;
  globals.u32(uint32_t(dump.globals.size()));
  for (const Value& v : dump.globals) {
    globals.u8(uint8_t(v.type));
    globals.u8(0x00);  // immutable
    write_const(globals, v);
  }
  out.section(uint8_t(SectionId::Global), globals.bytes());
}

// The data section is as big as the memory: written straight into `out`,
// its size computed first, so the bytes are copied once.
void write_data_section(BinaryWriter& out, const Coredump& dump) {
  std::vector<Segment> segments = find_segments(dump);
  if (segments.empty()) return;
  BinaryWriter head;
  head.u32(uint32_t(segments.size()));
  uint64_t size = head.size();
  for (const Segment& s : segments) {
    head.bytes().clear();
    segment_header(head, s);
    size += head.size() + (s.end - s.start);
  }
  out.bytes().reserve(out.size() + size + 6);
  out.u8(uint8_t(SectionId::Data));
  out.u32(uint32_t(size));
  out.u32(uint32_t(segments.size()));
  for (const Segment& s : segments) {
    segment_header(out, s);
    out.raw(dump.memories[s.memory].data() + s.start, s.end - s.start);
  }
}

}  // namespace

std::vector<uint8_t> write(const Coredump& dump) {
  BinaryWriter out;
  write_wasm_header(out);

  BinaryWriter core;
  core.u8(0x00);
  core.name(dump.executable);
  out.custom_section("core", core.bytes());

  BinaryWriter modules;
  modules.u32(uint32_t(dump.modules.size()));
  for (const std::string& name : dump.modules) {
    modules.u8(0x00);
    modules.name(name);
  }
  out.custom_section("coremodules", modules.bytes());

  BinaryWriter instances;
  instances.u32(uint32_t(dump.instances.size()));
  for (const Coredump::InstanceRecord& instance : dump.instances) {
    instances.u8(0x00);
    instances.u32(instance.module_index);
    instances.u32(uint32_t(instance.memories.size()));
    for (uint32_t m : instance.memories) instances.u32(m);
    instances.u32(uint32_t(instance.globals.size()));
    for (uint32_t g : instance.globals) instances.u32(g);
  }
  out.custom_section("coreinstances", instances.bytes());

  for (const CoreThread& thread : dump.threads) {
    BinaryWriter stack;
    stack.u8(0x00);
    stack.name(thread.name);
    stack.u32(uint32_t(thread.frames.size()));
    for (const CoreFrame& frame : thread.frames) {
      stack.u8(0x00);
      stack.u32(frame.instance_index);
      stack.u32(frame.func_index);
      stack.u32(frame.code_offset);
      write_values(stack, frame.locals);
      write_values(stack, frame.stack);
    }
    out.custom_section("corestack", stack.bytes());
  }

  // Known sections in their required order: memory (5), global (6), data (11).
  write_memory_section(out, dump);
  write_global_section(out, dump);
  write_data_section(out, dump);
  return out.take();
}

}  // namespace ws::coredump
