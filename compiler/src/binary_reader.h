// A bounds-checked cursor over the bytes of a .wasm file, with the LEB128
// and name rules of the binary format. Every error is a CompileError with
// the absolute file offset and the spec's wording, so the decoder and the
// validator report malformed input the way the spec tests expect.
//
// The reader is bounded by the whole file, not by the current section: like
// the reference interpreter, the decoder reads a section's content and then
// checks that it ended exactly at the declared size ("section size
// mismatch"). Reads past the end of the file are "unexpected end of section
// or function".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "wasmaot/compiler/compile_error.h"

namespace wasmaot::compiler {

inline constexpr const char* kUnexpectedEnd = "unexpected end of section or function";

// True if `bytes` is well-formed UTF-8 (no overlongs, no surrogates, at most
// U+10FFFF).
inline bool isValidUtf8(std::string_view bytes) {
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    const uint8_t b0 = static_cast<uint8_t>(bytes[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t min_value;
    uint32_t value;
    if ((b0 & 0xE0) == 0xC0) {
      length = 2, min_value = 0x80, value = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      length = 3, min_value = 0x800, value = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      length = 4, min_value = 0x10000, value = b0 & 0x07;
    } else {
      return false;
    }
    if (n - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const uint8_t b = static_cast<uint8_t>(bytes[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      value = (value << 6) | (b & 0x3F);
    }
    if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

class BinaryReader {
 public:
  explicit BinaryReader(std::span<const uint8_t> bytes, size_t position = 0)
      : bytes_(bytes), pos_(position) {}

  size_t offset() const { return pos_; }
  size_t size() const { return bytes_.size(); }
  bool atEnd() const { return pos_ >= bytes_.size(); }
  size_t remaining() const { return atEnd() ? 0 : bytes_.size() - pos_; }
  void seek(size_t position) { pos_ = position; }

  [[noreturn]] void fail(const std::string& message) const { throw CompileError(pos_, message); }
  [[noreturn]] static void failAt(size_t offset, const std::string& message) {
    throw CompileError(offset, message);
  }

  uint8_t u8() {
    if (atEnd()) fail(kUnexpectedEnd);
    return bytes_[pos_++];
  }
  // The byte at the cursor without consuming it; -1 at the end.
  int peek() const { return atEnd() ? -1 : bytes_[pos_]; }

  // Fixed-width little-endian values (float constants).
  uint32_t fixedU32() { return static_cast<uint32_t>(fixed(4)); }
  uint64_t fixedU64() { return fixed(8); }

  uint32_t u32() { return static_cast<uint32_t>(unsignedLeb(32)); }
  uint64_t u64() { return unsignedLeb(64); }
  int32_t s32() { return static_cast<int32_t>(signedLeb(32)); }
  int64_t s33() { return signedLeb(33); }
  int64_t s64() { return signedLeb(64); }

  // A u32 length or vector count. As in the reference interpreter it must
  // not exceed the bytes left counted from the start of its own encoding,
  // else "length out of bounds"; this also bounds every allocation made from
  // a count by the size of the input.
  uint32_t length() {
    const size_t start = pos_;
    const uint32_t n = u32();
    if (n > bytes_.size() - start) failAt(start, "length out of bounds");
    return n;
  }

  // Raw bytes: a view into the file.
  std::span<const uint8_t> bytes(size_t n) {
    if (n > remaining()) {
      pos_ = bytes_.size();
      fail(kUnexpectedEnd);
    }
    auto view = bytes_.subspan(pos_, n);
    pos_ += n;
    return view;
  }

  // A name: length-prefixed, valid UTF-8.
  std::string name() {
    const uint32_t n = length();
    const size_t start = pos_;
    auto view = bytes(n);
    std::string text(reinterpret_cast<const char*>(view.data()), view.size());
    if (!isValidUtf8(text)) failAt(start, "malformed UTF-8 encoding");
    return text;
  }

 private:
  uint64_t fixed(int width) {
    auto view = bytes(static_cast<size_t>(width));
    uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) value = (value << 8) | view[static_cast<size_t>(i)];
    return value;
  }

  // LEB128 with the spec's rules: at most ceil(bits/7) bytes ("integer
  // representation too long"); the unused bits of the last byte must be
  // zero ("integer too large").
  uint64_t unsignedLeb(int bits) {
    uint64_t value = 0;
    int shift = 0;
    for (int remaining_bits = bits;; remaining_bits -= 7, shift += 7) {
      if (remaining_bits <= 0) fail("integer representation too long");
      const uint8_t b = u8();
      if (remaining_bits < 7 && (b & 0x7F) >= (1u << remaining_bits)) {
        failAt(pos_ - 1, "integer too large");
      }
      value |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return value;
    }
  }

  // Signed LEB128: in the last byte, the unused bits and the sign bit must
  // all be equal (a proper sign extension).
  int64_t signedLeb(int bits) {
    uint64_t value = 0;
    int shift = 0;
    for (int remaining_bits = bits;; remaining_bits -= 7, shift += 7) {
      if (remaining_bits <= 0) fail("integer representation too long");
      const uint8_t b = u8();
      if (remaining_bits < 7) {
        const uint8_t mask = static_cast<uint8_t>((0xFFu << (remaining_bits - 1)) & 0x7F);
        if ((b & mask) != 0 && (b & mask) != mask) failAt(pos_ - 1, "integer too large");
      }
      value |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if ((b & 0x40) != 0 && shift + 7 < 64) value |= ~uint64_t{0} << (shift + 7);
        return static_cast<int64_t>(value);
      }
    }
  }

  std::span<const uint8_t> bytes_;
  size_t pos_;
};

}  // namespace wasmaot::compiler
