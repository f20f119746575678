// The `run` face shared by `wasmaot run` and `wasmaot-run`: find or compile
// the .so, load it, instantiate it with WASI, call `_start`, and turn the
// outcome into the process exit status. Links only the runtime; the compiler
// is reached through an optional callback that `wasmaot` provides.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli_args.h"

namespace wasmaot::cli {

// Exit statuses of the CLI (the trap status is abi::kTrapExitStatus = 70).
constexpr int kExitCompileError = 1;
constexpr int kExitUsageError = 2;  // bad flag, missing file, foreign .so, link error

struct CompileRequest {
  std::span<const uint8_t> wasm;
  std::string display_name;  // the .wasm path, for messages
  std::string output_path;   // where the .so must appear (only on success)
  unsigned opt_level = 2;
  unsigned threads = 0;
  std::string target_cpu = "native";  // "native", "portable" or an LLVM CPU name
  bool exact_trap_state = false;      // CompileOptions::exact_trap_state
};

// Returns nullopt on success, or the one-line message to print
// ("error: FILE: offset 0xNN: ...").
using CompileFunction = std::function<std::optional<std::string>(const CompileRequest&)>;

struct RunContext {
  std::string invocation;   // "wasmaot run" or "wasmaot-run", for help and hints
  CompileFunction compile;  // empty: cannot compile (wasmaot-run)
};

// Parses `args` (everything after "run", or after the program name for
// wasmaot-run), prints help/version/usage errors, and runs. Returns the exit status.
int runCommandMain(const std::vector<std::string>& args, const RunContext& context);

// Runs an already parsed command. Returns the exit status.
int runModule(const RunArgs& args, const RunContext& context);

// "wasmaot 0.1.0 (ABI 1, build id …)".
std::string versionText();

// Prints "<invocation>: error: <message>" and a "Try '<invocation> --help'." hint.
void printUsageError(const std::string& invocation, const std::string& message);

// Makes a message fit on one line.
std::string oneLine(std::string text);

}  // namespace wasmaot::cli
