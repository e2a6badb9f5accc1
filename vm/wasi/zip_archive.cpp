#include "zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace ws::wasi {
namespace {

constexpr uint32_t kEndOfCentralDirSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint32_t kCentralEntrySig = 0x02014b50;
constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr size_t kEndSize = 22, kZip64LocatorSize = 20, kZip64EndSize = 56;
constexpr size_t kCentralEntrySize = 46, kLocalHeaderSize = 30;
constexpr uint16_t kZip64ExtraId = 0x0001;
// Deflate cannot expand data more than about 1032:1; an entry claiming
// more is lying (a zip bomb) and is refused before anything is inflated.
constexpr uint64_t kMaxDeflateRatio = 1032;

Error zip_error(const std::string& message) { return Error{message, "", {}, {}, ""}; }

// Bounds-checked little-endian reads from the archive.
class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& bytes) : b_(bytes) {}
  bool has(uint64_t at, uint64_t len) const { return at <= b_.size() && len <= b_.size() - at; }
  uint16_t u16(uint64_t at) const { return uint16_t(b_[at] | b_[at + 1] << 8); }
  uint32_t u32(uint64_t at) const { return uint32_t(u16(at)) | uint32_t(u16(at + 2)) << 16; }
  uint64_t u64(uint64_t at) const { return uint64_t(u32(at)) | uint64_t(u32(at + 4)) << 32; }
  std::string str(uint64_t at, uint64_t len) const {
    return std::string(reinterpret_cast<const char*>(b_.data() + at), len);
  }
  uint64_t size() const { return b_.size(); }
  const uint8_t* data(uint64_t at) const { return b_.data() + at; }

 private:
  const std::vector<uint8_t>& b_;
};

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = unsigned(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

uint64_t dos_time_ns(uint16_t date, uint16_t time) {
  unsigned month = std::clamp((date >> 5) & 15, 1, 12);
  unsigned day = std::max(date & 31, 1);
  int64_t days = days_from_civil(1980 + (date >> 9), month, day);
  int64_t secs = days * 86400 + (time >> 11) * 3600 + ((time >> 5) & 63) * 60 + (time & 31) * 2;
  return uint64_t(secs) * 1000000000ull;
}

struct Directory {
  uint64_t count = 0, size = 0, offset = 0;
};

// Finds the end-of-central-directory record (the last one whose comment
// reaches the end of the archive), then the zip64 one if it defers to it.
Result<Directory> find_directory(const Reader& r) {
  if (r.size() < kEndSize) return zip_error("not a zip archive (too short)");
  uint64_t lowest = r.size() > kEndSize + 0xFFFF ? r.size() - kEndSize - 0xFFFF : 0;
  uint64_t at = r.size() - kEndSize;
  for (;; at--) {
    if (r.u32(at) == kEndOfCentralDirSig && at + kEndSize + r.u16(at + 20) == r.size()) break;
    if (at == lowest) return zip_error("not a zip archive (no end of central directory record)");
  }
  if (r.u16(at + 4) != 0 || r.u16(at + 6) != 0) return zip_error("multi-disk zip archives are not supported");
  Directory d{r.u16(at + 10), r.u32(at + 12), r.u32(at + 16)};
  if (d.count == 0xFFFF || d.size == 0xFFFFFFFF || d.offset == 0xFFFFFFFF) {
    if (at < kZip64LocatorSize || r.u32(at - kZip64LocatorSize) != kZip64LocatorSig) {
      return zip_error("zip64 end of central directory locator missing");
    }
    uint64_t end64 = r.u64(at - kZip64LocatorSize + 8);
    if (!r.has(end64, kZip64EndSize) || r.u32(end64) != kZip64EndSig) {
      return zip_error("zip64 end of central directory record missing or out of bounds");
    }
    d = Directory{r.u64(end64 + 32), r.u64(end64 + 40), r.u64(end64 + 48)};
  }
  if (!r.has(d.offset, d.size)) return zip_error("central directory lies outside the archive");
  if (d.count > d.size / kCentralEntrySize) return zip_error("central directory too small for its entry count");
  return d;
}

// Replaces 0xFFFFFFFF sizes and offset with their zip64 extra-field values.
Status apply_zip64_extra(const Reader& r, uint64_t extra, uint64_t extra_len, ZipEntry* e) {
  uint64_t end = extra + extra_len;
  while (extra + 4 <= end) {
    uint16_t id = r.u16(extra), len = r.u16(extra + 2);
    if (extra + 4 + len > end) return zip_error("extra field overruns its entry");
    if (id == kZip64ExtraId) {
      uint64_t at = extra + 4, stop = at + len;
      for (uint64_t* field : {&e->size, &e->compressed_size, &e->local_header_offset}) {
        if (*field != 0xFFFFFFFF) continue;
        if (at + 8 > stop) return zip_error("zip64 extra field too short");
        *field = r.u64(at);
        at += 8;
      }
      return Ok{};
    }
    extra += 4 + len;
  }
  if (e->size == 0xFFFFFFFF || e->compressed_size == 0xFFFFFFFF || e->local_header_offset == 0xFFFFFFFF) {
    return zip_error("zip64 extra field missing");
  }
  return Ok{};
}

}  // namespace

