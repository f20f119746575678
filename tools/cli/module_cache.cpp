// Cache location, entry naming and small file helpers (see module_cache.h).
#include "module_cache.h"

#include <unistd.h>

#include <atomic>
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
