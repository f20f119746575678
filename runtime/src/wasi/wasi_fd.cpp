// The fd_* functions of WASI preview 1. fd_read/fd_write/fd_pread/fd_pwrite
// are the hot path: the guest's iovec array becomes host iovecs on the stack
// pointing straight into linear memory (every one bounds-checked first), one
// vectored syscall per batch, no allocation. Rights are checked per call: a
// missing fd_read/fd_write right is EBADF (what POSIX gives for a read-only
// or write-only descriptor), any other missing right ENOTCAPABLE.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <mutex>

#include "wasi/sockets/socket_functions.h"
#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"

namespace wasmaot::runtime::wasi {
namespace {

constexpr int kIovBatch = 64;  // host iovecs per syscall (stack array)

// The entry for `fd` if it carries all of `rights`; *err otherwise.
inline FdRef entryWith(Ctx ctx, uint32_t fd, uint64_t rights, int32_t* err) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  if (!e) {
    *err = kBadf;
    return FdRef();
  }
  if ((e->rights_base & rights) != rights) {
    *err = (rights & (kRightFdRead | kRightFdWrite)) ? kBadf : kNotCapable;
    return FdRef();
  }
  return e;
}

// Checks the whole iovec array and every buffer it names.
inline int32_t checkIovecs(Ctx ctx, uint32_t iovs, uint32_t count) {
  if (!inBounds(ctx, iovs, uint64_t{8} * count)) return kFault;
  const uint8_t* p = at(ctx, iovs);
  for (uint32_t i = 0; i < count; ++i) {
    Iovec v;
    std::memcpy(&v, p + 8 * i, 8);
    if (!inBounds(ctx, v.buf, v.len)) return kFault;
  }
  return kSuccess;
}

// Fills up to kIovBatch host iovecs starting at guest iovec *next; returns
// the count and the bytes they cover.
inline int fillBatch(Ctx ctx, uint32_t iovs, uint32_t count, uint32_t* next, iovec* host, size_t* bytes) {
  int n = 0;
  *bytes = 0;
  const uint8_t* p = at(ctx, iovs);
  while (*next < count && n < kIovBatch) {
    Iovec v;
    std::memcpy(&v, p + 8 * *next, 8);
    ++*next;
    if (v.len == 0) continue;
    host[n].iov_base = at(ctx, v.buf);
    host[n].iov_len = v.len;
    *bytes += v.len;
    ++n;
  }
  return n;
}

// One transfer loop for the four vectored calls. `positional` uses offset.
template <bool kWrite, bool kPositional>
int32_t transfer(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t count, uint64_t offset, uint32_t result_ptr) {
  int32_t err = kSuccess;
  uint64_t rights = (kWrite ? kRightFdWrite : kRightFdRead) | (kPositional ? kRightFdSeek : 0);
  FdRef e = entryWith(ctx, fd, rights, &err);
  if (!e) return err;
  if (!inBounds(ctx, result_ptr, 4)) return kFault;
  if (!kPositional && e->isSocket()) {
    return kWrite ? sockets::socketWrite(ctx, e, iovs, count, result_ptr)
                  : sockets::socketRead(ctx, e, iovs, count, result_ptr);
  }
  if (int32_t bad = checkIovecs(ctx, iovs, count)) return bad;
  if (kPositional && offset > static_cast<uint64_t>(INT64_MAX)) return kInval;
  iovec host[kIovBatch];
  uint64_t total = 0;
  uint32_t next = 0;
  while (next < count) {
    size_t wanted = 0;
    int n = fillBatch(ctx, iovs, count, &next, host, &wanted);
    if (n == 0) break;
    ssize_t done;
    do {
      off_t at_offset = static_cast<off_t>(offset + total);
      if constexpr (kWrite) {
        done = kPositional ? pwritev(e->host, host, n, at_offset) : writev(e->host, host, n);
      } else {
        done = kPositional ? preadv(e->host, host, n, at_offset) : readv(e->host, host, n);
      }
    } while (done < 0 && errno == EINTR);
    if (done < 0) {
      if (total > 0) break;  // report what was transferred
      return fromHostErrno(errno);
    }
    total += static_cast<uint64_t>(done);
    if (static_cast<size_t>(done) < wanted) break;  // short: stop here
    // Reads from something other than a regular file return what is there.
    if (!kWrite && e->filetype != kFiletypeRegularFile) break;
  }
  if (total > UINT32_MAX) total = UINT32_MAX;
  store32(ctx, result_ptr, static_cast<uint32_t>(total));
  return kSuccess;
}

int32_t seek(Ctx ctx, uint32_t fd, uint64_t offset, int whence, uint32_t result_ptr) {
  int32_t err = kSuccess;
  bool tell_only = whence == SEEK_CUR && offset == 0;
  FdRef e = entryWith(ctx, fd, tell_only ? kRightFdTell : kRightFdSeek, &err);
  if (!e) return err;
  if (!inBounds(ctx, result_ptr, 8)) return kFault;
  if (e->filetype == kFiletypeDirectory) return kBadf;
  off_t pos = lseek(e->host, static_cast<off_t>(offset), whence);
  if (pos < 0) return fromHostErrno(errno);
  store64(ctx, result_ptr, static_cast<uint64_t>(pos));
  return kSuccess;
}

int32_t filestatGet(Ctx ctx, uint32_t fd, uint32_t buf, bool unstable) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdFilestatGet, &err);
  if (!e) return err;
  struct stat st{};
  if (fstat(e->host, &st) != 0) return fromHostErrno(errno);
  return storeFilestat(ctx, buf, st, unstable);
}

