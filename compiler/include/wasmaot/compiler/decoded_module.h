// A decoded (not yet validated) module: the static ModuleInfo plus the raw
// code of each defined function.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "wasmaot/abi/module_info.h"

namespace wasmaot::compiler {

struct FunctionBodyBytes {
  uint32_t function_index = 0;  // in the function index space (imports first)
  size_t offset = 0;            // offset of the body (after its size LEB) in the file
  size_t size = 0;              // bytes of the body: local declarations then expression
};

struct DecodedModule {
  abi::ModuleInfo info;
  std::vector<FunctionBodyBytes> bodies;  // one per defined function, in order
  std::optional<uint32_t> data_count;     // from the DataCount section
  std::vector<uint32_t> declared_function_refs;  // functions named in elements/exports/globals (for ref.func validation), sorted, unique
};

}  // namespace wasmaot::compiler
