// Command-line parsing for `wasmaot` and `wasmaot-run`: one struct per
// subcommand, filled by a parser that never exits the process itself. A
// parse error carries one line for stderr; the caller adds the usage hint and
// exits with status 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wasmaot::cli {

// What the parser asks the caller to do besides running the command.
enum class ParseAction { Proceed, ShowHelp, ShowVersion, Error };

struct CompileArgs {
  std::string input;
  std::string output;  // default: input with .wasm replaced by .so
  unsigned opt_level = 2;
  unsigned threads = 0;  // 0 = all cores
  std::string target_cpu = "native";  // --target-cpu=native|portable|NAME, --portable
  bool exact_trap_state = false;      // --exact-trap-state
};

struct RunArgs {
  std::string file;                // .so or .wasm
  std::vector<std::string> args;   // guest arguments after FILE
  std::vector<std::string> env;    // K=V from --env
  std::vector<std::string> dirs;   // HOST[::GUEST] from --dir, checked when the run starts
  std::optional<std::string> policy;  // --policy FILE
  std::vector<std::string> addr_pool;      // --addr-pool=ADDR/MASK[,...] (repeatable)
  std::vector<std::string> tcplisten;      // --tcplisten=ADDR:PORT (repeatable)
  std::vector<std::string> allow_resolve;  // --allow-resolve=PATTERN (repeatable)
  bool trace_policy = false;               // --trace-policy
  std::optional<uint32_t> max_threads;     // --max-threads N (wasi-threads)
  unsigned opt_level = 2;          // for the implicit compile of a .wasm
  std::string target_cpu = "native";  // ditto: --target-cpu=native|portable|NAME, --portable
  bool exact_trap_state = false;      // ditto: --exact-trap-state
  bool wait_for_optimized = false;    // --wait-for-optimized: no quick -O0 start on a cache miss
};

struct InspectArgs {
  std::string file;
};

template <typename T>
struct Parsed {
  ParseAction action = ParseAction::Proceed;
  T value;
  std::string error;  // one line, when action == Error
};

// `args` excludes the program name and the subcommand word.
Parsed<CompileArgs> parseCompileArgs(const std::vector<std::string>& args);
Parsed<RunArgs> parseRunArgs(const std::vector<std::string>& args);
Parsed<InspectArgs> parseInspectArgs(const std::vector<std::string>& args);

// --target-cpu=X, --target-cpu X, --portable: true if args[*i] is one of
// them (consuming a separate value, *i advanced); *error set when the value
// is missing or empty.
bool parseTargetCpuFlag(const std::vector<std::string>& args, size_t* i, std::string* target_cpu,
                        std::string* error);

// "-O2" → 2; nullopt for anything that is not -O0..-O3.
std::optional<unsigned> parseOptLevelFlag(const std::string& arg);

extern const char* const kCompileUsage;
extern const char* const kInspectUsage;
// The run usage, with the program spelling ("wasmaot run" or "wasmaot-run").
std::string runUsage(const std::string& invocation, bool can_compile);

}  // namespace wasmaot::cli
