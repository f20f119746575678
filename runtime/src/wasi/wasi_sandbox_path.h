// Resolving guest paths beneath a directory fd without ever leaving it.
//
// A guest path is split into components and resolved to (parent directory
// fd, final name): the parent with openat2(RESOLVE_BENEATH |
// RESOLVE_NO_MAGICLINKS) where the kernel has it, else by a walk that opens
// one component at a time with O_NOFOLLOW, keeps its own stack of directory
// fds for `..`, and expands symlinks itself. A final symlink is followed (when
// asked) by the same code, one hop at a time. Absolute paths, absolute
// symlink targets and `..` past the root give ENOTCAPABLE. The final name is
// one component (never `..`, never with a slash), so the *at() call made
// with it, without following symlinks, stays inside too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wasmaot::runtime::wasi {

class ResolvedPath {
 public:
  ResolvedPath() = default;
  ~ResolvedPath() { reset(); }
  ResolvedPath(const ResolvedPath&) = delete;
  ResolvedPath& operator=(const ResolvedPath&) = delete;
  void reset();
  void set(int fd, bool owned);

  int dirfd = -1;          // the directory holding `name`
  std::string name;        // one component; "." when the path names a directory itself
  bool trailing_slash = false;

 private:
  bool owned_ = false;
};

// Resolves `path` (relative) beneath `rootfd`. With follow_final, a final
// symlink is expanded (beneath) until the name is not a symlink. Returns a
// WASI errno.
int32_t resolveBeneath(int rootfd, std::string_view path, bool follow_final, ResolvedPath* out);

// Splits a path into components, dropping empty ones.
std::vector<std::string> splitPath(std::string_view path);

// For tests: force the component walk even where openat2 works.
void setOpenat2Allowed(bool allowed);
// Whether the last resolution used openat2.
bool openat2InUse();

}  // namespace wasmaot::runtime::wasi
