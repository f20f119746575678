// Cache location, entry naming and small file helpers (see module_cache.h).
#include "module_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "wasmaot/abi/build_id.h"
#include "wasmaot/runtime/runtime.h"

namespace wasmaot::cli {

std::string cacheDirectory() {
  if (const char* dir = std::getenv("WASMAOT_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/wasmaot";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/wasmaot";
  return "";
}

std::string cacheEntryName(const std::string& wasm_hash, unsigned opt_level, const std::string& cpu_tag) {
  std::string name = wasm_hash + "-" + abi::kBuildId + "-O" + std::to_string(opt_level);
  if (!cpu_tag.empty()) name += "-" + cpu_tag;
  return name + ".so";
}

std::string cpuCacheTag(const std::string& target_cpu) {
  if (target_cpu.empty() || target_cpu == "native") return "native-" + runtime::hostCpuSignature();
  std::string tag = target_cpu;
  for (char& c : tag) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!plain) c = '_';
  }
  return tag;
}

std::string cacheEntryPath(const std::string& dir, const std::string& wasm_hash, unsigned opt_level,
                           const std::string& cpu_tag) {
  return dir + "/" + cacheEntryName(wasm_hash, opt_level, cpu_tag);
}

namespace {

// A file whose ctime (or mtime) is closer to now than this is not recorded:
// far more than the granularity of any file system's timestamps.
constexpr int64_t kSettleNanoseconds = 2'000'000'000;

int64_t nanoseconds(const struct timespec& t) { return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec; }

std::string indexRecordPath(const std::string& dir, const struct stat& st) {
  return dir + "/index/" + std::to_string(st.st_dev) + "-" + std::to_string(st.st_ino);
}

// What a record holds besides the hash: everything that changes when the
// file does.
std::string identityLine(const struct stat& st) {
  return std::to_string(st.st_size) + " " + std::to_string(nanoseconds(st.st_mtim)) + " " +
         std::to_string(nanoseconds(st.st_ctim));
}

bool sameFileState(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         nanoseconds(a.st_mtim) == nanoseconds(b.st_mtim) && nanoseconds(a.st_ctim) == nanoseconds(b.st_ctim);
}

bool isHexHash(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::optional<std::string> indexedHash(const std::string& dir, const struct stat& st) {
  int fd = ::open(indexRecordPath(dir, st).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buffer[256];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  // "<size> <mtime ns> <ctime ns> <hash>\n"
  std::string record(buffer, static_cast<size_t>(n));
  const std::string identity = identityLine(st) + " ";
  if (!record.starts_with(identity) || !record.ends_with("\n")) return std::nullopt;
  std::string hash = record.substr(identity.size(), record.size() - identity.size() - 1);
  if (!isHexHash(hash)) return std::nullopt;
  return hash;
}

void recordHash(const std::string& dir, const struct stat& before, const struct stat& after,
                const std::string& wasm_hash) {
  if (!sameFileState(before, after) || !isHexHash(wasm_hash)) return;
  struct timespec now {};
  clock_gettime(CLOCK_REALTIME, &now);
  const int64_t now_ns = nanoseconds(now);
  if (now_ns - nanoseconds(after.st_ctim) < kSettleNanoseconds ||
      now_ns - nanoseconds(after.st_mtim) < kSettleNanoseconds)
    return;
  std::error_code ec;
  std::filesystem::create_directories(dir + "/index", ec);
  if (ec) return;
  const std::string path = indexRecordPath(dir, after);
  const std::string temporary = temporaryPathFor(path);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << identityLine(after) << " " << wasm_hash << "\n";
    if (!out.flush()) {
      std::filesystem::remove(temporary, ec);
      return;
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) std::filesystem::remove(temporary, ec);
}

namespace {

// $WASMAOT_CACHE_MAX_MB in bytes (1024 MiB when unset or not a number).
uint64_t cacheSizeLimit() {
  constexpr uint64_t kDefaultMiB = 1024;
  uint64_t mib = kDefaultMiB;
  if (const char* text = std::getenv("WASMAOT_CACHE_MAX_MB"); text && *text) {
    char* end = nullptr;
    errno = 0;
    unsigned long long value = std::strtoull(text, &end, 10);
    if (errno == 0 && end && *end == 0) mib = value;
  }
  return mib > UINT64_MAX / (1024 * 1024) ? UINT64_MAX : mib * 1024 * 1024;
}

}  // namespace

void touchCacheEntry(const std::string& path) {
  std::error_code ec;
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), ec);
}

void pruneCache(const std::string& dir, const std::string& keep) {
  namespace fs = std::filesystem;
  struct Entry {
    fs::file_time_type used;
    uint64_t size;
    fs::path path;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  const auto stale_before = fs::file_time_type::clock::now() - std::chrono::hours(24);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (!it->is_regular_file(entry_ec)) continue;
    const std::string name = it->path().filename().string();
    const fs::file_time_type used = it->last_write_time(entry_ec);
    if (entry_ec) continue;
    // Leftovers of a crashed compile or background build (background_build.h).
    if (name.find(".so.tmp-") != std::string::npos || name.ends_with(".so.pending.wasm")) {
      if (used < stale_before) fs::remove(it->path(), entry_ec);
      continue;
    }
    if (!name.ends_with(".so")) continue;
    const uint64_t size = it->file_size(entry_ec);
    if (entry_ec) continue;
    total += size;
    entries.push_back({used, size, it->path()});
  }
  const auto unused_before = fs::file_time_type::clock::now() - std::chrono::hours(24 * 30);
  for (fs::directory_iterator it(fs::path(dir) / "index", ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (it->last_write_time(entry_ec) < unused_before && !entry_ec) fs::remove(it->path(), entry_ec);
  }
  const uint64_t limit = cacheSizeLimit();
  if (total <= limit) return;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
  for (const Entry& entry : entries) {
    if (total <= limit) break;
    if (entry.path == fs::path(keep)) continue;
    std::error_code remove_ec;
    if (fs::remove(entry.path, remove_ec)) total -= entry.size;
  }
}

uint64_t codeSectionSize(std::span<const uint8_t> wasm) {
  size_t p = 8;  // magic and version
  auto leb = [&](uint64_t* out) {
    uint64_t v = 0;
    for (unsigned shift = 0; p < wasm.size() && shift < 35; shift += 7) {
      uint8_t b = wasm[p++];
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *out = v;
        return true;
      }
    }
    return false;
  };
  while (p < wasm.size()) {
    uint8_t id = wasm[p++];
    uint64_t size = 0;
    if (!leb(&size) || size > wasm.size() - p) break;
    if (id == 10) return size;
    p += size;
  }
  return wasm.size();
}

std::string temporaryPathFor(const std::string& final_path) {
  static std::atomic<unsigned> counter{0};
  return final_path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::optional<std::vector<uint8_t>> readOpenFile(int fd, uint64_t size, std::string* error) {
  std::vector<uint8_t> bytes(size);
  size_t filled = 0;
  for (;;) {
    if (filled == bytes.size()) bytes.resize(bytes.size() + 4096);  // it grew, or it is not a plain file
    ssize_t n = ::pread(fd, bytes.data() + filled, bytes.size() - filled, static_cast<off_t>(filled));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  bytes.resize(filled);
  return bytes;
}

std::optional<std::vector<uint8_t>> readWholeFile(const std::string& path, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  auto bytes = ::fstat(fd, &st) == 0 ? readOpenFile(fd, static_cast<uint64_t>(st.st_size), error) : std::nullopt;
  if (!bytes && error->empty()) *error = std::strerror(errno);
  ::close(fd);
  return bytes;
}

FileKind detectFileKind(std::span<const uint8_t> head) {
  if (head.size() >= 4 && head[0] == 0 && head[1] == 'a' && head[2] == 's' && head[3] == 'm') return FileKind::Wasm;
  if (head.size() >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F')
    return FileKind::SharedObject;
  return FileKind::Unknown;
}

FileKind detectFileKindOfPath(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  uint8_t head[4] = {};
  in.read(reinterpret_cast<char*>(head), 4);
  return detectFileKind(std::span<const uint8_t>(head, static_cast<size_t>(in.gcount())));
}

}  // namespace wasmaot::cli
