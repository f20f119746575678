// SHA-256 through a lazily loaded libcrypto (see sha256.h).
#include "sha256.h"

#include <dlfcn.h>
#include <openssl/evp.h>

namespace wasmaot::cli {
namespace {

// The two libcrypto functions we need, typed by OpenSSL's own declarations.
struct Libcrypto {
  decltype(&EVP_Digest) digest = nullptr;
  decltype(&EVP_sha256) sha256 = nullptr;
};

// Loaded once and never unloaded; null (and *error) if it is not installed.
const Libcrypto* libcrypto(std::string* error) {
  static std::string load_error;
  static const Libcrypto* loaded = [] () -> const Libcrypto* {
    // The soname of OpenSSL 3 (Debian 12: package libssl3).
    void* handle = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      load_error = "cannot hash the module: " + std::string(why ? why : "libcrypto.so.3 not found") +
                   " (install Debian's libssl3)";
      return nullptr;
    }
    static Libcrypto functions;
    functions.digest = reinterpret_cast<decltype(&EVP_Digest)>(dlsym(handle, "EVP_Digest"));
    functions.sha256 = reinterpret_cast<decltype(&EVP_sha256)>(dlsym(handle, "EVP_sha256"));
    if (!functions.digest || !functions.sha256) {
      load_error = "cannot hash the module: libcrypto.so.3 lacks EVP_Digest or EVP_sha256";
      return nullptr;
    }
    return &functions;
  }();
  if (!loaded) *error = load_error;
  return loaded;
}

}  // namespace

std::optional<std::array<uint8_t, 32>> sha256(std::span<const uint8_t> bytes, std::string* error) {
  const Libcrypto* crypto = libcrypto(error);
  if (!crypto) return std::nullopt;
  std::array<uint8_t, 32> digest{};
  unsigned int size = 0;
  if (crypto->digest(bytes.data(), bytes.size(), digest.data(), &size, crypto->sha256(), nullptr) != 1 ||
      size != digest.size()) {
    *error = "cannot hash the module: EVP_Digest failed";
    return std::nullopt;
  }
  return digest;
}

std::optional<std::string> sha256Hex(std::span<const uint8_t> bytes, std::string* error) {
  auto digest = sha256(bytes, error);
  if (!digest) return std::nullopt;
  return toHex(*digest);
}

std::string toHex(std::span<const uint8_t> bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace wasmaot::cli
