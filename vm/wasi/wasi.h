// WASI preview1 for guests run by Wasmscope: the CLI, the desktop app and the
// web page all run `wasi_snapshot_preview1` modules through this one layer.
//
//   WasiConfig config;  config.args = {"prog.wasm", "x"};  config.stdout_sink = ...;
//   auto wasi = Wasi::create(std::move(config));            // opens preopens
//   auto imports = (*wasi)->resolve_imports(store, *module); // Externs in import order
//   auto instance = store.instantiate(module, *imports);
//
// Host functions capture the Wasi object: it must outlive every Store it
// resolved imports for. Guest pointers are bounds-checked (EFAULT), fds are
// checked (EBADF), and paths stay inside the preopened directories.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "../error.h"
#include "../runtime.h"
#include "handle.h"

namespace ws::wasi {

constexpr const char* kModuleName = "wasi_snapshot_preview1";

struct Preopen {
  std::string host_path;   // directory on the host
  std::string guest_path;  // name the guest sees it under, e.g. "/data" or "."
};

struct WasiConfig {
  std::vector<std::string> args;  // args[0] is the program name
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<Preopen> preopens;  // fds 3, 4, ... in this order
  OutputSink stdout_sink;         // missing: output is discarded
  OutputSink stderr_sink;
  InputSource stdin_source;       // missing: stdin is empty
};

class Wasi {
 public:
  // Opens the preopened directories; fails naming the first one that cannot
  // be opened.
  static Result<std::unique_ptr<Wasi>> create(WasiConfig config);
  ~Wasi();

  // The Extern for one of `module`'s imports: a preview1 function, or an
  // Error "unknown import: module.name", or "incompatible import type: ..."
  // naming both types when the module imports it with another kind or type.
  Result<Extern> resolve(Store& store, const Module& module, const Import& import);
  // Externs for all of a module's imports, in order, ready for instantiate().
  Result<std::vector<Extern>> resolve_imports(Store& store, const Module& module);

  // The preview1 implementations, one per WASI_FN in functions.def.
#define WASI_FN(name, params, results) HostResult name(HostCall& call);
#define WASI_NOSYS(name, params, results)
#include "functions.def"
#undef WASI_FN
#undef WASI_NOSYS

 private:
  explicit Wasi(WasiConfig config);
  struct Fd;
  Fd* fd(uint32_t number);        // nullptr: not open
  Errno add_fd(std::unique_ptr<Handle> handle, uint32_t* number);  // lowest free number
  // A new host function in `store` for the preview1 function `name`.
  Function* host_function(Store& store, const std::string& name);

  WasiConfig config_;
  std::vector<std::unique_ptr<Fd>> fds_;  // index = fd number; null = closed
};

}  // namespace ws::wasi
