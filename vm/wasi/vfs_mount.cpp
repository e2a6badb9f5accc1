#include "vfs_mount.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "host_fs.h"
#include "zip_archive.h"

namespace ws::wasi {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Error mount_error(const std::string& path, const std::string& why) {
  return Error{"cannot mount '" + path + "': " + why, "", {}, {}, ""};
}

Result<std::unique_ptr<Handle>> open_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return mount_error(path, std::strerror(errno));
  std::streamoff size = in.tellg();
  if (size < 0) return mount_error(path, "cannot tell its size");
  auto bytes = std::make_shared<std::vector<uint8_t>>(size_t(size));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes->data()), size)) return mount_error(path, "read failed");
  auto fs = mount_zip(std::move(bytes), path);
  if (!fs) return fs.error();
  return (*fs)->open_root();
}

}  // namespace

Result<std::unique_ptr<Handle>> open_preopen(const Preopen& p) {
  if (p.tree) return p.tree->open_root();
  struct stat st;
  if (ends_with(p.host_path, ".zip") && ::stat(p.host_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    return open_zip(p.host_path);
  }
  return open_host_directory(p.host_path);
}

}  // namespace ws::wasi