uint8_t direntType(DIR* dir, const struct dirent* d) {
  switch (d->d_type) {
    case DT_REG: return kFiletypeRegularFile;
    case DT_DIR: return kFiletypeDirectory;
    case DT_LNK: return kFiletypeSymbolicLink;
    case DT_CHR: return kFiletypeCharacterDevice;
    case DT_BLK: return kFiletypeBlockDevice;
    case DT_SOCK: return kFiletypeSocketStream;
    case DT_FIFO: return kFiletypeUnknown;
    default: {
      struct stat st{};
      if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) return filetypeOfMode(st.st_mode);
      return kFiletypeUnknown;
    }
  }
}

}  // namespace

int32_t fd_read(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread) {
  return transfer<false, false>(ctx, fd, iovs, iovs_len, 0, nread);
}
int32_t fd_write(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten) {
  return transfer<true, false>(ctx, fd, iovs, iovs_len, 0, nwritten);
}
int32_t fd_pread(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset, uint32_t nread) {
  return transfer<false, true>(ctx, fd, iovs, iovs_len, offset, nread);
}
int32_t fd_pwrite(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset, uint32_t nwritten) {
  return transfer<true, true>(ctx, fd, iovs, iovs_len, offset, nwritten);
}

int32_t fd_seek(Ctx ctx, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset) {
  if (whence > 2) return kInval;
  return seek(ctx, fd, offset, kWhencePreview1[whence], newoffset);
}
int32_t fd_seek_unstable(Ctx ctx, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset) {
  if (whence > 2) return kInval;
  return seek(ctx, fd, offset, kWhenceUnstable[whence], newoffset);
}
int32_t fd_tell(Ctx ctx, uint32_t fd, uint32_t offset) { return seek(ctx, fd, 0, SEEK_CUR, offset); }

int32_t fd_close(Ctx ctx, uint32_t fd) { return closeGuestFd(ctx, fd); }
int32_t fd_renumber(Ctx ctx, uint32_t from, uint32_t to) { return renumberGuestFd(ctx, from, to); }

int32_t fd_advise(Ctx ctx, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdAdvise, &err);
  if (!e) return err;
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  if (advice > kAdviceNoreuse) return kInval;
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX)) return kInval;
  int rc = posix_fadvise(e->host, static_cast<off_t>(offset), static_cast<off_t>(len), kAdvice[advice]);
  return rc == 0 ? kSuccess : fromHostErrno(rc);
}

