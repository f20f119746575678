// `wasmaot-run`: the launcher. Runs compiled modules with the runtime only —
// no compiler, no LLVM. A .wasm runs only if the compile cache has it.
#include <string>
#include <vector>

#include "run_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return wasmaot::cli::runCommandMain(args, wasmaot::cli::RunContext{"wasmaot-run", {}});
}
