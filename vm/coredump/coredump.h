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
// Reads a coredump back; an Error names what is wrong and where.
Result<Coredump> read(const std::vector<uint8_t>& bytes);

}  // namespace ws::coredump
