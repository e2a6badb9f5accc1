// The WASI file system: the tests/wasi/fs_*.c guests on a host directory
// (through the CLI) and on an in-memory tree (through the API), zip mounts
// (archives written here with the host's zlib, including hostile ones), and
// the preview1 file calls driven directly with hostile pointers, fds and
// rights.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <map>

#include "cli_run.h"
#include "vm/wasi/zip_archive.h"
#include "wasi_fixture.h"

using namespace ws;
using namespace ws::testing;  // the helpers of cli_run.h and wasi_fixture.h

namespace {

std::vector<uint8_t> bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// ---- zip archives written by the test ----

struct ZipFile {
  std::string name;
  std::string data;
  bool deflate = true;
};

template <typename T>
void put(std::vector<uint8_t>& out, T v) {
  for (size_t i = 0; i < sizeof v; i++) out.push_back(uint8_t(uint64_t(v) >> (8 * i)));
}

std::string deflate_raw(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = uInt(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A zip archive: local headers and data, central directory, end record.
std::vector<uint8_t> make_zip(const std::vector<ZipFile>& files) {
  std::vector<uint8_t> out, central;
  for (const ZipFile& f : files) {
    bool dir = !f.name.empty() && f.name.back() == '/';
    bool deflated = f.deflate && !dir;
    std::string stored = deflated ? deflate_raw(f.data) : f.data;
    uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(f.data.data()), uInt(f.data.size())));
    uint32_t offset = uint32_t(out.size());
    auto header = [&](std::vector<uint8_t>& o, bool is_central) {
      put<uint32_t>(o, is_central ? 0x02014b50 : 0x04034b50);
      if (is_central) put<uint16_t>(o, 0x031E);  // made by: unix
      put<uint16_t>(o, 20);
      put<uint16_t>(o, 0);                       // flags
      put<uint16_t>(o, deflated ? 8 : 0);
      put<uint16_t>(o, (12 << 11) | (30 << 5));  // 12:30:00
      put<uint16_t>(o, ((2021 - 1980) << 9) | (6 << 5) | 15);  // 2021-06-15
      put<uint32_t>(o, crc);
      put<uint32_t>(o, uint32_t(stored.size()));
      put<uint32_t>(o, uint32_t(f.data.size()));
      put<uint16_t>(o, uint16_t(f.name.size()));
      put<uint16_t>(o, 0);  // extra
      if (is_central) {
        put<uint16_t>(o, 0);  // comment
        put<uint16_t>(o, 0);  // disk
        put<uint16_t>(o, 0);  // internal attributes
        put<uint32_t>(o, 0);  // external attributes
        put<uint32_t>(o, offset);
      }
      o.insert(o.end(), f.name.begin(), f.name.end());
    };
    header(out, false);
    out.insert(out.end(), stored.begin(), stored.end());
    header(central, true);
  }
  uint32_t cd_offset = uint32_t(out.size());
  out.insert(out.end(), central.begin(), central.end());
  put<uint32_t>(out, 0x06054b50);
  put<uint16_t>(out, 0);
  put<uint16_t>(out, 0);
  put<uint16_t>(out, uint16_t(files.size()));
  put<uint16_t>(out, uint16_t(files.size()));
  put<uint32_t>(out, uint32_t(central.size()));
  put<uint32_t>(out, cd_offset);
  put<uint16_t>(out, 0);
  return out;
}

std::string big_text() {
  std::string s;
  for (int i = 0; i < 5000; i++) s += "line " + std::to_string(i) + " of a compressible file\n";
  return s;
}

const std::vector<ZipFile>& sample_files() {
  static const std::vector<ZipFile> files = {
      {"hello.txt", "Hello from a zip!", true},
      {"stored.txt", "kept as is", false},
      {"empty.txt", "", true},
      {"pkg/", "", false},
      {"pkg/__init__.py", "print('init')", true},
      {"pkg/sub/big.txt", big_text(), true},  // its directory is implied
      {"/rooted.txt", "leading slash dropped", true},
  };
  return files;
}

uint32_t fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

// The line tests/wasi/fs_tree.c prints for a file.
std::string tree_line(const std::string& path, const std::string& data) {
  char hash[16];
  std::snprintf(hash, sizeof hash, "%08x", fnv1a(data));
  std::string line = "file " + path + " size " + std::to_string(data.size()) + " stat " +
                     std::to_string(data.size()) + " fnv " + hash;
  bool text = data.size() <= 40;
  for (char c : data) text = text && c >= 32 && c < 127;
  if (text) line += " text " + data;
  return line + "\n";
}

// ---- running guests through the API ----

struct GuestRun {
  std::string error;
  int status = -1;
  std::string out;
};

// Runs the C guest's _start until it exits or returns.
GuestRun run_guest_api(const std::string& wasm_path, wasi::WasiConfig config) {
  WasiGuest g(load_module(bytes(read_text(wasm_path))), std::move(config));
  GuestRun r;
  r.error = g.error;
  if (!r.error.empty()) return r;
  RunStatus s = g.start("_start", {});
  while (s == RunStatus::Suspended) s = g.resume();
  r.out = g.out;
  if (s == RunStatus::Exited) r.status = g.thread.exit_code();
  if (s == RunStatus::Finished) r.status = 0;
  if (s == RunStatus::Trapped) r.error = "trap: " + g.thread.trap().message;
  return r;
}

std::vector<std::string> lines_not_ok(const std::string& out) {
  std::vector<std::string> bad;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    std::string line = out.substr(start, end - start);
    if (line.rfind("ok ", 0) != 0 && line != "0 failures") bad.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return bad;
}

// ---- the guests on a host directory and on an in-memory tree ----

class FsGuest : public ::testing::TestWithParam<const char*> {};

TEST_P(FsGuest, PassesOnAHostDirectoryAndAnInMemoryTreeAlike) {
  REQUIRE_GUESTS();
  TempDir host;
  std::filesystem::create_directory(host.file("box"));
  host.write("outside.txt", "secret");
  auto cli = run_cli({"run", "--dir", host.file("box") + "::/data", guest_wasm(GetParam()), "/data"});
  EXPECT_EQ(cli.status, 0) << cli.out << cli.err;
  EXPECT_TRUE(lines_not_ok(cli.out).empty()) << ::testing::PrintToString(lines_not_ok(cli.out));
  EXPECT_TRUE(contains(cli.out, "\n0 failures\n")) << cli.out;
  EXPECT_TRUE(std::filesystem::is_empty(host.file("box")));  // the guest cleans up after itself
  EXPECT_EQ(read_text(host.file("outside.txt")), "secret");

  auto tree = wasi::MemoryFs::create();
  wasi::WasiConfig config;
  config.args = {GetParam(), "/data"};
  config.preopens.push_back({"", "/data", tree});
  GuestRun api = run_guest_api(guest_wasm(GetParam()), config);
  EXPECT_EQ(api.error, "");
  EXPECT_EQ(api.status, 0);
  EXPECT_EQ(api.out, cli.out);  // the same checks, the same answers
  EXPECT_TRUE(tree->list_directory("")->empty());
}

INSTANTIATE_TEST_SUITE_P(WasiFs, FsGuest, ::testing::Values("fs_files", "fs_dirs"));

TEST(WasiFs, EmbedderFillsAnInMemoryTreeAndReadsTheGuestsChangesBack) {
  REQUIRE_GUESTS();
  auto tree = wasi::MemoryFs::create();
  ASSERT_TRUE(bool(tree->add_file("docs/readme.txt", bytes("read me"))));
  ASSERT_TRUE(bool(tree->add_directory("empty")));
  ASSERT_TRUE(bool(tree->add_symlink("docs/alias", "readme.txt")));
  EXPECT_FALSE(bool(tree->add_file("docs/readme.txt/x", bytes("")))) << "a file is no directory";
  EXPECT_FALSE(bool(tree->add_file("../up", bytes(""))));
  EXPECT_FALSE(bool(tree->add_file("docs/readme.txt", bytes("again"))));

  wasi::WasiConfig config;
  config.args = {"fs_tree", "/mem", "docs/readme.txt"};
  config.preopens.push_back({"", "/mem", tree});
  GuestRun r = run_guest_api(guest_wasm("fs_tree"), config);
  ASSERT_EQ(r.error, "");
  // The link is listed as a file and read through.
  EXPECT_EQ(r.out, "dir docs\n" + tree_line("docs/alias", "read me") + tree_line("docs/readme.txt", "read me") +
                       "dir empty\n" +
                       "create: 0\nwrite: 0\ntruncate: 0\nmkdir: 0\nunlink: 0\nrename: ENOENT\nsymlink: 0\n"
                       "utimens: ENOENT\n");
  EXPECT_TRUE(bool(tree->read_file("new.txt")));
  EXPECT_FALSE(bool(tree->read_file("docs/readme.txt")));  // unlinked by the guest
  auto names = tree->list_directory("");
  ASSERT_TRUE(bool(names));
  EXPECT_EQ(*names, (std::vector<std::string>{"docs", "empty", "link", "new.txt", "newdir"}));
}

// ---- zip mounts ----

std::string expected_sample_tree() {
  std::string big = big_text();
  return tree_line("empty.txt", "") + tree_line("hello.txt", "Hello from a zip!") + "dir pkg\n" +
         tree_line("pkg/__init__.py", "print('init')") + "dir pkg/sub\n" + tree_line("pkg/sub/big.txt", big) +
         tree_line("rooted.txt", "leading slash dropped") + tree_line("stored.txt", "kept as is");
}

TEST(WasiFs, ZipArchiveMountsReadOnlyThroughTheCli) {
  REQUIRE_GUESTS();
  TempDir dir;
  std::vector<uint8_t> zip = make_zip(sample_files());
  std::string path = dir.write("sample.zip", std::string(zip.begin(), zip.end()));
  auto r = run_cli({"run", "--dir", path + "::/zip", guest_wasm("fs_tree"), "/zip", "hello.txt"});
  EXPECT_EQ(r.status, 0) << r.err;
  // Writes are EROFS, like a read-only mount; rename of a missing name is
  // still ENOENT first.
  EXPECT_EQ(r.out, expected_sample_tree() +
                       "create: EROFS\nwrite: EROFS\ntruncate: EROFS\nmkdir: EROFS\nunlink: EROFS\nrename: EROFS\n"
                       "symlink: EROFS\nutimens: EROFS\n");
  EXPECT_EQ(r.err, "");
}

TEST(WasiFs, ZipArchiveMountsThroughTheApi) {
  auto archive = std::make_shared<const std::vector<uint8_t>>(make_zip(sample_files()));
  auto fs = wasi::mount_zip(archive, "sample.zip");
  ASSERT_TRUE(bool(fs)) << fs.error().message;
  EXPECT_TRUE((*fs)->read_only());
  auto big = (*fs)->read_file("pkg/sub/big.txt");
  ASSERT_TRUE(bool(big));
  EXPECT_EQ(std::string(big->begin(), big->end()), big_text());
  EXPECT_EQ(*(*fs)->list_directory("pkg"), (std::vector<std::string>{"__init__.py", "sub"}));

  auto entries = wasi::read_zip_directory(*archive);
  ASSERT_TRUE(bool(entries));
  ASSERT_EQ(entries->size(), sample_files().size());
  EXPECT_EQ((*entries)[0].mtim, 1623760200ull * 1000000000ull);  // 2021-06-15 12:30:00 UTC
}

// Every way of lying in a zip archive is an Error naming the problem.
TEST(WasiFs, HostileZipArchivesAreErrorsNotCrashes) {
  std::vector<uint8_t> good = make_zip({{"a.txt", "aaaa", true}, {"b.txt", "bbbb", false}});
  auto error_of = [](std::vector<uint8_t> zip) {
    auto fs = wasi::mount_zip(std::make_shared<const std::vector<uint8_t>>(std::move(zip)), "bad.zip");
    return fs ? std::string("mounted") : fs.error().message;
  };
  auto patched = [&](size_t at, std::vector<uint8_t> with) {
    std::vector<uint8_t> z = good;
    std::copy(with.begin(), with.end(), z.begin() + long(at));
    return z;
  };
  size_t eocd = good.size() - 22;
  size_t cd = good[eocd + 16] | good[eocd + 17] << 8;

  EXPECT_EQ(error_of({}), "bad.zip: not a zip archive (too short)");
  EXPECT_TRUE(contains(error_of(bytes(std::string(100, 'x'))), "no end of central directory record"));
  EXPECT_TRUE(contains(error_of(patched(eocd + 16, {0xF0, 0xFF, 0, 0})), "central directory lies outside"));
  EXPECT_TRUE(contains(error_of(patched(eocd + 10, {0xF0, 0x00})), "too small for its entry count"));
  EXPECT_TRUE(contains(error_of(patched(cd, {'X'})), "central directory entry 0: bad signature"));
  EXPECT_TRUE(contains(error_of(patched(cd + 28, {0xFF, 0x00})), "overruns the central directory"));
  EXPECT_TRUE(contains(error_of(patched(cd + 8, {1, 0})), "entry 'a.txt': encrypted entries are not supported"));
  EXPECT_TRUE(contains(error_of(patched(cd + 10, {12, 0})), "compression method 12 is not supported"));
  EXPECT_TRUE(contains(error_of(patched(cd + 24, {0, 0, 0, 0x40})), "impossible uncompressed size"));
  EXPECT_TRUE(contains(error_of(patched(cd + 42, {0, 0, 0, 0x70})), "local header out of bounds"));
  EXPECT_TRUE(contains(error_of(patched(cd + 20, {0xFF, 0xFF, 0xFF, 0xFF})), "zip64 extra field missing"));
  EXPECT_TRUE(contains(error_of(make_zip({{"../escape.txt", "x", true}})), "bad component '..'"));
  EXPECT_TRUE(contains(error_of(make_zip({{"a/../../x", "x", true}})), "bad component '..'"));
  EXPECT_TRUE(contains(error_of(make_zip({{"f", "x", true}, {"f/g", "y", true}})), "'f' is not a directory"));
  EXPECT_TRUE(contains(error_of(make_zip({{"f", "x", true}, {"f", "y", true}})), "already exists"));
  EXPECT_TRUE(contains(error_of(make_zip({{"/", "", false}})), "has no name"));
  EXPECT_EQ(error_of(good), "mounted");

  // Broken data is found when a file is opened: the guest reads EIO.
  auto corrupt = [&](size_t at, uint8_t value) {
    std::vector<uint8_t> z = good;
    z[at] = value;
    auto fs = wasi::mount_zip(std::make_shared<const std::vector<uint8_t>>(z), "bad.zip");
    EXPECT_TRUE(bool(fs));
    return fs ? (*fs)->read_file("b.txt") : Result<std::vector<uint8_t>>(Error{"no mount", "", {}, {}, ""});
  };
  size_t b_data = 30 + 5 + (good[18] | good[19] << 8) + 30 + 5;  // after a.txt's header+data and b's header
  EXPECT_TRUE(contains(corrupt(b_data, 'X').error().message, "errno 29"));  // CRC-32 mismatch: EIO
  EXPECT_TRUE(bool(corrupt(b_data - 1, 'Z')));  // the name in the local header is not used
  size_t b_local = 30 + 5 + (good[18] | good[19] << 8);
  EXPECT_FALSE(bool(corrupt(b_local, 'X')));  // bad local header signature

  // Through the CLI: a clear message and exit status 1, nothing run.
  TempDir dir;
  std::string path = dir.write("bad.zip", "PK\x05\x06 not really");
  auto r = run_cli({"run", "--dir", path + "::/z", guest_wasm("fs_tree"), "/z"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "bad.zip: not a zip archive")) << r.err;
}

// Randomly damaged archives (bytes changed, cut short): mounting and reading
// every file either works or fails with an Error, never crashes (the asan
// preset runs this too).
TEST(WasiFs, DamagedZipArchivesNeverCrash) {
  std::vector<uint8_t> good = make_zip(sample_files());
  uint64_t seed = 0x243F6A8885A308D3ull;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(seed >> 33);
  };
  int mounted = 0, files_read = 0;
  for (int round = 0; round < 3000; round++) {
    std::vector<uint8_t> z = good;
    int changes = 1 + next() % 4;
    for (int i = 0; i < changes; i++) z[next() % z.size()] = uint8_t(next());
    if (round % 5 == 0) z.resize(next() % z.size());
    auto fs = wasi::mount_zip(std::make_shared<const std::vector<uint8_t>>(std::move(z)), "fuzz.zip");
    if (!fs) continue;
    mounted++;
    for (const char* f : {"hello.txt", "stored.txt", "empty.txt", "pkg/__init__.py", "pkg/sub/big.txt"}) {
      files_read += bool((*fs)->read_file(f));
    }
  }
  EXPECT_GT(mounted, 100);  // the test damaged data, not only the directory
  EXPECT_GT(files_read, 0);
}

