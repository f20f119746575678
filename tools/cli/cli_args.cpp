// Argument parsing for the CLI subcommands (see cli_args.h).
#include "cli_args.h"

#include <charconv>
#include <cerrno>
#include <cstdlib>

#include "wasmaot/runtime/wasi.h"

namespace wasmaot::cli {

const char* const kCompileUsage =
    "usage: wasmaot compile IN.wasm [-o OUT.so] [-O0|-O1|-O2|-O3] [-j N] [--target-cpu=CPU]\n"
    "                       [--exact-trap-state]\n"
    "\n"
    "Compiles a WebAssembly module ahead of time into a native shared object.\n"
    "\n"
    "  -o OUT.so   output path (default: IN with .wasm replaced by .so)\n"
    "  -O0..-O3    optimisation level (default -O2)\n"
    "  -j N        compile functions on N threads (default: all cores)\n"
    "  --target-cpu=native|portable|CPU\n"
    "              generate code for this machine's CPU and all its features\n"
    "              (native, the default), for any x86-64 (portable, SSE2 only;\n"
    "              also --portable) or for an LLVM CPU name (x86-64-v3, znver3,\n"
    "              skylake, ...). The .so records the features it needs and\n"
    "              refuses to load on a CPU without them.\n"
    "  --exact-trap-state\n"
    "              leave memory exactly as the spec says after a trap inside a\n"
    "              loop that stores (for embedders that keep using an instance\n"
    "              after a trap); such loops are then not vectorized. Every\n"
    "              out-of-bounds access traps with or without it.\n"
    "  -h, --help  show this help\n"
    "\n"
    "A malformed or invalid module prints one line\n"
    "  error: IN.wasm: offset 0xNN: what is wrong\n"
    "and exits with status 1; no output file is left behind.\n";

const char* const kInspectUsage =
    "usage: wasmaot inspect FILE\n"
    "\n"
    "Describes a compiled module (.so: ABI version, build id, target) or a\n"
    "WebAssembly module (.wasm): imports, exports, memories, tables, globals,\n"
    "function count and start function.\n";

std::string runUsage(const std::string& invocation, bool can_compile) {
  std::string text = "usage: " + invocation + " [options] FILE [args...]\n\n";
  text += can_compile
              ? "Runs a WASI command. FILE is a compiled .so or a .wasm, which is compiled\n"
                "once into the cache ($WASMAOT_CACHE_DIR, $XDG_CACHE_HOME/wasmaot or\n"
                "~/.cache/wasmaot) and reused. On the first run of a .wasm it starts\n"
                "from a quick -O0 build while the optimised one is made for the cache in\n"
                "the background; later runs use the optimised one.\n"
              : "Runs a WASI command. FILE is a compiled .so, or a .wasm that `wasmaot\n"
                "compile` or `wasmaot run` has already compiled into the cache.\n";
  text +=
      "\n"
      "  --env K=V   set an environment variable for the guest (repeatable)\n"
      "  --dir HOST[::GUEST]\n"
      "              let the guest use directory HOST under the name GUEST\n"
      "              (default: HOST as spelled); repeatable\n"
      "  --policy FILE\n"
      "              capability manifest (JSON: filesystem, env, limits, network;\n"
      "              see docs/WASI.md, docs/SOCKETS.md); the flags add to it\n"
      "  --tcplisten=ADDR:PORT\n"
      "              open a listening TCP socket before the guest starts and\n"
      "              give it to the guest as the next fd after the --dir\n"
      "              preopens (wasmtime's -S tcplisten; IPv6 as [ADDR]:PORT);\n"
      "              repeatable\n"
      "  --addr-pool=ADDR/MASK[,ADDR/MASK...]\n"
      "              let the guest connect and bind to these addresses (any\n"
      "              port; IPv4 or IPv6 CIDR); repeatable. No network otherwise\n"
      "  --allow-resolve=PATTERN\n"
      "              let the guest resolve names matching PATTERN (NAME, *.SUFFIX\n"
      "              or *); repeatable\n"
      "  --trace-policy\n"
      "              print each network decision and its rule on stderr\n"
      "  --max-threads N\n"
      "              wasi-threads: at most N threads at once, the main one\n"
      "              included (default 64, or limits.threads of the policy)\n"
      "  -O0..-O3    optimisation level of the cached compile (default -O2)\n"
      "  --target-cpu=native|portable|CPU, --portable\n"
      "              CPU of the cached compile (default native; see\n"
      "              `wasmaot compile --help`)\n"
      "  --exact-trap-state\n"
      "              compile the cached copy with --exact-trap-state (see\n"
      "              `wasmaot compile --help`; cached separately)\n"
      "  --wait-for-optimized\n"
      "              on a cache miss, compile at the chosen level and then run,\n"
      "              instead of starting from a quick -O0 build\n"
      "  --          end of options\n"
      "  -h, --help  show this help\n"
      "  --version   show the version\n"
      "\n"
      "Exit status: the guest's own (proc_exit, or 0 when _start returns); 70 when\n"
      "the guest traps; 1 for a compile error; 2 for a usage or configuration\n"
      "error (bad flag, missing file, .so from another build, link error).\n";
  return text;
}

std::optional<unsigned> parseOptLevelFlag(const std::string& arg) {
  if (arg.size() == 3 && arg[0] == '-' && arg[1] == 'O' && arg[2] >= '0' && arg[2] <= '3') {
    return static_cast<unsigned>(arg[2] - '0');
  }
  return std::nullopt;
}

bool parseTargetCpuFlag(const std::vector<std::string>& args, size_t* i, std::string* target_cpu,
                        std::string* error) {
  const std::string& arg = args[*i];
  std::string value;
  if (arg == "--portable") {
    value = "portable";
  } else if (arg == "--target-cpu") {
    if (*i + 1 >= args.size()) {
      *error = "option '--target-cpu' needs a value (native, portable or a CPU name)";
      return true;
    }
    value = args[++*i];
  } else if (arg.rfind("--target-cpu=", 0) == 0) {
    value = arg.substr(13);
  } else {
    return false;
  }
  if (value.empty()) {
    *error = "option '--target-cpu' needs a value (native, portable or a CPU name)";
    return true;
  }
  *target_cpu = value;
  return true;
}

namespace {

template <typename T>
Parsed<T> fail(std::string message) {
  Parsed<T> p;
  p.action = ParseAction::Error;
  p.error = std::move(message);
  return p;
}

bool parseUnsigned(const std::string& text, unsigned* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool looksLikeOption(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

}  // namespace

Parsed<CompileArgs> parseCompileArgs(const std::vector<std::string>& args) {
  Parsed<CompileArgs> p;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!options_done && looksLikeOption(arg)) {
      if (arg == "--") {
        options_done = true;
      } else if (arg == "-h" || arg == "--help") {
        p.action = ParseAction::ShowHelp;
        return p;
      } else if (arg == "--version") {
        p.action = ParseAction::ShowVersion;
        return p;
      } else if (auto level = parseOptLevelFlag(arg)) {
        p.value.opt_level = *level;
      } else if (std::string error; parseTargetCpuFlag(args, &i, &p.value.target_cpu, &error)) {
        if (!error.empty()) return fail<CompileArgs>(error);
      } else if (arg == "--exact-trap-state") {
        p.value.exact_trap_state = true;
      } else if (arg == "-o" || arg == "-j") {
        if (i + 1 >= args.size()) return fail<CompileArgs>("option '" + arg + "' needs a value");
        const std::string& v = args[++i];
        if (arg == "-o") {
          p.value.output = v;
        } else if (!parseUnsigned(v, &p.value.threads) || p.value.threads == 0) {
          return fail<CompileArgs>("-j needs a positive number, got '" + v + "'");
        }
      } else if (arg.rfind("-o", 0) == 0) {
        p.value.output = arg.substr(2);
      } else if (arg.rfind("-j", 0) == 0) {
        if (!parseUnsigned(arg.substr(2), &p.value.threads) || p.value.threads == 0) {
          return fail<CompileArgs>("-j needs a positive number, got '" + arg.substr(2) + "'");
        }
      } else {
        return fail<CompileArgs>("unknown option '" + arg + "'");
      }
    } else if (p.value.input.empty()) {
      p.value.input = arg;
    } else {
      return fail<CompileArgs>("unexpected argument '" + arg + "' (one input file only)");
    }
  }
  if (p.value.input.empty()) return fail<CompileArgs>("no input file");
  if (p.value.output.empty()) {
    std::string base = p.value.input;
    if (base.size() > 5 && base.ends_with(".wasm")) base.resize(base.size() - 5);
    p.value.output = base + ".so";
  }
  return p;
}

Parsed<RunArgs> parseRunArgs(const std::vector<std::string>& args) {
  Parsed<RunArgs> p;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!looksLikeOption(arg)) break;
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "-h" || arg == "--help") {
      p.action = ParseAction::ShowHelp;
      return p;
    }
    if (arg == "--version") {
      p.action = ParseAction::ShowVersion;
      return p;
    }
    if (auto level = parseOptLevelFlag(arg)) {
      p.value.opt_level = *level;
      continue;
    }
    if (std::string error; parseTargetCpuFlag(args, &i, &p.value.target_cpu, &error)) {
      if (!error.empty()) return fail<RunArgs>(error);
      continue;
    }
    if (arg == "--exact-trap-state") {
      p.value.exact_trap_state = true;
      continue;
    }
    if (arg == "--wait-for-optimized") {
      p.value.wait_for_optimized = true;
      continue;
    }
    if (arg == "--dir" || arg == "--policy") {
      if (i + 1 >= args.size()) {
        return fail<RunArgs>("option '" + arg + "' needs a value" + (arg == "--dir" ? " HOST[::GUEST]" : " FILE"));
      }
      if (arg == "--dir") p.value.dirs.push_back(args[++i]);
      else p.value.policy = args[++i];
      continue;
    }
    if (arg.rfind("--dir=", 0) == 0) {
      p.value.dirs.push_back(arg.substr(6));
      continue;
    }
    if (arg.rfind("--policy=", 0) == 0) {
      p.value.policy = arg.substr(9);
      continue;
    }
    if (arg == "--trace-policy") {
      p.value.trace_policy = true;
      continue;
    }
    if (arg == "--addr-pool" || arg == "--allow-resolve") {
      if (i + 1 >= args.size()) {
        return fail<RunArgs>("option '" + arg + "' needs a value" + (arg == "--addr-pool" ? " ADDR/MASK" : " PATTERN"));
      }
      (arg == "--addr-pool" ? p.value.addr_pool : p.value.allow_resolve).push_back(args[++i]);
      continue;
    }
    if (arg == "--max-threads" || arg.rfind("--max-threads=", 0) == 0) {
      std::string value;
      if (arg == "--max-threads") {
        if (i + 1 >= args.size()) return fail<RunArgs>("option '--max-threads' needs a value N");
        value = args[++i];
      } else {
        value = arg.substr(14);
      }
      char* end = nullptr;
      errno = 0;
      unsigned long n = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || errno != 0 || value[0] == '-' || n < 1 || n > runtime::kMaxGuestThreads) {
        return fail<RunArgs>("--max-threads needs a number from 1 to " + std::to_string(runtime::kMaxGuestThreads) +
                             ", got '" + value + "'");
      }
      p.value.max_threads = static_cast<uint32_t>(n);
      continue;
    }
    if (arg == "--tcplisten") {
      if (i + 1 >= args.size()) return fail<RunArgs>("option '--tcplisten' needs a value ADDR:PORT");
      p.value.tcplisten.push_back(args[++i]);
      continue;
    }
    if (arg.rfind("--tcplisten=", 0) == 0) {
      p.value.tcplisten.push_back(arg.substr(12));
      continue;
    }
    if (arg.rfind("--addr-pool=", 0) == 0) {
      p.value.addr_pool.push_back(arg.substr(12));
      continue;
    }
    if (arg.rfind("--allow-resolve=", 0) == 0) {
      p.value.allow_resolve.push_back(arg.substr(16));
      continue;
    }
    std::string env_value;
    if (arg == "--env") {
      if (i + 1 >= args.size()) return fail<RunArgs>("option '--env' needs a value K=V");
      env_value = args[++i];
    } else if (arg.rfind("--env=", 0) == 0) {
      env_value = arg.substr(6);
    } else {
      return fail<RunArgs>("unknown option '" + arg + "'");
    }
    size_t eq = env_value.find('=');
    if (eq == std::string::npos || eq == 0) {
      return fail<RunArgs>("--env needs K=V, got '" + env_value + "'");
    }
    p.value.env.push_back(env_value);
  }
  if (i >= args.size()) return fail<RunArgs>("no file to run");
  p.value.file = args[i++];
  p.value.args.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return p;
}

Parsed<InspectArgs> parseInspectArgs(const std::vector<std::string>& args) {
  Parsed<InspectArgs> p;
  bool options_done = false;
  for (const std::string& arg : args) {
    if (!options_done && looksLikeOption(arg)) {
      if (arg == "--") {
        options_done = true;
      } else if (arg == "-h" || arg == "--help") {
        p.action = ParseAction::ShowHelp;
        return p;
      } else if (arg == "--version") {
        p.action = ParseAction::ShowVersion;
        return p;
      } else {
        return fail<InspectArgs>("unknown option '" + arg + "'");
      }
    } else if (p.value.file.empty()) {
      p.value.file = arg;
    } else {
      return fail<InspectArgs>("unexpected argument '" + arg + "' (one file only)");
    }
  }
  if (p.value.file.empty()) return fail<InspectArgs>("no file to inspect");
  return p;
}

}  // namespace wasmaot::cli
