// Read-only zip archives mounted as directories (`--dir stdlib.zip::/lib`;
// CPython's standard library ships as one). The central directory is parsed
// here, every field checked against the archive's bounds, so a hostile
// archive is an Error naming the entry and what is wrong, never a crash;
// entry data is stored or deflated, and zlib inflates it when the guest
// first opens the file. Zip64 archives are read too; encrypted entries and
// other compression methods are refused when mounting.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../error.h"
#include "vfs_memory.h"

namespace ws::wasi {

struct ZipEntry {
  std::string name;       // as stored, "/"-separated; directories end in "/"
  uint16_t method = 0;    // 0 stored, 8 deflate
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;
  uint64_t local_header_offset = 0;
  uint64_t mtim = 0;      // from the DOS date and time, read as UTC, in ns since the epoch
};

// Every entry of the central directory, in archive order.
Result<std::vector<ZipEntry>> read_zip_directory(const std::vector<uint8_t>& archive);

// One entry's bytes: the local header is checked, the data copied or
// inflated, and its size and CRC-32 compared with the directory's.
Result<std::vector<uint8_t>> extract_zip_entry(const std::vector<uint8_t>& archive, const ZipEntry& entry);

// A read-only tree with the archive's files and directories. Entry names
// are relative to the mount point (a leading "/" is dropped); names with
// "..", NUL or a file where a directory is needed make it an Error. Errors
// start with `archive_name`. Files are inflated on first open (a corrupt
// entry then reads as EIO).
Result<std::shared_ptr<MemoryFs>> mount_zip(std::shared_ptr<const std::vector<uint8_t>> archive,
                                            const std::string& archive_name);

}  // namespace ws::wasi
