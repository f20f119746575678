// `wasmaot inspect FILE`: prints what a .so descriptor or a .wasm declares.
#pragma once

#include <string>
#include <vector>

namespace wasmaot::cli {

// `args` excludes "inspect". Returns the exit status.
int inspectCommandMain(const std::vector<std::string>& args);

}  // namespace wasmaot::cli
