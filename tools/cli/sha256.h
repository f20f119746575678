// SHA-256 for the compile cache key of a .wasm, by OpenSSL's libcrypto (which
// uses the CPU's SHA extensions where there are any). libcrypto is loaded on
// first use, not linked: mapping and initialising it costs more than a whole
// run of a small cached module, and a cache hit through the index
// (module_cache.h) never hashes at all.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace wasmaot::cli {

// nullopt (and *error, one line) only if libcrypto cannot be loaded.
std::optional<std::array<uint8_t, 32>> sha256(std::span<const uint8_t> bytes, std::string* error);

// The lowercase hex digest, or nullopt as sha256().
std::optional<std::string> sha256Hex(std::span<const uint8_t> bytes, std::string* error);

std::string toHex(std::span<const uint8_t> bytes);

}  // namespace wasmaot::cli
