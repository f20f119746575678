// The `spectest` host module that the spec scripts import: print functions,
// globals (666 / 666.6), a funcref table (10..20) and a memory (1..2 pages).
#pragma once

#include <string>

#include "wasmaot/runtime/runtime.h"

namespace wasmaot::spec {

// Defines every `spectest` export in `imports`. Returns false (and sets
// *error) if a memory cannot be reserved. `echo` prints the print_* calls.
bool defineSpectestModule(runtime::Imports& imports, bool echo, std::string* error);

}  // namespace wasmaot::spec
