// The spec-suite runner: converts each .wast of the shared spec testsuite's
// groups (core: the top level; simd/; wasm3/relaxed-simd/; proposals/threads/;
// proposals/extended-const/, proposals/tail-call/, wasm3/tail-call/,
// wasm3/exceptions-legacy/, wasm3/multi-memory/)
// with wast2json,
// runs it in a forked child (a crash or a hang fails only that file), and
// prints one line per file, one `spec[GROUP]: N passed, N failed` line per
// group, and last exactly `spec: N passed, N failed` for all of them. Exit status 0 iff every
// failure is listed in the known-failures file; 77 (ctest's "skipped") with
// one line saying so when the testsuite directory does not exist. The
// environment variable WASMAOT_SPEC_DIR, when set, overrides --spec-dir.
//
//   spec_runner --spec-dir DIR --work-dir DIR [--known-failures FILE]
//               [--filter NAME] [--group NAME] [-j N] [--timeout SECONDS] [-O N] [--verbose]
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "spec_script.h"
#include "wasmaot/abi/build_id.h"

extern char** environ;

namespace wasmaot::spec {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kMaxFailuresListed = 20;
constexpr int kSkipped = 77;

struct RunnerOptions {
  std::string spec_dir;
  std::string work_dir;
  std::string known_failures_path;
  std::string wast2json = "wast2json";
  std::vector<std::string> filters;
  unsigned jobs = 2;
  unsigned timeout_seconds = 120;
  unsigned opt_level = 2;
  bool verbose = false;
  std::vector<std::string> groups;  // empty: every group
  std::string target_cpu = "native";
};

struct Failure {
  unsigned line = 0;
  std::string reason;
};

// The groups of the suite the runner knows: where their .wast files are
// (relative to --spec-dir) and the wast2json flags they need (the suite's
// README). Each prints its own "spec[GROUP]: N passed, N failed" line.
struct Group {
  const char* name;
  const char* subdir;
  std::vector<std::string> wast2json_flags;
};
const std::vector<Group>& knownGroups() {
  static const std::vector<Group> groups = {
      {"core", "", {}},
      {"simd", "simd", {}},
      {"relaxed-simd", "wasm3/relaxed-simd", {"--enable-relaxed-simd"}},
      {"threads", "proposals/threads", {"--enable-threads"}},
      {"extended-const", "proposals/extended-const", {"--enable-extended-const"}},
      {"tail-call", "proposals/tail-call", {"--enable-tail-call"}},
      {"wasm3-tail-call", "wasm3/tail-call", {"--enable-tail-call"}},
      {"exceptions-legacy", "wasm3/exceptions-legacy", {"--enable-exceptions", "--enable-tail-call"}},
      {"multi-memory", "wasm3/multi-memory", {"--enable-multi-memory"}},
  };
  return groups;
}

struct SpecFile {
  fs::path path;
  const Group* group;
  // Where its work files go under the work directory: the file's stem, in a
  // directory of its group's own outside core (groups share file names:
  // proposals/tail-call and wasm3/tail-call both have return_call.wast).
  std::string workName() const {
    std::string stem = path.stem().string();
    return std::string(group->name) == "core" ? stem : std::string(group->name) + "/" + stem;
  }
};

struct FileReport {
  std::string name;  // "i32.wast"
  std::string group;
  unsigned total_asserts = 0;
  bool got_total = false;
  unsigned passed = 0, skipped = 0, asserts_reported = 0;
  std::vector<Failure> failures;
  std::vector<Failure> skips;
  std::vector<std::string> mismatches;
  unsigned last_line = 0;
};

// ---- child side: results are appended to a file, one line per event ----

class FileSink : public ResultSink {
 public:
  explicit FileSink(int fd) : fd_(fd) {}
  void total(unsigned n) override { emit("T " + std::to_string(n)); }
  void passed(unsigned line) override { emit("P " + std::to_string(line)); }
  void failed(unsigned line, bool is_assert, const std::string& reason) override {
    emit("F " + std::to_string(line) + (is_assert ? " a " : " c ") + clean(reason));
  }
  void skipped(unsigned line, const std::string& reason) override {
    emit("S " + std::to_string(line) + " " + clean(reason));
  }
  void messageMismatch(unsigned line, const std::string& expected, const std::string& ours) override {
    emit("M " + std::to_string(line) + " expected '" + clean(expected) + "', got '" + clean(ours) + "'");
  }