// ---- preview1 calls driven directly ----

// path_open(dir, lookup flags, path, oflags, rights as base and inheriting,
// fdflags) with the new fd in *fd.
int path_open(WasiGuest& p, uint32_t dir, const std::string& path, uint32_t oflags, uint64_t rights, uint32_t* fd,
              uint32_t lookup = 1, uint32_t fdflags = 0) {
  p.poke(60000, path);
  int e = p.call("path_open", {dir, lookup, 60000, path.size(), oflags, rights, rights, fdflags, 59996});
  *fd = p.peek<uint32_t>(59996);
  return e;
}

constexpr int kSuccess = 0, kEbadf = 8, kEexist = 20, kEfault = 21, kEinval = 28, kEio = 29, kEnametoolong = 37,
              kEnoent = 44, kEnotdir = 54, kErofs = 69, kExdev = 75, kEnotcapable = 76;
constexpr uint64_t kAll = (1ull << 30) - 1, kRead = 1 << 1, kWrite = 1 << 6, kReaddir = 1 << 14;
constexpr uint32_t kEnd = 65536;

TEST(WasiFs, HostilePointersFdsAndRightsInFileCalls) {
  auto tree = wasi::MemoryFs::create();
  ASSERT_TRUE(bool(tree->add_file("f.txt", bytes("0123456789"))));
  wasi::WasiConfig config;
  config.preopens.push_back({"", "/m", tree});
  WasiGuest p(config);
  ASSERT_EQ(p.error, "");
  uint32_t fd = 0;
  ASSERT_EQ(path_open(p, 3, "f.txt", 0, kAll, &fd), kSuccess);

  // Pointers and lengths past the end of memory.
  uint32_t iov[2] = {100, 8};
  p.poke(16, iov, 8);
  EXPECT_EQ(p.call("fd_pread", {fd, 16, 1, 0, kEnd - 2}), kEfault);
  EXPECT_EQ(p.call("fd_pread", {fd, kEnd - 4, 1, 0, 8}), kEfault);
  EXPECT_EQ(p.call("fd_pwrite", {fd, 0xFFFFFFF8, 1, 0, 8}), kEfault);
  EXPECT_EQ(p.call("fd_readdir", {3, kEnd - 10, 20, 0, 8}), kEfault);
  EXPECT_EQ(p.call("fd_readdir", {3, 100, 20, 0, kEnd}), kEfault);
  EXPECT_EQ(p.call("fd_filestat_get", {fd, kEnd - 63}), kEfault);
  EXPECT_EQ(p.call("path_filestat_get", {3, 1, 60000, 5, kEnd - 8}), kEfault);
  EXPECT_EQ(p.call("path_filestat_get", {3, 1, kEnd - 2, 5, 0}), kEfault);
  EXPECT_EQ(p.call("path_create_directory", {3, 0xFFFFFFFF, 2}), kEfault);
  EXPECT_EQ(p.call("path_unlink_file", {3, 100, 0x80000000}), kEfault);
  EXPECT_EQ(p.call("path_readlink", {3, 60000, 5, kEnd - 1, 16, 8}), kEfault);
  EXPECT_EQ(p.call("path_symlink", {kEnd, 4, 3, 60000, 4}), kEfault);
  EXPECT_EQ(p.call("path_rename", {3, 60000, 5, 3, kEnd - 1, 5}), kEfault);
  EXPECT_EQ(p.call("path_link", {3, 0, 60000, 5, 3, kEnd + 10, 1}), kEfault);
  EXPECT_EQ(p.call("fd_prestat_dir_name", {3, kEnd - 1, 2}), kEfault);
  EXPECT_EQ(p.call("fd_prestat_dir_name", {3, 0, 1}), kEnametoolong);
  EXPECT_TRUE(bool(tree->read_file("f.txt")));  // nothing was harmed

  // Bad fds, and fds of the wrong kind.
  for (uint32_t bad : {7u, 1000u, 0xFFFFFFFFu}) {
    EXPECT_EQ(p.call("fd_pread", {bad, 16, 1, 0, 8}), kEbadf);
    EXPECT_EQ(p.call("fd_readdir", {bad, 100, 20, 0, 8}), kEbadf);
    EXPECT_EQ(p.call("fd_renumber", {bad, fd}), kEbadf);
    EXPECT_EQ(p.call("fd_renumber", {fd, bad}), kEbadf);
    EXPECT_EQ(p.call("path_create_directory", {bad, 60000, 1}), kEbadf);
    EXPECT_EQ(p.call("path_rename", {3, 60000, 5, bad, 60000, 5}), kEbadf);
    EXPECT_EQ(p.call("fd_close", {bad}), kEbadf);
  }
  EXPECT_EQ(p.call("fd_prestat_get", {fd, 8}), kEbadf);                // not a preopen
  EXPECT_EQ(p.call("fd_readdir", {fd, 100, 20, 0, 8}), kEnotcapable);  // a file: no readdir right
  EXPECT_EQ(p.call("fd_seek", {3, 1, 0, 8}), kEnotcapable);            // a directory: no seek right
  EXPECT_EQ(p.call("fd_seek", {fd, 1, 3, 8}), kEinval);                // whence
  EXPECT_EQ(p.call("fd_filestat_set_times", {fd, 0, 0, 0x10}), kEinval);
  EXPECT_EQ(p.call("fd_advise", {fd, 0, 0, 6}), kEinval);
  EXPECT_EQ(p.call("fd_allocate", {fd, 0, 0}), kEinval);
  EXPECT_EQ(p.call("fd_filestat_set_size", {fd, 1ull << 40}), 22);  // EFBIG: more than memory holds
  EXPECT_EQ(p.call("fd_pwrite", {fd, 16, 1, 1ull << 40, 8}), 22);

  // Rights the directory does not pass on are not granted.
  uint32_t limited = 0;
  ASSERT_EQ(p.call("fd_fdstat_set_rights", {3, kAll, kRead | (1 << 13)}), kEnotcapable) << "rights cannot grow";
  ASSERT_EQ(p.call("fd_fdstat_get", {3, 200}), kSuccess);
  uint64_t dir_base = p.peek<uint64_t>(208);
  ASSERT_EQ(p.call("fd_fdstat_set_rights", {3, dir_base, kRead}), kSuccess);
  ASSERT_EQ(path_open(p, 3, "f.txt", 0, kRead | kWrite, &limited), kSuccess);
  ASSERT_EQ(p.call("fd_fdstat_get", {limited, 200}), kSuccess);
  EXPECT_EQ(p.peek<uint64_t>(208), kRead);  // write was not inherited
  uint32_t wiov[2] = {100, 1};
  p.poke(16, wiov, 8);
  EXPECT_EQ(p.call("fd_write", {limited, 16, 1, 8}), kEnotcapable);
  ASSERT_EQ(p.call("fd_fdstat_set_rights", {3, dir_base & ~uint64_t(1 << 13), kRead}), kSuccess);
  EXPECT_EQ(path_open(p, 3, "f.txt", 0, kRead, &limited), kEnotcapable);  // no path_open right left
}

