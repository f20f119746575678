// Links the in-memory objects of one module into a shared object with LLD,
// in process (no external linker is run).
#pragma once

#include <string>
#include <vector>

#include "module_codegen.h"

namespace wasmaot::compiler {

// Writes `output_path` only on success: the objects go to a private
// temporary directory, LLD writes `<output>.tmp.<pid>.<n>`, which is then
// renamed. Nothing is left behind on failure. Throws std::runtime_error with
// LLD's diagnostics. Thread-safe (links are serialised: LLD is not re-entrant).
void linkSharedObject(const std::vector<ObjectCode>& objects, const std::string& output_path);

}  // namespace wasmaot::compiler
