// Wasm coredumps in the format of WebAssembly tool-conventions Coredump.md:
// a Wasm binary holding the process image (memory and data segments, globals
// as immutable globals) plus custom sections `core`, `coremodules`,
// `coreinstances` and one `corestack` per thread. Unlike wasmtime we record
// every frame's locals and operand stack.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../error.h"
#include "../runtime.h"

namespace ws::coredump {

// Type byte of a value the coredump does not have ("optimized out").
constexpr uint8_t kMissingValue = 0x01;
// Whether the format has a type byte for `t` (i32, i64, f32, f64).
inline bool has_core_type(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}

// One frame of a `corestack`, youngest first. A value the format cannot
// express (v128, references) is "missing" (type byte 0x01): nullopt.
struct CoreFrame {
  uint32_t instance_index = 0;
  uint32_t func_index = 0;
  uint32_t code_offset = 0;  // relative to the function body start (FuncBody::body_offset)
  std::vector<std::optional<Value>> locals;
  std::vector<std::optional<Value>> stack;
};

struct CoreThread {
  std::string name;               // "main"
  std::vector<CoreFrame> frames;  // youngest first
};

struct Coredump {
  std::string executable;             // `core` section: the program's name
  std::vector<std::string> modules;   // `coremodules`: module names
  struct InstanceRecord {
    uint32_t module_index = 0;
    std::vector<uint32_t> memories;   // indices into the dump's memory space
    std::vector<uint32_t> globals;    // indices into the dump's global space
  };
  std::vector<InstanceRecord> instances;
  std::vector<CoreThread> threads;
  std::vector<std::vector<uint8_t>> memories;  // contents, one per memory
  std::vector<Value> globals;
};

// The process image of `instance` with `threads`' frames.
Coredump capture(const Instance& instance, const std::string& executable,
                 const std::vector<CoreThread>& threads);
// Frames of a paused or trapped thread (Thread::frames / Trap::frames) as a core stack.
CoreThread core_thread(const std::string& name, const Module& module,
                       const std::vector<FrameInfo>& frames);
// The binary (fast: runs of zero bytes are skipped when writing data segments).
std::vector<uint8_t> write(const Coredump& dump);
// Reads a coredump back; an Error names what is wrong and where. Memories
// are materialised, so a dump declaring more than `max_memory_bytes` in all
// (a hostile one declaring 4 GiB of zeros is a few bytes long) is refused.
constexpr uint64_t kDefaultMaxMemoryBytes = uint64_t(1) << 30;
Result<Coredump> read(const std::vector<uint8_t>& bytes, uint64_t max_memory_bytes = kDefaultMaxMemoryBytes);

// The module offset of a frame's instruction (for names, DWARF and
// comparisons with live frames); 0 when the frame does not fit `module`.
uint32_t module_offset(const Module& module, const CoreFrame& frame);

}  // namespace ws::coredump