TEST(WasiFs, ReaddirFillsTheBufferAndCutsTheLastEntryAsTheWitxSays) {
  auto tree = wasi::MemoryFs::create();
  ASSERT_TRUE(bool(tree->add_file("a", {})));
  ASSERT_TRUE(bool(tree->add_directory("bbbb")));
  wasi::WasiConfig config;
  config.preopens.push_back({"", "/m", tree});
  WasiGuest p(config);
  ASSERT_EQ(p.error, "");
  // Whole listing: ".", "..", "a", "bbbb", each a 24-byte dirent and its name.
  const uint32_t whole = 24 + 1 + 24 + 2 + 24 + 1 + 24 + 4;
  ASSERT_EQ(p.call("fd_readdir", {3, 1000, 4000, 0, 8}), kSuccess);
  EXPECT_EQ(p.peek<uint32_t>(8), whole);  // less than the buffer: the end of the directory
  uint32_t at = 1000;
  std::vector<std::string> names;
  std::vector<uint8_t> types;
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(p.peek<uint64_t>(at), uint64_t(i + 1));  // d_next: the cookie of the next entry
    uint32_t len = p.peek<uint32_t>(at + 16);
    types.push_back(p.memory()[at + 20]);
    names.push_back(p.peek_string(at + 24, len));
    at += 24 + len;
  }
  EXPECT_EQ(names, (std::vector<std::string>{".", "..", "a", "bbbb"}));
  EXPECT_EQ(types, (std::vector<uint8_t>{3, 3, 4, 3}));

  // A buffer ending inside the last entry's name: filled exactly, bufused
  // == buf_len, the name cut off.
  std::memset(p.memory() + 2000, 0xEE, 200);
  ASSERT_EQ(p.call("fd_readdir", {3, 2000, whole - 2, 0, 8}), kSuccess);
  EXPECT_EQ(p.peek<uint32_t>(8), whole - 2);
  EXPECT_EQ(p.peek_string(2000 + whole - 4, 2), "bb");
  EXPECT_EQ(p.memory()[2000 + whole - 2], 0xEE);  // nothing past the buffer
  // Ending inside a dirent header.
  ASSERT_EQ(p.call("fd_readdir", {3, 2000, 30, 0, 8}), kSuccess);
  EXPECT_EQ(p.peek<uint32_t>(8), 30u);
  // Resuming from a cookie: the entries after it.
  ASSERT_EQ(p.call("fd_readdir", {3, 3000, 4000, 3, 8}), kSuccess);
  EXPECT_EQ(p.peek<uint32_t>(8), 24u + 4);
  EXPECT_EQ(p.peek_string(3024, 4), "bbbb");
  ASSERT_EQ(p.call("fd_readdir", {3, 3000, 4000, 99, 8}), kSuccess);
  EXPECT_EQ(p.peek<uint32_t>(8), 0u);
  ASSERT_EQ(p.call("fd_readdir", {3, 3000, 0, 0, 8}), kSuccess);
  EXPECT_EQ(p.peek<uint32_t>(8), 0u);
}

