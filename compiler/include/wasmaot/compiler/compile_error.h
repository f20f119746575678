// The one error type of the compiler front end: what is wrong and the byte
// offset in the .wasm where it was found.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace wasmaot::compiler {

class CompileError : public std::runtime_error {
 public:
  CompileError(size_t offset, const std::string& message)
      : std::runtime_error(message), offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

}  // namespace wasmaot::compiler
