// Validator: the spec's validation algorithm (operand and control stacks,
// polymorphic stack after unreachable, every limit), module-level checks, and
// decoding of each function body into FunctionCode for code generation.
#pragma once

#include <span>
#include <vector>

#include "wasmaot/compiler/decoded_module.h"
#include "wasmaot/compiler/function_code.h"

namespace wasmaot::compiler {

// Module-level validation (limits, indices, constant expressions, exports,
// start function, segments). Throws CompileError.
void validateModule(const DecodedModule& module);

// Validates one function body and returns its instructions. Throws
// CompileError with the offset of the offending instruction. Thread-safe
// (called from several threads for different functions).
FunctionCode validateFunction(const DecodedModule& module, std::span<const uint8_t> file_bytes,
                              const FunctionBodyBytes& body);

}  // namespace wasmaot::compiler
