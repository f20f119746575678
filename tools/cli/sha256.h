// SHA-256 (FIPS 180-4), used for the compile cache key of a .wasm. Small and
// dependency-free so that the runtime-only launcher can use it too.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace wasmaot::cli {

class Sha256 {
 public:
  Sha256();
  void update(std::span<const uint8_t> bytes);
  std::array<uint8_t, 32> finish();

 private:
  void compressBlock(const uint8_t* block);
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::array<uint8_t, 32> sha256(std::span<const uint8_t> bytes);
std::string toHex(std::span<const uint8_t> bytes);

}  // namespace wasmaot::cli
