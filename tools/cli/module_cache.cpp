// Cache location, entry naming and small file helpers (see module_cache.h).
#include "module_cache.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "sha256.h"
#include "wasmaot/abi/build_id.h"
#include "wasmaot/runtime/runtime.h"

namespace wasmaot::cli {

std::string cacheDirectory() {
  if (const char* dir = std::getenv("WASMAOT_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/wasmaot";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/wasmaot";
  return "";
}

std::string cacheEntryName(std::span<const uint8_t> wasm, unsigned opt_level, const std::string& cpu_tag) {
  auto digest = sha256(wasm);
  std::string name = toHex(digest) + "-" + abi::kBuildId + "-O" + std::to_string(opt_level);
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

std::string cacheEntryPath(const std::string& dir, std::span<const uint8_t> wasm, unsigned opt_level,
                           const std::string& cpu_tag) {
  return dir + "/" + cacheEntryName(wasm, opt_level, cpu_tag);
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
    if (name.find(".so.tmp-") != std::string::npos) {
      if (used < stale_before) fs::remove(it->path(), entry_ec);
      continue;
    }
    if (!name.ends_with(".so")) continue;
    const uint64_t size = it->file_size(entry_ec);
    if (entry_ec) continue;
    total += size;
    entries.push_back({used, size, it->path()});
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

std::string temporaryPathFor(const std::string& final_path) {
  static std::atomic<unsigned> counter{0};
  return final_path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::optional<std::vector<uint8_t>> readWholeFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    *error = "read error";
    return std::nullopt;
  }
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