TEST(WasiFs, RenameAndLinkAcrossFileSystemsAreExdev) {
  TempDir host;
  host.write("h.txt", "host");
  auto tree = wasi::MemoryFs::create();
  ASSERT_TRUE(bool(tree->add_file("m.txt", bytes("memory"))));
  auto other = wasi::MemoryFs::create();
  wasi::WasiConfig config;
  config.preopens.push_back({"", "/m", tree});
  config.preopens.push_back({host.path(), "/h"});
  config.preopens.push_back({"", "/o", other});
  WasiGuest p(config);
  ASSERT_EQ(p.error, "");
  p.poke(100, "m.txt");
  p.poke(200, "h.txt");
  EXPECT_EQ(p.call("path_rename", {3, 100, 5, 4, 200, 5}), kExdev);
  EXPECT_EQ(p.call("path_rename", {4, 200, 5, 3, 100, 5}), kExdev);
  EXPECT_EQ(p.call("path_rename", {3, 100, 5, 5, 100, 5}), kExdev);  // another tree
  EXPECT_EQ(p.call("path_link", {3, 0, 100, 5, 4, 200, 5}), kExdev);
  EXPECT_EQ(p.call("path_rename", {3, 100, 5, 3, 200, 5}), kSuccess);  // same tree: fine
  EXPECT_TRUE(bool(tree->read_file("h.txt")));
  EXPECT_EQ(read_text(host.file("h.txt")), "host");
}