int32_t fd_allocate(Ctx ctx, uint32_t fd, uint64_t offset, uint64_t len) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdAllocate, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX) - offset) return kFbig;
  int rc = posix_fallocate(e->host, static_cast<off_t>(offset), static_cast<off_t>(len));
  return rc == 0 ? kSuccess : fromHostErrno(rc);
}

int32_t fd_datasync(Ctx ctx, uint32_t fd) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdDatasync, &err);
  if (!e) return err;
  return fdatasync(e->host) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t fd_sync(Ctx ctx, uint32_t fd) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdSync, &err);
  if (!e) return err;
  return fsync(e->host) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t fd_fdstat_get(Ctx ctx, uint32_t fd, uint32_t buf) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  if (!e) return kBadf;
  if (!inBounds(ctx, buf, sizeof(Fdstat))) return kFault;
  Fdstat st{};
  st.filetype = e->filetype;
  int fl = e->isSocket() ? -1 : fcntl(e->host, F_GETFL);  // a socket's guest mode is e->nonblock
  if (e->isSocket() && e->nonblock) st.flags |= kFdflagNonblock;
  if (fl >= 0) {
    if (fl & O_APPEND) st.flags |= kFdflagAppend;
    if (fl & O_NONBLOCK) st.flags |= kFdflagNonblock;
    if ((fl & O_SYNC) == O_SYNC) st.flags |= kFdflagSync | kFdflagRsync;
    else if (fl & O_DSYNC) st.flags |= kFdflagDsync;
  }
  st.rights_base = e->rights_base;
  st.rights_inheriting = e->rights_inheriting;
  storeStruct(ctx, buf, st);
  return kSuccess;
}

int32_t fd_fdstat_set_flags(Ctx ctx, uint32_t fd, uint32_t flags) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdFdstatSetFlags, &err);
  if (!e) return err;
  if (flags & ~uint32_t{kFdflagAppend | kFdflagNonblock | kFdflagDsync | kFdflagRsync | kFdflagSync}) return kInval;
  // Linux cannot change the synchronisation flags of an open file.
  if (flags & (kFdflagDsync | kFdflagRsync | kFdflagSync)) return kNotSup;
  if (e->isSocket()) {
    // The guest's O_NONBLOCK. The host socket's mode follows on the next
    // send/recv (sockets::syncHostMode); other socket calls keep it non-blocking.
    if (flags & kFdflagAppend) return kInval;
    e->nonblock = (flags & kFdflagNonblock) != 0;
    return kSuccess;
  }
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0) return fromHostErrno(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & kFdflagAppend) fl |= O_APPEND;
  if (flags & kFdflagNonblock) fl |= O_NONBLOCK;
  return fcntl(e->host, F_SETFL, fl) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t fd_fdstat_set_rights(Ctx ctx, uint32_t fd, uint64_t base, uint64_t inheriting) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  if (!e) return kBadf;
  // Rights can only be dropped.
  if ((base & ~e->rights_base) || (inheriting & ~e->rights_inheriting)) return kNotCapable;
  e->rights_base = base;
  e->rights_inheriting = inheriting;
  return kSuccess;
}

int32_t fd_filestat_get(Ctx ctx, uint32_t fd, uint32_t buf) { return filestatGet(ctx, fd, buf, false); }
int32_t fd_filestat_get_unstable(Ctx ctx, uint32_t fd, uint32_t buf) { return filestatGet(ctx, fd, buf, true); }

