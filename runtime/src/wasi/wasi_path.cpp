// The path_* functions of WASI preview 1. Every guest path is resolved
// beneath its directory fd by resolveBeneath() (wasi_sandbox_path.h) to a
// parent directory fd and one final name; the operation is then the *at()
// call on that pair, never following a symlink itself. Anything that would
// change a read-only preopen's tree gives EROFS; a missing right on the
// directory fd gives ENOTCAPABLE.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"
#include "wasi/wasi_sandbox_path.h"

namespace wasmaot::runtime::wasi {
namespace {

// The directory entry behind `fd` if it has `right`.
FdRef dirWith(Ctx ctx, uint32_t fd, uint64_t right, int32_t* err) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  if (!e) {
    *err = kBadf;
    return FdRef();
  }
  if (e->filetype != kFiletypeDirectory) {
    *err = kNotDir;
    return FdRef();
  }
  if ((e->rights_base & right) != right) {
    *err = kNotCapable;
    return FdRef();
  }
  return e;
}

// Reads the guest path and resolves it beneath e.
int32_t resolve(Ctx ctx, const FdEntry* e, uint32_t path, uint32_t len, bool follow, ResolvedPath* out) {
  std::string p;
  if (int32_t err = guestPath(ctx, path, len, &p)) return err;
  return resolveBeneath(e->host, p, follow, out);
}

inline int32_t hostResult(int rc) { return rc == 0 ? kSuccess : fromHostErrno(errno); }

int32_t filestatGet(Ctx ctx, uint32_t fd, uint32_t flags, uint32_t path, uint32_t len, uint32_t buf,
                    bool unstable) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathFilestatGet, &err);
  if (!e) return err;
  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, path, len, flags & kLookupSymlinkFollow, &r)) return bad;
  struct stat st{};
  if (fstatat(r.dirfd, r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return fromHostErrno(errno);
  return storeFilestat(ctx, buf, st, unstable);
}

}  // namespace

int32_t path_open(Ctx ctx, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len, uint32_t oflags,
                  uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, uint32_t opened_fd) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathOpen, &err);
  if (!e) return err;
  if (!inBounds(ctx, opened_fd, 4)) return kFault;
  if (oflags & ~uint32_t{kOflagCreat | kOflagDirectory | kOflagExcl | kOflagTrunc}) return kInval;
  if (fdflags & ~uint32_t{kFdflagAppend | kFdflagDsync | kFdflagNonblock | kFdflagRsync | kFdflagSync}) return kInval;
  if ((oflags & kOflagCreat) && !(e->rights_base & kRightPathCreateFile)) return kNotCapable;
  // The new fd gets what was asked for, within what the directory passes on.
  uint64_t base = rights_base & e->rights_inheriting;
  uint64_t inheriting = rights_inheriting & e->rights_inheriting;
  bool want_write = (base & (kRightFdWrite | kRightFdAllocate | kRightFdFilestatSetSize)) || (fdflags & kFdflagAppend);
  bool want_read = base & (kRightFdRead | kRightFdReaddir);
  if (e->readonly && (want_write || (oflags & (kOflagCreat | kOflagTrunc)))) return kRofs;

  int flags = O_CLOEXEC | O_NOFOLLOW;  // symlinks are followed by resolveBeneath, beneath
  if (oflags & kOflagDirectory) {
    flags |= O_DIRECTORY | O_RDONLY;
  } else if (want_write) {
    flags |= want_read ? O_RDWR : O_WRONLY;
  } else {
    flags |= O_RDONLY;
  }
  if (oflags & kOflagCreat) flags |= O_CREAT;
  if (oflags & kOflagExcl) flags |= O_EXCL;
  if (oflags & kOflagTrunc) flags |= O_TRUNC;
  if (fdflags & kFdflagAppend) flags |= O_APPEND;
  if (fdflags & kFdflagDsync) flags |= O_DSYNC;
  if (fdflags & kFdflagSync) flags |= O_SYNC;
  if (fdflags & kFdflagRsync) flags |= O_RSYNC;
  if (fdflags & kFdflagNonblock) flags |= O_NONBLOCK;

  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, path, path_len, dirflags & kLookupSymlinkFollow, &r)) return bad;
  if (r.trailing_slash) {
    if (oflags & kOflagCreat) return kIsDir;
    flags |= O_DIRECTORY;
  }
  int h = openat(r.dirfd, r.name.c_str(), flags, 0666);
  if (h < 0 && errno == EACCES && !want_read && !want_write && !(flags & O_CREAT)) {
    // Opened for metadata only (stat, times): no read permission needed.
    h = openat(r.dirfd, r.name.c_str(), (flags & ~O_ACCMODE & ~(O_TRUNC | O_APPEND)) | O_PATH);
  }
  if (h < 0) return fromHostErrno(errno);
  struct stat st{};
  if (fstat(h, &st) != 0) {
    int saved = errno;
    ::close(h);
    return fromHostErrno(saved);
  }
  FdEntry entry;
  entry.host = h;
  entry.filetype = filetypeOfMode(st.st_mode);
  entry.readonly = e->readonly;
  entry.rights_base = base;
  entry.rights_inheriting = inheriting;
  if (entry.filetype == kFiletypeDirectory) {
    entry.rights_base &= kRightsDirectoryBase | kRightFdReaddir;
  } else {
    entry.rights_inheriting = 0;
  }
  // What the host open gave is the ceiling: no write right on a read-only open.
  if (!want_write) entry.rights_base &= ~(kRightFdWrite | kRightFdAllocate | kRightFdFilestatSetSize);
  if (!want_read && !(oflags & kOflagDirectory)) entry.rights_base &= ~kRightFdRead;
  uint32_t guest_fd = 0;
  if (int32_t full = WasiHost::of(ctx)->install(std::move(entry), &guest_fd)) return full;
  store32(ctx, opened_fd, guest_fd);
  return kSuccess;
}

