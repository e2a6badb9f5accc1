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
#include "clock.h"
#include "handle.h"
#include "random.h"
#include "transport.h"
#include "vfs_memory.h"
#include "wait.h"

namespace ws::wasi {

constexpr const char* kModuleName = "wasi_snapshot_preview1";

struct Preopen {
  Preopen() = default;
  Preopen(std::string host, std::string guest, std::shared_ptr<MemoryFs> in_memory = nullptr)
      : host_path(std::move(host)), guest_path(std::move(guest)), tree(std::move(in_memory)) {}
  // A directory on the host, or a regular file ending in ".zip": that
  // archive, read-only (see zip_archive.h).
  std::string host_path;
  std::string guest_path;  // name the guest sees it under, e.g. "/data" or "."
  // Set: this in-memory tree instead of host_path (see vfs_memory.h).
  std::shared_ptr<MemoryFs> tree;
};

struct WasiConfig {
  std::vector<std::string> args;  // args[0] is the program name
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<Preopen> preopens;  // fds 3, 4, ... in this order
  OutputSink stdout_sink;         // missing: output is discarded
  OutputSink stderr_sink;
  InputSource stdin_source;       // missing: stdin is empty
  // Listening sockets, preopened as the fds after the directories (wasi-libc
  // stops looking for preopened directories at the first fd that is not one).
  std::vector<std::shared_ptr<Listener>> listeners;
  // Reproducible runs: random_get is a PRNG seeded with this, and the clocks
  // are virtual (see clock.h): the same seed gives the same run.
  std::optional<uint64_t> seed;
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

  // After Thread::run() returned Suspended: what the pending call waits for
  // (input, a socket, a timer). The embedder waits for it, then runs again.
  const WaitHint& wait_hint() const { return wait_; }
  std::optional<uint64_t> next_deadline_ns() const { return wait_.deadline_ns; }

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
  // The open fd `number` when it holds every right in `rights`; otherwise
  // nullptr, with *error set to EBADF or ENOTCAPABLE.
  Fd* fd(uint32_t number, uint64_t rights, Errno* error);
  HostResult positioned_io(HostCall& call, bool writing);  // fd_pread, fd_pwrite
  Errno add_fd(std::unique_ptr<Handle> handle, uint32_t* number);  // lowest free number
  // A new host function in `store` for the preview1 function `name`.
  Function* host_function(Store& store, const std::string& name);

  // A blocking read or write on `handle` that would wait: records what for
  // in wait_ and suspends the thread (the call is retried when it resumes).
  HostResult suspend_on(Handle& handle, bool write);

  // A poll_oneoff that suspended, so its retry keeps the same deadlines
  // (a relative timeout counts from the first attempt).
  struct PendingPoll {
    const Thread* thread = nullptr;
    uint32_t in = 0, out = 0, count = 0;
    std::vector<uint64_t> deadlines;  // per subscription, on clocks_'s timeline
  };

  WasiConfig config_;
  Clocks clocks_ = Clocks::host();
  Entropy entropy_;
  WaitHint wait_;
  std::optional<PendingPoll> pending_poll_;
  std::vector<std::unique_ptr<Fd>> fds_;  // index = fd number; null = closed
};

}  // namespace ws::wasi
