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

// Where each module-level entity starts in the file, so that module-level
// validation errors can say where (ModuleInfo, shared with the runtime,
// keeps no positions). Index spaces as in ModuleInfo: imports first.
struct EntityOffsets {
  std::vector<size_t> functions;  // the type index of each function (import or declaration)
  std::vector<size_t> tables;
  std::vector<size_t> memories;
  std::vector<size_t> globals;
  std::vector<size_t> tags;  // the attribute byte of each tag (import or definition)
  std::vector<size_t> elements;
  std::vector<size_t> data;
  std::vector<size_t> exports;
  size_t start = 0;  // the start section's function index
};

struct DecodedModule {
  abi::ModuleInfo info;
  EntityOffsets offsets;
  std::vector<FunctionBodyBytes> bodies;  // one per defined function, in order
  std::optional<uint32_t> data_count;     // from the DataCount section
  std::vector<uint32_t> declared_function_refs;  // functions named in elements/exports/globals (for ref.func validation), sorted, unique
};

}  // namespace wasmaot::compiler