 private:
  static std::string clean(std::string s) {
    for (char& c : s) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    if (s.size() > 400) s = s.substr(0, 400) + "...";
    return s;
  }
  void emit(const std::string& text) {
    std::string line = text + "\n";
    // One write() per event: what was reported survives a crash.
    (void)!::write(fd_, line.data(), line.size());
  }
  int fd_;
};

// Runs wast2json; any stderr output counts as failure. Returns an error or "".
std::string convertWast(const RunnerOptions& options, const SpecFile& file, const std::string& json_out,
                        const std::string& stderr_path) {
  const std::string wast = file.path.string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> argv_storage = {options.wast2json};
  argv_storage.insert(argv_storage.end(), file.group->wast2json_flags.begin(), file.group->wast2json_flags.end());
  argv_storage.insert(argv_storage.end(), {wast, "-o", json_out});
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, options.wast2json.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return "cannot run " + options.wast2json + ": " + std::strerror(rc);
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream err(stderr_path);
  std::string first_line;
  std::getline(err, first_line);
  if (!first_line.empty()) return "wast2json printed: " + first_line;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "wast2json failed";
  return "";
}

[[noreturn]] void runChild(const RunnerOptions& options, const SpecFile& file, const std::string& results_path) {
  const std::string wast_path = file.path.string();
  setpgid(0, 0);  // own process group: a timeout kills wast2json too
  int fd = ::open(results_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  if (fd < 0) _exit(3);
  FileSink sink(fd);
  std::string stem = fs::path(wast_path).stem().string();
  std::string dir = options.work_dir + "/json/" + file.workName();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  std::string json_path = dir + "/" + stem + ".json";
  std::string error = convertWast(options, file, json_path, dir + "/wast2json.stderr");
  if (!error.empty()) {
    sink.failed(0, false, "conversion failed: " + error);
    _exit(0);
  }
  ScriptOptions script_options;
  script_options.cache_dir = options.work_dir + "/cache";
  script_options.opt_level = options.opt_level;
  script_options.target_cpu = options.target_cpu;
  script_options.echo_prints = options.verbose;
  runSpecScript(json_path, script_options, sink);
  std::fflush(stdout);
  _exit(0);
}

// ---- parent side ----

FileReport readResults(const std::string& name, const std::string& results_path) {
  FileReport report;
  report.name = name;
  std::ifstream in(results_path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 2) continue;
    std::istringstream fields(line.substr(2));
    unsigned number = 0;
    fields >> number;
    std::string rest;
    std::getline(fields, rest);
    if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
    switch (line[0]) {
      case 'T':
        report.total_asserts = number;
        report.got_total = true;
        break;
      case 'P':
        ++report.passed;
        ++report.asserts_reported;
        report.last_line = number;
        break;
      case 'S':
        ++report.skipped;
        ++report.asserts_reported;
        report.skips.push_back({number, rest});
        report.last_line = number;
        break;
      case 'F': {
        bool is_assert = rest.rfind("a ", 0) == 0;
        if (is_assert) ++report.asserts_reported;
        report.failures.push_back({number, rest.size() >= 2 ? rest.substr(2) : rest});
        report.last_line = number;
        break;
      }
      case 'M':
        report.mismatches.push_back(name + ":" + std::to_string(number) + ": " + rest);
        break;
    }
  }
  return report;
}

// known_failures.txt: "file.wast:LINE  reason" or "file.wast:*  reason"; '#' comments.
std::map<std::string, std::string> loadKnownFailures(const std::string& path) {
  std::map<std::string, std::string> known;
  if (path.empty()) return known;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    size_t end = line.find_first_of(" \t", start);
    std::string key = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string reason;
    if (end != std::string::npos) {
      size_t r = line.find_first_not_of(" \t", end);
      if (r != std::string::npos) reason = line.substr(r);
    }
    known[key] = reason;
  }
  return known;
}

