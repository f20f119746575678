// Beneath-resolution of guest paths (see wasi_sandbox_path.h): openat2 with
// RESOLVE_BENEATH for directories, a careful component walk when the kernel
// lacks it, and symlink expansion for the final component done here.
#include "wasi/wasi_sandbox_path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>

#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi {
namespace {

constexpr int kMaxSymlinks = 40;
std::atomic<bool> g_openat2_allowed{true};
std::atomic<int> g_openat2_state{0};  // 0 unknown, 1 works, -1 unavailable

bool isDots(const std::string& c) { return c == "." || c == ".."; }

// openat2(O_PATH|O_DIRECTORY) beneath root. Returns the fd, or -errno;
// -ENOSYS when openat2 cannot be used at all.
int openDirOpenat2(int rootfd, const std::string& path) {
#ifdef SYS_openat2
  if (!g_openat2_allowed.load(std::memory_order_relaxed) || g_openat2_state.load() < 0) return -ENOSYS;
  struct open_how how{};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0; attempt < 16; ++attempt) {
    long fd = syscall(SYS_openat2, rootfd, path.c_str(), &how, sizeof(how));
    if (fd >= 0) {
      g_openat2_state = 1;
      return static_cast<int>(fd);
    }
    int e = errno;
    if (e == EAGAIN || e == EINTR) continue;  // a concurrent rename: retry
    if (e == ENOSYS || ((e == EPERM || e == E2BIG) && g_openat2_state.load() == 0)) {
      // No openat2 here (or a seccomp filter refusing it): walk instead.
      g_openat2_state = -1;
      return -ENOSYS;
    }
    return -e;
  }
  return -EAGAIN;
#else
  (void)rootfd;
  (void)path;
  return -ENOSYS;
#endif
}

// The careful walk: returns a directory fd for `comps` beneath rootfd (which
// may be rootfd itself, *owned = false), or -errno (-ENOTCAPABLE as -EXDEV).
int openDirWalk(int rootfd, const std::vector<std::string>& comps, bool* owned) {
  std::vector<int> stack{rootfd};  // stack[0] is borrowed
  auto unwind = [&](int result) {
    for (size_t i = 1; i < stack.size(); ++i) {
      if (stack[i] != result) ::close(stack[i]);
    }
    return result;
  };
  std::deque<std::string> todo(comps.begin(), comps.end());
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (stack.size() == 1) return unwind(-EXDEV);
      ::close(stack.back());
      stack.pop_back();
      continue;
    }
    int fd = openat(stack.back(), c.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return unwind(-errno);
    struct stat st{};
    if (fstat(fd, &st) != 0) {
      int e = errno;
      ::close(fd);
      return unwind(-e);
    }
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = readlinkat(fd, "", target, sizeof(target));
      ::close(fd);
      if (n < 0) return unwind(-errno);
      if (n == static_cast<ssize_t>(sizeof(target))) return unwind(-ENAMETOOLONG);
      if (++links > kMaxSymlinks) return unwind(-ELOOP);
      if (n == 0) return unwind(-ENOENT);
      if (target[0] == '/') return unwind(-EXDEV);
      std::vector<std::string> parts = splitPath(std::string_view(target, static_cast<size_t>(n)));
      todo.insert(todo.begin(), parts.begin(), parts.end());
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      ::close(fd);
      return unwind(-ENOTDIR);
    }
    stack.push_back(fd);
  }
  int top = stack.back();
  *owned = stack.size() > 1;
  return unwind(top);
}

// A directory fd for `comps` beneath rootfd, or -errno.
int openDir(int rootfd, const std::vector<std::string>& comps, bool* owned) {
  if (comps.empty()) {
    *owned = false;
    return rootfd;
  }
  std::string joined;
  for (const std::string& c : comps) {
    if (!joined.empty()) joined += '/';
    joined += c;
  }
  int fd = openDirOpenat2(rootfd, joined);
  if (fd != -ENOSYS) {
    *owned = fd >= 0;
    return fd;
  }
  return openDirWalk(rootfd, comps, owned);
}

int32_t toWasi(int neg_errno) {
  return neg_errno == -EXDEV ? kNotCapable : fromHostErrno(-neg_errno);
}

}  // namespace

void ResolvedPath::reset() {
  if (owned_ && dirfd >= 0) ::close(dirfd);
  dirfd = -1;
  owned_ = false;
}

void ResolvedPath::set(int fd, bool owned) {
  reset();
  dirfd = fd;
  owned_ = owned;
}

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void setOpenat2Allowed(bool allowed) { g_openat2_allowed = allowed; }
bool openat2InUse() { return g_openat2_allowed.load() && g_openat2_state.load() > 0; }

int32_t resolveBeneath(int rootfd, std::string_view path, bool follow_final, ResolvedPath* out) {
  if (path.empty()) return kNoEnt;
  if (path.front() == '/') return kNotCapable;
  std::vector<std::string> comps = splitPath(path);
  bool trailing = path.back() == '/';
  int links = 0;
  for (;;) {
    if (comps.empty()) comps.push_back(".");
    // A final "." or ".." names a directory: resolve all of it, use ".".
    bool dots = isDots(comps.back());
    std::string last = dots ? std::string(1, '.') : comps.back();
    std::vector<std::string> parent(comps.begin(), dots ? comps.end() : comps.end() - 1);
    bool owned = false;
    int fd = openDir(rootfd, parent, &owned);
    if (fd < 0) return toWasi(fd);
    out->set(fd, owned);
    out->name = last;
    out->trailing_slash = trailing;
    if (last == ".") return kSuccess;
    struct stat st{};
    if (fstatat(fd, last.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      // A missing final name is fine here (create); the caller's *at() reports it.
      return kSuccess;
    }
    if (S_ISLNK(st.st_mode) && (follow_final || trailing)) {
      char target[4096];
      ssize_t n = readlinkat(fd, last.c_str(), target, sizeof(target));
      if (n < 0) return fromHostErrno(errno);
      if (n == static_cast<ssize_t>(sizeof(target))) return kNameTooLong;
      if (++links > kMaxSymlinks) return kLoop;
      if (n == 0) return kNoEnt;
      if (target[0] == '/') return kNotCapable;
      std::string_view t(target, static_cast<size_t>(n));
      if (t.back() == '/') trailing = true;
      std::vector<std::string> parts = splitPath(t);
      comps = parent;
      comps.insert(comps.end(), parts.begin(), parts.end());
      out->reset();
      continue;
    }
    if (trailing && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) return kNotDir;
    return kSuccess;
  }
}

}  // namespace wasmaot::runtime::wasi
