// Binary decoder: every section of the WebAssembly 2.0 binary format (without
// SIMD), the name custom section included. Checks well-formedness only
// ("malformed" in spec terms); typing is the validator's job.
#pragma once

#include <span>

#include "wasmaot/compiler/decoded_module.h"

namespace wasmaot::compiler {

// Throws CompileError (offset + message) on malformed input. Never reads past
// `bytes`, never allocates more than a small multiple of bytes.size() even
// for huge declared counts.
DecodedModule decodeModule(std::span<const uint8_t> bytes);

}  // namespace wasmaot::compiler
