// Helpers for the decoder and validator unit tests: build small .wasm files
// byte by byte (header, sections with computed sizes, LEB128 numbers), and
// run the front end on them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "wasmaot/compiler/compile_error.h"
#include "wasmaot/compiler/decoder.h"
#include "wasmaot/compiler/validator.h"

namespace wasmaot::test {

using Bytes = std::vector<uint8_t>;

inline Bytes uleb(uint64_t value) {
  Bytes out;
  do {
    uint8_t b = value & 0x7F;
    value >>= 7;
    if (value != 0) b |= 0x80;
    out.push_back(b);
  } while (value != 0);
  return out;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  size_t total = 0;
  for (const Bytes& part : parts) total += part.size();
  Bytes out;
  out.reserve(total);
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// A length-prefixed name.
inline Bytes name(std::string_view text) {
  Bytes out = uleb(text.size());
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

// A section: id, size, content.
inline Bytes section(uint8_t id, const Bytes& content) {
  return concat({Bytes{id}, uleb(content.size()), content});
}

// A vector: count, then the items as given.
inline Bytes vec(uint32_t count, const Bytes& items) { return concat({uleb(count), items}); }

inline Bytes wasmModule(std::initializer_list<Bytes> sections) {
  Bytes header = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes out = concat({header});
  for (const Bytes& s : sections) out = concat({out, s});
  return out;
}

// A code-section entry: size, local declarations, expression.
inline Bytes functionBody(const Bytes& locals_and_code) { return concat({uleb(locals_and_code.size()), locals_and_code}); }

// Decodes and fully validates; returns "" on success or the error message.
inline std::string frontEndError(const Bytes& bytes) {
  try {
    compiler::DecodedModule module = compiler::decodeModule(bytes);
    compiler::validateModule(module);
    for (const auto& body : module.bodies) compiler::validateFunction(module, bytes, body);
  } catch (const compiler::CompileError& e) {
    return e.what();
  }
  return "";
}

// Just the decoder; returns "" on success or the error message.
inline std::string decodeError(const Bytes& bytes) {
  try {
    compiler::decodeModule(bytes);
  } catch (const compiler::CompileError& e) {
    return e.what();
  }
  return "";
}

// A module with one function of type `params -> results` whose body is
// `locals_and_code`; `extra_sections` go between the function section and
// the code section (table, memory, global, export, start, element, datacount
// in that order).
inline Bytes singleFunctionModule(const Bytes& params, const Bytes& results, const Bytes& locals_and_code,
                                  std::initializer_list<Bytes> extra_sections = {}, const Bytes& trailing = {}) {
  Bytes out = wasmModule({
      section(1, vec(1, concat({Bytes{0x60}, uleb(params.size()), params, uleb(results.size()), results}))),
      section(3, vec(1, {0x00})),
  });
  for (const Bytes& s : extra_sections) out.insert(out.end(), s.begin(), s.end());
  const Bytes code = section(10, vec(1, functionBody(locals_and_code)));
  out.insert(out.end(), code.begin(), code.end());
  out.insert(out.end(), trailing.begin(), trailing.end());
  return out;
}

}  // namespace wasmaot::test