struct Totals {
  unsigned passed = 0, failed = 0, skipped = 0, known = 0, mismatches = 0;
  std::vector<std::string> unexpected;
  std::map<std::string, std::pair<unsigned, unsigned>> by_group;  // passed, failed
};

void printReport(const FileReport& r, const std::map<std::string, std::string>& known, bool verbose,
                 std::set<std::string>& used_known, Totals& totals) {
  std::cout << r.name << ": " << r.passed << " passed, " << r.failures.size() << " failed, " << r.skipped
            << " skipped\n";
  unsigned listed = 0;
  for (const Failure& f : r.failures) {
    // Files of groups other than core are named GROUP/FILE (file names repeat across groups).
    const std::string file = r.group == "core" ? r.name : r.group + "/" + r.name;
    std::string key = file + ":" + std::to_string(f.line);
    std::string file_key = file + ":*";
    auto it = known.find(key);
    if (it == known.end()) it = known.find(file_key);
    bool is_known = it != known.end();
    if (is_known) {
      used_known.insert(it->first);
      ++totals.known;
    } else {
      totals.unexpected.push_back(key);
    }
    if (listed < kMaxFailuresListed || verbose) {
      std::cout << "  " << key << ": " << (is_known ? "known failure: " : "FAIL: ") << f.reason << "\n";
    }
    ++listed;
  }
  if (listed > kMaxFailuresListed && !verbose) {
    std::cout << "  ... and " << (listed - kMaxFailuresListed) << " more failures (--verbose lists all)\n";
  }
  if (verbose) {
    for (const Failure& s : r.skips) std::cout << "  " << r.name << ":" << s.line << ": skipped: " << s.reason << "\n";
    for (const std::string& m : r.mismatches) std::cout << "  " << m << " (message differs)\n";
  } else if (!r.mismatches.empty()) {
    std::cout << "  note: " << r.mismatches.size()
              << " rejections passed with a different message (--verbose lists them)\n";
  }
  totals.passed += r.passed;
  totals.failed += static_cast<unsigned>(r.failures.size());
  totals.by_group[r.group].first += r.passed;
  totals.by_group[r.group].second += static_cast<unsigned>(r.failures.size());
  totals.skipped += r.skipped;
  totals.mismatches += static_cast<unsigned>(r.mismatches.size());
  std::cout.flush();
}

// Compiled modules of other compiler builds can never be used again.
void removeStaleCacheEntries(const std::string& cache_dir) {
  const std::string current = std::string("-") + abi::kBuildId + "-";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cache_dir, ec)) {
    if (entry.path().filename().string().find(current) == std::string::npos) fs::remove(entry.path(), ec);
  }
}

struct RunningChild {
  pid_t pid;
  size_t file_index;
  std::chrono::steady_clock::time_point started;
  bool timed_out = false;
};

