// libFuzzer target (a): the decoder and the validator on arbitrary bytes.
// Every input must either decode and validate, or be refused with a
// CompileError whose offset lies within the input; anything else (a crash, a
// sanitizer report, another exception escaping) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "wasmaot/compiler/compile_error.h"
#include "wasmaot/compiler/decoder.h"
#include "wasmaot/compiler/validator.h"

using namespace wasmaot::compiler;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  try {
    DecodedModule module = decodeModule(bytes);
    validateModule(module);
    for (const FunctionBodyBytes& body : module.bodies) {
      if (body.offset > size || body.size > size - body.offset) std::abort();  // body outside the file
      FunctionCode code = validateFunction(module, bytes, body);
      if (code.instructions.empty()) std::abort();  // a valid body ends with `end`
    }
  } catch (const CompileError& e) {
    if (e.offset() > size) std::abort();  // the offset names a byte of the input (or its end)
  }
  return 0;
}
