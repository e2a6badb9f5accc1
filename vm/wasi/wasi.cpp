#include "wasi.h"

#include "fd.h"
#include "vfs_mount.h"
#include "socket_handle.h"

namespace ws::wasi {
namespace {

FuncType signature(const char* params, const char* results) {
  auto types = [](const char* chars) {
    std::vector<ValType> v;
    for (const char* c = chars; *c; c++) v.push_back(*c == 'l' ? ValType::I64 : ValType::I32);
    return v;
  };
  return FuncType{types(params), types(results)};
}

struct FunctionSpec {
  const char* name;
  FuncType type;
  HostResult (Wasi::*impl)(HostCall&);  // null: not implemented yet (ENOSYS)
};

const std::vector<FunctionSpec>& preview1_functions() {
  static const std::vector<FunctionSpec> specs = {
#define WASI_FN(name, params, results) {#name, signature(params, results), &Wasi::name},
#define WASI_NOSYS(name, params, results) {#name, signature(params, results), nullptr},
#include "functions.def"
#undef WASI_FN
#undef WASI_NOSYS
  };
  return specs;
}

const FunctionSpec* find_spec(const std::string& name) {
  for (const FunctionSpec& s : preview1_functions()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

Error link_error(std::string message) { return Error{std::move(message), "import", {}, {}, ""}; }

}  // namespace

Wasi::Wasi(WasiConfig config) : config_(std::move(config)) {}
Wasi::~Wasi() = default;

Result<std::unique_ptr<Wasi>> Wasi::create(WasiConfig config) {
  std::unique_ptr<Wasi> wasi(new Wasi(std::move(config)));
  auto add_stdio = [&](std::unique_ptr<Handle> h) {
    auto fd = std::make_unique<Fd>();
    fd->handle = std::move(h);
    wasi->fds_.push_back(std::move(fd));
  };
  add_stdio(StreamHandle::input(wasi->config_.stdin_source));
  add_stdio(StreamHandle::output(wasi->config_.stdout_sink));
  add_stdio(StreamHandle::output(wasi->config_.stderr_sink));
  for (const Preopen& p : wasi->config_.preopens) {
    auto dir = open_preopen(p);
    if (!dir) return dir.error();
    auto fd = std::make_unique<Fd>();
    fd->handle = std::move(*dir);
    fd->rights_base = kDirectoryRights;
    fd->rights_inheriting = kDirectoryInheritingRights;
    fd->is_preopen = true;
    fd->preopen_name = p.guest_path;
    wasi->fds_.push_back(std::move(fd));
  }
  for (const std::shared_ptr<Listener>& listener : wasi->config_.listeners) {
    if (listener == nullptr) return Error{"WasiConfig::listeners holds a null listener", "", {}, {}, ""};
    auto fd = std::make_unique<Fd>();
    fd->handle = std::make_unique<ListenerHandle>(listener);
    wasi->fds_.push_back(std::move(fd));
  }
  if (wasi->config_.seed) {
    wasi->clocks_ = Clocks::virtual_time();
    wasi->entropy_ = Entropy(*wasi->config_.seed);
  }
  return wasi;
}

Wasi::Fd* Wasi::fd(uint32_t number) {
  return number < fds_.size() ? fds_[number].get() : nullptr;
}

Errno Wasi::add_fd(std::unique_ptr<Handle> handle, uint32_t* number) {
  uint32_t n = 0;
  while (n < fds_.size() && fds_[n]) n++;
  if (n >= kMaxFds) return kEmfile;
  if (n == fds_.size()) fds_.emplace_back();
  fds_[n] = std::make_unique<Fd>();
  fds_[n]->handle = std::move(handle);
  *number = n;
  return kSuccess;
}

Function* Wasi::host_function(Store& store, const std::string& name) {
  const FunctionSpec* spec = find_spec(name);
  HostFn fn;
  if (spec->impl) {
    auto impl = spec->impl;
    fn = [this, impl](HostCall& call) { return (this->*impl)(call); };
  } else {
    fn = [](HostCall& call) { return done(call, kEnosys); };
  }
  return store.create_host_function(spec->type, std::move(fn), std::string(kModuleName) + "." + name);
}

Result<Extern> Wasi::resolve(Store& store, const Module& module, const Import& import) {
  std::string full = import.module + "." + import.name;
  const FunctionSpec* spec = import.module == kModuleName ? find_spec(import.name) : nullptr;
  if (spec == nullptr) return link_error("unknown import: " + full);
  if (import.kind != ExternKind::Func) {
    return link_error("incompatible import type: " + full + " is a function, imported as a " +
                      extern_kind_name(import.kind));
  }
  if (import.func_type >= module.types.size() || module.types[import.func_type] != spec->type) {
    std::string wanted = import.func_type < module.types.size()
                             ? module.types[import.func_type].to_string() : "an unknown type";
    return link_error("incompatible import type: " + full + " is " + spec->type.to_string() +
                      ", imported as " + wanted);
  }
  Extern e;
  e.kind = ExternKind::Func;
  e.object = host_function(store, import.name);
  return e;
}

Result<std::vector<Extern>> Wasi::resolve_imports(Store& store, const Module& module) {
  std::vector<Extern> externs;
  for (const Import& import : module.imports) {
    auto e = resolve(store, module, import);
    if (!e) return e.error();
    externs.push_back(*e);
  }
  return externs;
}

Errno read_iovecs(GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<IoBuffer>* out) {
  if (count > kMaxIovecs) return kEinval;
  out->clear();
  out->reserve(count);
  for (uint32_t i = 0; i < count; i++) {
    uint64_t entry = uint64_t(iovs) + uint64_t(i) * layout::kIovecSize;
    if (entry + layout::kIovecSize > uint64_t(UINT32_MAX) + 1) return kEfault;
    uint32_t buf, len;
    if (!mem.read_u32(uint32_t(entry), &buf) || !mem.read_u32(uint32_t(entry + 4), &len)) return kEfault;
    uint8_t* p = mem.span(buf, len);
    if (p == nullptr) return kEfault;
    out->push_back(IoBuffer{p, len});
  }
  return kSuccess;
}

}  // namespace ws::wasi