int32_t fd_filestat_set_size(Ctx ctx, uint32_t fd, uint64_t size) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdFilestatSetSize, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  if (size > static_cast<uint64_t>(INT64_MAX)) return kFbig;
  return ftruncate(e->host, static_cast<off_t>(size)) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t buildTimes(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec* times) {
  if (fst & ~uint32_t{kFstAtim | kFstAtimNow | kFstMtim | kFstMtimNow}) return kInval;
  if ((fst & kFstAtim) && (fst & kFstAtimNow)) return kInval;
  if ((fst & kFstMtim) && (fst & kFstMtimNow)) return kInval;
  auto one = [](uint64_t ns, bool set, bool now, struct timespec* ts) {
    if (now) {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_NOW;
    } else if (set) {
      ts->tv_sec = static_cast<time_t>(ns / 1'000'000'000ull);
      ts->tv_nsec = static_cast<long>(ns % 1'000'000'000ull);
    } else {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_OMIT;
    }
  };
  one(atim, fst & kFstAtim, fst & kFstAtimNow, &times[0]);
  one(mtim, fst & kFstMtim, fst & kFstMtimNow, &times[1]);
  return kSuccess;
}

int32_t fd_filestat_set_times(Ctx ctx, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t flags) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdFilestatSetTimes, &err);
  if (!e) return err;
  if (e->readonly) return kRofs;
  struct timespec times[2];
  if (int32_t bad = buildTimes(atim, mtim, flags, times)) return bad;
  return futimens(e->host, times) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t fd_prestat_get(Ctx ctx, uint32_t fd, uint32_t buf) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  if (!e || !e->preopen) return kBadf;
  if (!inBounds(ctx, buf, sizeof(Prestat))) return kFault;
  Prestat p{};
  p.tag = kPreopenDir;
  p.pr_name_len = static_cast<uint32_t>(e->preopen_name.size());
  storeStruct(ctx, buf, p);
  return kSuccess;
}

int32_t fd_prestat_dir_name(Ctx ctx, uint32_t fd, uint32_t path, uint32_t path_len) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  if (!e || !e->preopen) return kBadf;
  if (path_len < e->preopen_name.size()) return kNameTooLong;
  if (!inBounds(ctx, path, e->preopen_name.size())) return kFault;
  std::memcpy(at(ctx, path), e->preopen_name.data(), e->preopen_name.size());
  return kSuccess;
}

int32_t fd_readdir(Ctx ctx, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie, uint32_t bufused) {
  int32_t err = kSuccess;
  FdRef e = entryWith(ctx, fd, kRightFdReaddir, &err);
  if (!e) return err;
  if (e->filetype != kFiletypeDirectory) return kNotDir;
  if (!inBounds(ctx, buf, buf_len) || !inBounds(ctx, bufused, 4)) return kFault;
  std::lock_guard stream_lock(e.mutex());  // one directory stream per fd
  if (!e->dir) {
    // A separate open, so the stream's position is its own.
    int d = openat(e->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return fromHostErrno(errno);
    e->dir = fdopendir(d);
    if (!e->dir) {
      int saved = errno;
      ::close(d);
      return fromHostErrno(saved);
    }
    e->dir_cookie = 0;
  }
  if (cookie != e->dir_cookie || cookie == 0) {
    if (cookie == 0) {
      rewinddir(e->dir);
    } else {
      if (cookie > static_cast<uint64_t>(LONG_MAX)) return kInval;
      seekdir(e->dir, static_cast<long>(cookie));
    }
    e->dir_cookie = cookie;
  }
  uint32_t used = 0;
  uint8_t* out = at(ctx, buf);
  while (used < buf_len) {
    errno = 0;
    struct dirent* d = readdir(e->dir);
    if (!d) {
      if (errno != 0 && used == 0) return fromHostErrno(errno);
      break;
    }
    Dirent hdr{};
    hdr.d_next = static_cast<uint64_t>(d->d_off);
    hdr.d_ino = d->d_ino;
    size_t namlen = std::strlen(d->d_name);
    hdr.d_namlen = static_cast<uint32_t>(namlen);
    hdr.d_type = direntType(e->dir, d);
    // Entries that do not fit are cut off; the guest asks again with a
    // bigger buffer from the last whole entry's cookie.
    uint32_t n = std::min<uint32_t>(sizeof(Dirent), buf_len - used);
    std::memcpy(out + used, &hdr, n);
    used += n;
    uint32_t m = static_cast<uint32_t>(std::min<size_t>(namlen, buf_len - used));
    std::memcpy(out + used, d->d_name, m);
    used += m;
    e->dir_cookie = hdr.d_next;
  }
  store32(ctx, bufused, used);
  return kSuccess;
}

}  // namespace wasmaot::runtime::wasi