int runAll(const RunnerOptions& options) {
  std::vector<SpecFile> files;
  std::error_code ec;
  for (const Group& group : knownGroups()) {
    if (!options.groups.empty() &&
        std::find(options.groups.begin(), options.groups.end(), group.name) == options.groups.end()) {
      continue;
    }
    const fs::path dir = fs::path(options.spec_dir) / group.subdir;
    std::vector<SpecFile> in_group;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".wast") continue;
      std::string name = entry.path().filename().string();
      if (!options.filters.empty() &&
          std::none_of(options.filters.begin(), options.filters.end(),
                       [&](const std::string& f) { return name.find(f) != std::string::npos; })) {
        continue;
      }
      in_group.push_back({entry.path(), &group});
    }
    if (ec) {
      std::cout << "spec[" << group.name << "]: skipped: no directory " << dir.string() << "\n";
      ec.clear();
      continue;
    }
    std::sort(in_group.begin(), in_group.end(), [](const SpecFile& a, const SpecFile& b) { return a.path < b.path; });
    files.insert(files.end(), in_group.begin(), in_group.end());
  }
  if (files.empty()) {
    std::cerr << "spec_runner: no .wast files in " << options.spec_dir
              << (options.filters.empty() ? "" : " matching the filter") << "\n";
    std::cout << "spec: 0 passed, 0 failed\n";
    return 2;
  }
  fs::create_directories(options.work_dir + "/cache", ec);
  removeStaleCacheEntries(options.work_dir + "/cache");
  fs::create_directories(options.work_dir + "/results", ec);

  auto known = loadKnownFailures(options.known_failures_path);
  std::set<std::string> used_known;
  Totals totals;
  std::vector<std::optional<FileReport>> reports(files.size());
  std::vector<RunningChild> running;
  size_t next_to_start = 0, next_to_print = 0;
  auto resultsPath = [&](size_t i) {
    fs::path path = options.work_dir + "/results/" + files[i].workName() + ".txt";
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    return path.string();
  };

  while (next_to_print < files.size()) {
    while (running.size() < options.jobs && next_to_start < files.size()) {
      size_t index = next_to_start++;
      std::fflush(stdout);
      pid_t pid = fork();
      if (pid == 0) runChild(options, files[index], resultsPath(index));
      if (pid < 0) {
        FileReport r;
        r.name = files[index].path.filename().string();
        r.group = files[index].group->name;
        r.failures.push_back({0, "fork failed"});
        reports[index] = r;
        continue;
      }
      setpgid(pid, pid);
      running.push_back({pid, index, std::chrono::steady_clock::now()});
    }
    // Reap finished children; kill the ones past the timeout.
    for (size_t k = 0; k < running.size();) {
      RunningChild& child = running[k];
      int status = 0;
      pid_t done = waitpid(child.pid, &status, WNOHANG);
      if (done == 0) {
        auto elapsed = std::chrono::steady_clock::now() - child.started;
        if (!child.timed_out && elapsed > std::chrono::seconds(options.timeout_seconds)) {
          kill(-child.pid, SIGKILL);
          kill(child.pid, SIGKILL);
          child.timed_out = true;
        }
        ++k;
        continue;
      }
      FileReport r = readResults(files[child.file_index].path.filename().string(), resultsPath(child.file_index));
      r.group = files[child.file_index].group->name;
      std::string where = r.last_line ? " after line " + std::to_string(r.last_line) : "";
      std::string death;
      if (child.timed_out) {
        death = "timed out after " + std::to_string(options.timeout_seconds) + " s" + where;
      } else if (WIFSIGNALED(status)) {
        death = std::string("crashed with signal ") + std::to_string(WTERMSIG(status)) + " (" +
                strsignal(WTERMSIG(status)) + ")" + where;
      } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        death = "child exited with status " + std::to_string(WEXITSTATUS(status)) + where;
      }
      if (!death.empty()) {
        unsigned not_run = r.total_asserts > r.asserts_reported ? r.total_asserts - r.asserts_reported : 0;
        r.failures.push_back({0, death + (not_run ? "; " + std::to_string(not_run) + " assertions not run" : "")});
      }
      reports[child.file_index] = std::move(r);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
    }
    while (next_to_print < files.size() && reports[next_to_print]) {
      printReport(*reports[next_to_print], known, options.verbose, used_known, totals);
      reports[next_to_print].reset();
      ++next_to_print;
    }
    if (!running.empty()) usleep(20 * 1000);
  }

  for (const auto& [key, reason] : known) {
    std::string file = key.substr(0, key.find(':'));
    bool file_selected =
        std::any_of(files.begin(), files.end(), [&](const SpecFile& f) {
          const std::string name = f.path.filename().string();
          return (std::string(f.group->name) == "core" ? name : std::string(f.group->name) + "/" + name) == file;
        });
    if (file_selected && !used_known.count(key)) {
      std::cout << "note: known failure " << key << " did not fail (remove it from the list)\n";
    }
  }
  if (!totals.unexpected.empty()) {
    std::cout << "unexpected failures: " << totals.unexpected.size() << " (not in "
              << (options.known_failures_path.empty() ? "a known-failures list" : options.known_failures_path)
              << ")\n";
  }
  std::cout << "skipped: " << totals.skipped << " (text-format modules, unsupported values); known failures: "
            << totals.known << "; rejections with a different message: " << totals.mismatches << "\n";
  for (const auto& [group, counts] : totals.by_group) {
    std::cout << "spec[" << group << "]: " << counts.first << " passed, " << counts.second << " failed\n";
  }
  std::cout << "spec: " << totals.passed << " passed, " << totals.failed << " failed\n";
  return totals.unexpected.empty() ? 0 : 1;
}