TEST(WasiFs, ZipMountAnswersErofsAndEio) {
  std::vector<uint8_t> zip = make_zip({{"ok.txt", "fine", true}, {"bad.txt", "will be damaged", false}});
  // Damage bad.txt's stored bytes so its CRC no longer matches.
  std::string needle = "will be damaged";
  auto it = std::search(zip.begin(), zip.end(), needle.begin(), needle.end());
  ASSERT_NE(it, zip.end());
  *it = 'W';
  TempDir dir;
  std::string path = dir.write("d.zip", std::string(zip.begin(), zip.end()));
  wasi::WasiConfig config;
  config.preopens.push_back({path, "/z"});
  WasiGuest p(config);
  ASSERT_EQ(p.error, "");
  uint32_t fd = 0;
  EXPECT_EQ(path_open(p, 3, "ok.txt", 0, kRead, &fd), kSuccess);
  EXPECT_EQ(path_open(p, 3, "bad.txt", 0, kRead, &fd), kEio);
  EXPECT_EQ(path_open(p, 3, "ok.txt", 0, kRead | kWrite, &fd), kErofs);
  EXPECT_EQ(path_open(p, 3, "new.txt", 1 /*creat*/, kRead | kWrite, &fd), kErofs);
  EXPECT_EQ(path_open(p, 3, "ok.txt", 1 | 4 /*creat|excl*/, kRead, &fd), kEexist);
  EXPECT_EQ(path_open(p, 3, "missing.txt", 0, kRead, &fd), kEnoent);
  EXPECT_EQ(path_open(p, 3, "ok.txt", 2 /*directory*/, kRead | kReaddir, &fd), kEnotdir);
  p.poke(100, "ok.txt");
  EXPECT_EQ(p.call("path_filestat_get", {3, 0, 100, 6, 200}), kSuccess);
  EXPECT_EQ(p.peek<uint64_t>(200 + 32), 4u);  // size
  EXPECT_EQ(p.memory()[200 + 16], 4);         // regular file
}

}  // namespace
