// Every way out of a preopen, tried and refused: `..` past the root, absolute
// paths (through the raw WASI call, since wasi-libc would refuse them first),
// symlinks to outside (relative, absolute, chains, as a middle component,
// with a trailing slash), hard links and renames out of and into the
// preopen, plus a read-only preopen refusing every change. The runner sets
// up /data (writable, with planted symlinks) and /ro (read-only) and checks
// afterwards that nothing outside changed. Output is compared with escape.expected.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static const char* name(int e) {
  switch (e) {
    case 0: return "ok";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EROFS: return "EROFS";
    case ENOENT: return "ENOENT";
    case ELOOP: return "ELOOP";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    default: return "other";
  }
}

static void report(const char* what, int rc) { printf("%-40s %s\n", what, rc < 0 ? name(errno) : "ok"); }

static int try_open(const char* path, int flags) {
  errno = 0;
  int fd = open(path, flags, 0644);
  if (fd >= 0) close(fd);
  return fd;
}

static int try_stat(const char* path) {
  struct stat st;
  errno = 0;
  return stat(path, &st);
}

// The preopen fd whose name is `guest`.
static int preopen_fd(const char* guest) {
  for (int fd = 3; fd < 64; ++fd) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
    char buf[256] = {0};
    if (ps.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t*)buf, ps.u.dir.pr_name_len) != 0) continue;
    if (strcmp(buf, guest) == 0) return fd;
  }
  return -1;
}

static void raw_open(const char* what, int dirfd, const char* path) {
  __wasi_fd_t out;
  __wasi_errno_t e = __wasi_path_open(dirfd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0,
                                      __WASI_RIGHTS_FD_READ, 0, 0, &out);
  if (e == 0) (void)__wasi_fd_close(out);
  printf("%-40s %s\n", what, e == 0 ? "ok" : name(e));
}

int main(void) {
  // `..` past the root
  report("open /data/../outside/secret", try_open("/data/../outside/secret", O_RDONLY));
  report("open /data/sub/../../outside/secret", try_open("/data/sub/../../outside/secret", O_RDONLY));
  report("create /data/../created", try_open("/data/../created", O_CREAT | O_WRONLY));
  report("mkdir /data/../newdir", (errno = 0, mkdir("/data/../newdir", 0755)));
  report("stat /data/..", try_stat("/data/.."));
  errno = 0;
  DIR* d = opendir("/data/..");
  report("opendir /data/..", d ? (closedir(d), 0) : -1);
  report("open /data/sub/.. (inside)", try_open("/data/sub/..", O_RDONLY | O_DIRECTORY));

  // absolute paths, straight to the host
  int data = preopen_fd("/data");
  raw_open("raw path_open /etc/passwd", data, "/etc/passwd");
  raw_open("raw path_open ../outside/secret", data, "../outside/secret");
  raw_open("raw path_open sub/../../outside", data, "sub/../../outside");
  raw_open("raw path_open inside.txt", data, "inside.txt");

  // symlinks planted by the runner
  report("open link_rel_out (../outside/secret)", try_open("/data/link_rel_out", O_RDONLY));
  report("open link_abs (/etc/passwd)", try_open("/data/link_abs", O_RDONLY));
  report("stat link_rel_out", try_stat("/data/link_rel_out"));
  struct stat st;
  errno = 0;
  report("lstat link_rel_out (the link itself)", lstat("/data/link_rel_out", &st));
  report("open dirlink_out/secret", try_open("/data/dirlink_out/secret", O_RDONLY));
  report("open dirlink_out/ (trailing slash)", try_open("/data/dirlink_out/", O_RDONLY | O_DIRECTORY));
  report("open chain1 (-> chain2 -> sub/chain3 -> out)", try_open("/data/chain1", O_RDONLY));
  report("open good_chain (-> sub/inner_link -> ok)", try_open("/data/good_chain", O_RDONLY));
  report("open loop1 (loop1 <-> loop2)", try_open("/data/loop1", O_RDONLY));
  report("create through link_new_out", try_open("/data/link_new_out", O_CREAT | O_WRONLY));

  // symlinks made by the guest
  errno = 0;
  report("symlink to /etc/passwd", symlink("/etc/passwd", "/data/my_abs"));
  errno = 0;
  report("symlink to ../outside (allowed)", symlink("../outside/secret", "/data/my_rel"));
  report("open my_rel", try_open("/data/my_rel", O_RDONLY));
  errno = 0;
  report("unlink my_rel", unlink("/data/my_rel"));

  // hard links and renames across the boundary
  errno = 0;
  report("link inside.txt -> ../stolen", link("/data/inside.txt", "/data/../stolen"));
  errno = 0;
  report("link ../outside/secret -> grabbed", link("/data/../outside/secret", "/data/grabbed"));
  errno = 0;
  report("link link_rel_out -> grabbed2", linkat(AT_FDCWD, "/data/link_rel_out", AT_FDCWD, "/data/grabbed2",
                                                  AT_SYMLINK_FOLLOW));
  errno = 0;
  report("rename inside.txt -> ../moved", rename("/data/inside.txt", "/data/../moved"));
  errno = 0;
  report("rename ../outside/secret -> taken", rename("/data/../outside/secret", "/data/taken"));
  errno = 0;
  report("rename dirlink_out/secret -> taken", rename("/data/dirlink_out/secret", "/data/taken"));
  errno = 0;
  report("unlink dirlink_out/secret", unlink("/data/dirlink_out/secret"));

  // the read-only preopen
  report("ro: open for reading", try_open("/ro/readme", O_RDONLY));
  report("ro: open for writing", try_open("/ro/readme", O_WRONLY));
  report("ro: create", try_open("/ro/new", O_CREAT | O_WRONLY));
  report("ro: truncate", try_open("/ro/readme", O_RDONLY | O_TRUNC));
  errno = 0;
  report("ro: unlink", unlink("/ro/readme"));
  errno = 0;
  report("ro: mkdir", mkdir("/ro/d", 0755));
  errno = 0;
  report("ro: rename to /data", rename("/ro/readme", "/data/readme"));
  errno = 0;
  report("ro: link to /data", link("/ro/readme", "/data/readme"));
  errno = 0;
  report("ro: symlink", symlink("readme", "/ro/l"));
  return 0;
}
