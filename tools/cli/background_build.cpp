#include "background_build.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <vector>

extern char** environ;

namespace wasmaot::cli {
namespace {

constexpr auto kPendingFresh = std::chrono::hours(1);

bool writeAll(int fd, std::span<const uint8_t> bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Creates the pending source exclusively (replacing one a dead build left).
bool claimPendingSource(const std::string& path, std::span<const uint8_t> wasm) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      bool ok = writeAll(fd, wasm);
      ok = ::close(fd) == 0 && ok;
      if (!ok) ::unlink(path.c_str());
      return ok;
    }
    if (errno != EEXIST) return false;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    auto age = std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime);
    if (age < kPendingFresh) return false;  // another run's build is under way
    ::unlink(path.c_str());
  }
  return false;
}

}  // namespace

std::string pendingSourcePath(const std::string& entry) { return entry + ".pending.wasm"; }

bool optimizedBuildPending(const std::string& entry) {
  struct stat st {};
  if (::stat(pendingSourcePath(entry).c_str(), &st) != 0) return false;
  auto age = std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime);
  return age < kPendingFresh;
}

bool startOptimizedBuild(std::span<const uint8_t> wasm, const OptimizedBuild& build) {
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec) return false;
  const std::string source = pendingSourcePath(build.entry);
  if (!claimPendingSource(source, wasm)) return false;

  std::vector<std::string> argv = {self, "__background-compile", source, build.entry,
                                   "-O" + std::to_string(build.opt_level), "--target-cpu=" + build.target_cpu};
  if (build.exact_trap_state) argv.push_back("--exact-trap-state");
  std::vector<char*> c_argv;
  for (std::string& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);

  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&files);
  posix_spawnattr_init(&attr);
  for (int fd : {0, 1, 2}) posix_spawn_file_actions_addopen(&files, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
  // Its own session: a Ctrl-C or hang-up aimed at the program does not stop the build.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, self.c_str(), &files, &attr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    ::unlink(source.c_str());
    return false;
  }
  // The launcher forks the compiler and exits; reaping it leaves no zombie.
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return true;
}

}  // namespace wasmaot::cli