constexpr const char* kUsage =
    "usage: spec_runner --spec-dir DIR --work-dir DIR [--known-failures FILE] [--filter NAME]...\n"
    "                   [--group core|simd|relaxed-simd|threads|extended-const|tail-call|wasm3-tail-call|exceptions-legacy|multi-memory]...\n"
    "                   [--target-cpu CPU]\n"
    "                   [-j N] [--timeout SECONDS] [-O N] [--wast2json PATH] [--verbose]\n";

bool parseNumber(const char* text, unsigned* out) {
  char* end = nullptr;
  unsigned long v = std::strtoul(text, &end, 10);
  if (!*text || *end) return false;
  *out = static_cast<unsigned>(v);
  return true;
}

int runnerMain(int argc, char** argv) {
  RunnerOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "spec_runner: " << name << " needs a value\n" << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--spec-dir") options.spec_dir = value("--spec-dir");
    else if (arg == "--work-dir") options.work_dir = value("--work-dir");
    else if (arg == "--known-failures") options.known_failures_path = value("--known-failures");
    else if (arg == "--wast2json") options.wast2json = value("--wast2json");
    else if (arg == "--filter") options.filters.push_back(value("--filter"));
    else if (arg == "--group") options.groups.push_back(value("--group"));
    else if (arg == "--target-cpu") options.target_cpu = value("--target-cpu");
    else if (arg.rfind("--target-cpu=", 0) == 0) options.target_cpu = arg.substr(13);
    else if (arg == "--verbose" || arg == "-v") options.verbose = true;
    else if ((arg == "-j" && parseNumber(value("-j"), &options.jobs)) ||
             (arg.rfind("-j", 0) == 0 && arg.size() > 2 && parseNumber(arg.c_str() + 2, &options.jobs))) {
      if (options.jobs == 0) options.jobs = 1;
    } else if (arg == "--timeout") {
      if (!parseNumber(value("--timeout"), &options.timeout_seconds)) {
        std::cerr << "spec_runner: bad --timeout\n";
        return 2;
      }
    } else if (arg.size() == 3 && arg[0] == '-' && arg[1] == 'O' && arg[2] >= '0' && arg[2] <= '3') {
      options.opt_level = static_cast<unsigned>(arg[2] - '0');
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "spec_runner: unknown argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  if (const char* env = std::getenv("WASMAOT_SPEC_DIR"); env && *env) options.spec_dir = env;
  if (options.spec_dir.empty() || options.work_dir.empty()) {
    std::cerr << "spec_runner: --spec-dir and --work-dir are required\n" << kUsage;
    return 2;
  }
  std::error_code ec;
  if (!fs::is_directory(options.spec_dir, ec)) {
    // A clone without the suite beside it: skipped, not passed, not failed.
    std::cout << "spec_runner: skipped: no spec testsuite at " << options.spec_dir
              << " (get github.com/WebAssembly/testsuite and point WASMAOT_SPEC_DIR or"
                 " -DWASMAOT_SPEC_DIR at it; see README.md)\n";
    return kSkipped;
  }
  options.work_dir = fs::absolute(options.work_dir, ec).string();
  return runAll(options);
}

}  // namespace
}  // namespace wasmaot::spec

int main(int argc, char** argv) { return wasmaot::spec::runnerMain(argc, argv); }