int32_t path_create_directory(Ctx ctx, uint32_t fd, uint32_t path, uint32_t path_len) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathCreateDirectory, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, path, path_len, false, &r)) return bad;
  return hostResult(mkdirat(r.dirfd, r.name.c_str(), 0777));
}

int32_t path_filestat_get(Ctx ctx, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len, uint32_t buf) {
  return filestatGet(ctx, fd, flags, path, path_len, buf, false);
}
int32_t path_filestat_get_unstable(Ctx ctx, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                                   uint32_t buf) {
  return filestatGet(ctx, fd, flags, path, path_len, buf, true);
}

int32_t path_filestat_set_times(Ctx ctx, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                                uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathFilestatSetTimes, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  struct timespec times[2];
  if (int32_t bad = buildTimes(atim, mtim, fst_flags, times)) return bad;
  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, path, path_len, flags & kLookupSymlinkFollow, &r)) return bad;
  return hostResult(utimensat(r.dirfd, r.name.c_str(), times, AT_SYMLINK_NOFOLLOW));
}

int32_t path_link(Ctx ctx, uint32_t old_fd, uint32_t old_flags, uint32_t old_path, uint32_t old_len,
                  uint32_t new_fd, uint32_t new_path, uint32_t new_len) {
  int32_t err = kSuccess;
  FdRef from = dirWith(ctx, old_fd, kRightPathLinkSource, &err);
  if (!from) return err;
  FdRef to = dirWith(ctx, new_fd, kRightPathLinkTarget, &err);
  if (!to) return err;
  // A new name for a read-only file would make it writable through it.
  if (from->readonly || to->readonly) return kRofs;
  ResolvedPath src, dst;
  if (int32_t bad = resolve(ctx, from, old_path, old_len, old_flags & kLookupSymlinkFollow, &src)) return bad;
  if (int32_t bad = resolve(ctx, to, new_path, new_len, false, &dst)) return bad;
  return hostResult(linkat(src.dirfd, src.name.c_str(), dst.dirfd, dst.name.c_str(), 0));
}

int32_t path_readlink(Ctx ctx, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf, uint32_t buf_len,
                      uint32_t bufused) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathReadlink, &err);
  if (!e) return err;
  if (!inBounds(ctx, buf, buf_len) || !inBounds(ctx, bufused, 4)) return kFault;
  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, path, path_len, false, &r)) return bad;
  char scratch[1];
  char* dest = buf_len ? reinterpret_cast<char*>(at(ctx, buf)) : scratch;
  ssize_t n = readlinkat(r.dirfd, r.name.c_str(), dest, buf_len ? buf_len : 1);
  if (n < 0) return fromHostErrno(errno);
  store32(ctx, bufused, buf_len ? static_cast<uint32_t>(n) : 0);
  return kSuccess;
}

int32_t path_remove_directory(Ctx ctx, uint32_t fd, uint32_t path, uint32_t path_len) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathRemoveDirectory, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, path, path_len, false, &r)) return bad;
  return hostResult(unlinkat(r.dirfd, r.name.c_str(), AT_REMOVEDIR));
}

int32_t path_rename(Ctx ctx, uint32_t fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                    uint32_t new_len) {
  int32_t err = kSuccess;
  FdRef from = dirWith(ctx, fd, kRightPathRenameSource, &err);
  if (!from) return err;
  FdRef to = dirWith(ctx, new_fd, kRightPathRenameTarget, &err);
  if (!to) return err;
  if (from->readonly || to->readonly) return kRofs;
  ResolvedPath src, dst;
  if (int32_t bad = resolve(ctx, from, old_path, old_len, false, &src)) return bad;
  if (int32_t bad = resolve(ctx, to, new_path, new_len, false, &dst)) return bad;
  return hostResult(renameat(src.dirfd, src.name.c_str(), dst.dirfd, dst.name.c_str()));
}

int32_t path_symlink(Ctx ctx, uint32_t old_path, uint32_t old_len, uint32_t fd, uint32_t new_path,
                     uint32_t new_len) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathSymlink, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  std::string target;
  if (int32_t bad = guestPath(ctx, old_path, old_len, &target)) return bad;
  if (target.empty()) return kNoEnt;
  // An absolute target could never be followed inside the sandbox; refuse
  // to plant one for the host to trip over.
  if (target.front() == '/') return kNotCapable;
  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, new_path, new_len, false, &r)) return bad;
  return hostResult(symlinkat(target.c_str(), r.dirfd, r.name.c_str()));
}

int32_t path_unlink_file(Ctx ctx, uint32_t fd, uint32_t path, uint32_t path_len) {
  int32_t err = kSuccess;
  FdRef e = dirWith(ctx, fd, kRightPathUnlinkFile, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  ResolvedPath r;
  if (int32_t bad = resolve(ctx, e, path, path_len, false, &r)) return bad;
  return hostResult(unlinkat(r.dirfd, r.name.c_str(), 0));
}

}  // namespace wasmaot::runtime::wasi
