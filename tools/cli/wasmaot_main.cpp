// `wasmaot`: the full CLI (compile, run, inspect). Links the runtime; the
// compiler is a library it loads only when a module must be compiled or
// decoded (compiler_loader.h), so running a .so or a cached .wasm costs what
// `wasmaot-run` costs.
#include <cstdio>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_args.h"
#include "inspect_command.h"
#include "module_cache.h"
#include "run_command.h"
#include "compiler_loader.h"

namespace wasmaot::cli {
namespace {

constexpr const char* kTopUsage =
    "usage: wasmaot COMMAND [options] ...\n"
    "\n"
    "Commands:\n"
    "  compile IN.wasm -o OUT.so [-O0..-O3] [-j N] [--target-cpu=CPU] [--exact-trap-state]\n"
    "                                                compile a module ahead of time\n"
    "  run [options] FILE [args...]                  run a WASI command (.so or .wasm)\n"
    "  inspect FILE                                  describe a .so or .wasm\n"
    "\n"
    "  -h, --help     show this help (also `wasmaot COMMAND --help`)\n"
    "  --version      show the version and compiler build id\n";

int compileCommandMain(const std::vector<std::string>& args) {
  Parsed<CompileArgs> parsed = parseCompileArgs(args);
  switch (parsed.action) {
    case ParseAction::ShowHelp:
      std::cout << kCompileUsage;
      return 0;
    case ParseAction::ShowVersion:
      std::cout << versionText() << "\n";
      return 0;
    case ParseAction::Error:
      printUsageError("wasmaot compile", parsed.error);
      return kExitUsageError;
    case ParseAction::Proceed:
      break;
  }
  const CompileArgs& a = parsed.value;
  if (auto problem = checkTargetCpuThroughLibrary(a.target_cpu)) {
    printUsageError("wasmaot compile", *problem);
    return kExitUsageError;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(a.input, ec)) {
    std::cerr << "error: " << a.input << ": no such file\n";
    return kExitUsageError;
  }
  std::string error;
  auto wasm = readWholeFile(a.input, &error);
  if (!wasm) {
    std::cerr << "error: " << a.input << ": " << oneLine(error) << "\n";
    return kExitUsageError;
  }
  std::filesystem::path output_dir = std::filesystem::path(a.output).parent_path();
  if (!output_dir.empty() && !std::filesystem::is_directory(output_dir, ec)) {
    std::cerr << "error: " << a.output << ": directory " << output_dir.string() << " does not exist\n";
    return kExitUsageError;
  }
  // Compile to a temporary name and rename, so that a failed compile never
  // leaves an output file and a reader never sees a half-written one.
  std::string temporary = temporaryPathFor(a.output);
  CompileRequest request{*wasm, a.input, temporary, a.opt_level, a.threads, a.target_cpu, a.exact_trap_state};
  if (auto failure = compileThroughLibrary(request)) {
    std::filesystem::remove(temporary, ec);
    std::filesystem::remove(a.output, ec);  // a stale output must not look current
    std::cerr << *failure << "\n";
    return kExitCompileError;
  }
  std::filesystem::rename(temporary, a.output, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    std::cerr << "error: " << a.output << ": cannot write: " << ec.message() << "\n";
    return kExitUsageError;
  }
  return 0;
}

// `wasmaot __background-compile SOURCE ENTRY -O<N> --target-cpu=CPU
// [--exact-trap-state]`: the optimised build `wasmaot run` starts on a cache
// miss (background_build.h). Not for users. Forks at once so that the run
// waits only for this launcher; the child leaves the session's foreground,
// yields the CPU to the program (nice 10), compiles SOURCE into the cache
// entry ENTRY (write-then-rename, single-threaded) and removes SOURCE.
int backgroundCompileMain(const std::vector<std::string>& args) {
  if (args.size() < 4) return kExitUsageError;
  pid_t pid = ::fork();
  if (pid != 0) return pid < 0 ? 1 : 0;
  if (::nice(10) == -1) {
    // Best effort: at the normal priority the build still completes.
  }
  std::vector<std::string> compile = {args[0], "-o", args[1], "-j", "1"};
  compile.insert(compile.end(), args.begin() + 2, args.end());
  int status = compileCommandMain(compile);
  std::error_code ec;
  std::filesystem::remove(args[0], ec);
  std::_Exit(status);
}

int wasmaotMain(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    printUsageError("wasmaot", "no command (compile, run or inspect)");
    return kExitUsageError;
  }
  const std::string command = args.front();
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kTopUsage;
    return 0;
  }
  if (command == "--version" || command == "version") {
    std::cout << versionText() << "\n";
    return 0;
  }
  if (command == "compile") return compileCommandMain(rest);
  if (command == "run") return runCommandMain(rest, RunContext{"wasmaot run", compileThroughLibrary});
  if (command == "inspect") return inspectCommandMain(rest);
  if (command == "__background-compile") return backgroundCompileMain(rest);
  printUsageError("wasmaot", command.starts_with("-") ? "unknown option '" + command + "'"
                                                      : "unknown command '" + command + "'");
  return kExitUsageError;
}

}  // namespace
}  // namespace wasmaot::cli

int main(int argc, char** argv) { return wasmaot::cli::wasmaotMain(argc, argv); }