Result<std::vector<ZipEntry>> read_zip_directory(const std::vector<uint8_t>& archive) {
  Reader r(archive);
  auto dir = find_directory(r);
  if (!dir) return dir.error();
  std::vector<ZipEntry> entries;
  entries.reserve(dir->count);
  uint64_t at = dir->offset, end = dir->offset + dir->size;
  for (uint64_t i = 0; i < dir->count; i++) {
    std::string where = "central directory entry " + std::to_string(i);
    if (at + kCentralEntrySize > end || r.u32(at) != kCentralEntrySig) return zip_error(where + ": bad signature");
    uint16_t flags = r.u16(at + 8);
    uint64_t name_len = r.u16(at + 28), extra_len = r.u16(at + 30), comment_len = r.u16(at + 32);
    uint64_t next = at + kCentralEntrySize + name_len + extra_len + comment_len;
    if (next > end) return zip_error(where + ": overruns the central directory");
    ZipEntry e;
    e.name = r.str(at + kCentralEntrySize, name_len);
    where = "entry '" + e.name + "'";
    e.method = r.u16(at + 10);
    e.mtim = dos_time_ns(r.u16(at + 14), r.u16(at + 12));
    e.crc32 = r.u32(at + 16);
    e.compressed_size = r.u32(at + 20);
    e.size = r.u32(at + 24);
    e.local_header_offset = r.u32(at + 42);
    Status z64 = apply_zip64_extra(r, at + kCentralEntrySize + name_len, extra_len, &e);
    if (!z64) return zip_error(where + ": " + z64.error().message);
    if (flags & 1) return zip_error(where + ": encrypted entries are not supported");
    if (e.method != 0 && e.method != 8) {
      return zip_error(where + ": compression method " + std::to_string(e.method) +
                       " is not supported (only stored and deflate)");
    }
    if (e.method == 0 && e.compressed_size != e.size) return zip_error(where + ": stored entry with two sizes");
    if (e.method == 8 && e.size > e.compressed_size * kMaxDeflateRatio + 1024) {
      return zip_error(where + ": claims an impossible uncompressed size (" + std::to_string(e.size) + " bytes)");
    }
    if (!r.has(e.local_header_offset, kLocalHeaderSize)) return zip_error(where + ": local header out of bounds");
    entries.push_back(std::move(e));
    at = next;
  }
  return entries;
}

Result<std::vector<uint8_t>> extract_zip_entry(const std::vector<uint8_t>& archive, const ZipEntry& e) {
  Reader r(archive);
  std::string where = "entry '" + e.name + "': ";
  uint64_t at = e.local_header_offset;
  if (!r.has(at, kLocalHeaderSize) || r.u32(at) != kLocalHeaderSig) return zip_error(where + "bad local header");
  uint64_t data = at + kLocalHeaderSize + r.u16(at + 26) + r.u16(at + 28);
  if (!r.has(data, e.compressed_size)) return zip_error(where + "data lies outside the archive");
  if (e.size > kMaxMemoryFileSize) return zip_error(where + "larger than 1 GiB");

  std::vector<uint8_t> out(e.size);
  if (e.method == 0) {
    std::copy(r.data(data), r.data(data) + e.size, out.begin());
  } else {
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return zip_error(where + "zlib cannot start");
    uint8_t none = 0;  // somewhere to point for an empty file
    z.next_out = out.empty() ? &none : out.data();
    z.avail_out = uInt(out.size());
    uint64_t in_left = e.compressed_size;
    const uint8_t* in = r.data(data);
    std::string problem;
    for (;;) {
      if (z.avail_in == 0 && in_left != 0) {
        uint64_t chunk = std::min<uint64_t>(in_left, UINT_MAX);
        z.next_in = const_cast<Bytef*>(in);
        z.avail_in = uInt(chunk);
        in += chunk;
        in_left -= chunk;
      }
      int status = inflate(&z, Z_NO_FLUSH);
      if (status == Z_STREAM_END) break;
      if (status == Z_OK) continue;
      if (status == Z_BUF_ERROR && z.avail_out == 0) {
        problem = "inflates to more than its declared size";
      } else if (status == Z_BUF_ERROR) {
        problem = "deflate data is truncated";
      } else {
        problem = std::string("corrupt deflate data (") + (z.msg ? z.msg : "zlib error") + ")";
      }
      break;
    }
    uint64_t produced = z.total_out;
    inflateEnd(&z);
    if (!problem.empty()) return zip_error(where + problem);
    if (produced != e.size) return zip_error(where + "inflates to fewer bytes than declared");
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  for (uint64_t done = 0; done < out.size();) {
    uInt chunk = uInt(std::min<uint64_t>(out.size() - done, UINT_MAX));
    crc = crc32(crc, out.data() + done, chunk);
    done += chunk;
  }
  if (uint32_t(crc) != e.crc32) return zip_error(where + "CRC-32 mismatch");
  return out;
}

Result<std::shared_ptr<MemoryFs>> mount_zip(std::shared_ptr<const std::vector<uint8_t>> archive,
                                            const std::string& archive_name) {
  auto fail = [&](const std::string& message) { return zip_error(archive_name + ": " + message); };
  auto entries = read_zip_directory(*archive);
  if (!entries) return fail(entries.error().message);
  auto fs = MemoryFs::create(/*read_only=*/true);
  for (ZipEntry& e : *entries) {
    std::string name = e.name;
    name.erase(0, name.find_first_not_of('/'));
    if (name.empty()) return fail("entry '" + e.name + "' has no name");
    Status added = Ok{};
    if (name.back() == '/') {
      added = fs->add_directory(name, e.mtim);
    } else {
      auto loader = [archive, entry = e](std::vector<uint8_t>* out) {
        auto bytes = extract_zip_entry(*archive, entry);
        if (!bytes) return kEio;
        *out = std::move(*bytes);
        return kSuccess;
      };
      added = fs->add_lazy_file(name, e.size, e.mtim, std::move(loader));
    }
    if (!added) return fail(added.error().message);
  }
  return fs;
}

}  // namespace ws::wasi
