// File and directory operations inside one directory (argv[1]): create,
// write, seek, read, truncate, pread/pwrite, stat, rename, unlink, mkdir,
// rmdir, readdir, symlinks and hard links. Prints only what is the same
// natively and under wasmaot, so the two outputs are compared byte for byte.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[512];

static const char* at(const char* name) {
  static char buf[4][1024];
  static int n = 0;
  char* out = buf[n++ % 4];
  snprintf(out, sizeof(buf[0]), "%s/%s", base, name);
  return out;
}

#define CHECK(expr)                                                  \
  do {                                                               \
    if (!(expr)) {                                                   \
      printf("FAILED line %d: %s (errno %d)\n", __LINE__, #expr, errno); \
      exit(1);                                                       \
    }                                                                \
  } while (0)

// Prints "LABEL: RC errno=NAME" (NAME when errno is the expected one). errno
// is read here, after the call, whatever order the arguments were evaluated in.
static void show2(const char* label, long rc, int expected, int also, const char* ename) {
  int e = errno;
  printf("%s: %ld errno=%s\n", label, rc, e == expected || e == also ? ename : "other");
  errno = 0;
}
static void show(const char* label, long rc, int expected, const char* ename) { show2(label, rc, expected, expected, ename); }

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* dir) {
  DIR* d = opendir(at(dir));
  CHECK(d != NULL);
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL && n < 64) {
    char type = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
    char* s = malloc(strlen(e->d_name) + 3);
    sprintf(s, "%c %s", type, e->d_name);
    names[n++] = s;
  }
  closedir(d);
  qsort(names, n, sizeof(char*), cmp);
  printf("ls %s:", dir);
  for (int i = 0; i < n; ++i) {
    printf(" [%s]", names[i]);
    free(names[i]);
  }
  printf("\n");
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  snprintf(base, sizeof(base), "%s", argv[1]);

  // create + write + seek + read
  int fd = open(at("a.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "hello, world\n", 13) == 13);
  CHECK(lseek(fd, 0, SEEK_CUR) == 13);
  CHECK(lseek(fd, 7, SEEK_SET) == 7);
  char buf[128] = {0};
  CHECK(read(fd, buf, 5) == 5);
  printf("read after seek: %s\n", buf);
  CHECK(lseek(fd, -6, SEEK_END) == 7);
  // pwrite/pread leave the offset alone
  CHECK(pwrite(fd, "WORLD", 5, 7) == 5);
  memset(buf, 0, sizeof buf);
  CHECK(pread(fd, buf, 12, 0) == 12);
  printf("pread: %s offset=%ld\n", buf, (long)lseek(fd, 0, SEEK_CUR));
  // truncate and stat
  CHECK(ftruncate(fd, 5) == 0);
  struct stat st;
  CHECK(fstat(fd, &st) == 0);
  printf("after ftruncate: size=%lld reg=%d nlink=%d\n", (long long)st.st_size, S_ISREG(st.st_mode), (int)st.st_nlink);
  CHECK(ftruncate(fd, 100000) == 0);
  CHECK(fstat(fd, &st) == 0);
  printf("after grow: size=%lld\n", (long long)st.st_size);
  CHECK(close(fd) == 0);
  CHECK(truncate(at("a.txt"), 3) == 0);
  CHECK(stat(at("a.txt"), &st) == 0);
  printf("truncate by path: size=%lld\n", (long long)st.st_size);

  // append mode
  FILE* f = fopen(at("log.txt"), "w");
  CHECK(f != NULL);
  fputs("one\n", f);
  fclose(f);
  f = fopen(at("log.txt"), "a");
  CHECK(f != NULL);
  fputs("two\n", f);
  fclose(f);
  f = fopen(at("log.txt"), "r");
  CHECK(f != NULL);
  memset(buf, 0, sizeof buf);
  CHECK(fread(buf, 1, sizeof buf - 1, f) == 8);
  fclose(f);
  printf("append: %s", buf);

  // O_EXCL, ENOENT, EISDIR, ENOTDIR
  show("excl on existing", open(at("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST, "EEXIST");
  show("open missing", open(at("missing"), O_RDONLY), ENOENT, "ENOENT");

  // read-only fd refuses writes
  fd = open(at("a.txt"), O_RDONLY);
  CHECK(fd >= 0);
  show("write on O_RDONLY", (int)write(fd, "x", 1), EBADF, "EBADF");
  close(fd);

  // mkdir, nested files, rename, readdir
  CHECK(mkdir(at("dir"), 0755) == 0);
  show("mkdir again", mkdir(at("dir"), 0755), EEXIST, "EEXIST");
  CHECK(mkdir(at("dir/sub"), 0755) == 0);
  fd = open(at("dir/sub/inner.txt"), O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "inner", 5) == 5);
  close(fd);
  CHECK(rename(at("log.txt"), at("dir/log2.txt")) == 0);
  list("dir");
  list("dir/sub");
  CHECK(stat(at("dir/sub/../log2.txt"), &st) == 0);
  printf("stat via ..: size=%lld\n", (long long)st.st_size);
  show("rmdir non-empty", rmdir(at("dir/sub")), ENOTEMPTY, "ENOTEMPTY");
  show2("unlink dir", unlink(at("dir/sub")), EISDIR, EPERM, "EISDIR");
  show("open file as dir", open(at("a.txt/x"), O_RDONLY), ENOTDIR, "ENOTDIR");

  // symlinks inside the directory
  CHECK(symlink("dir/sub/inner.txt", at("link")) == 0);
  char target[256] = {0};
  ssize_t n = readlink(at("link"), target, sizeof target - 1);
  CHECK(n > 0);
  printf("readlink: %s\n", target);
  CHECK(lstat(at("link"), &st) == 0);
  printf("lstat link: islnk=%d\n", S_ISLNK(st.st_mode));
  CHECK(stat(at("link"), &st) == 0);
  printf("stat through link: size=%lld\n", (long long)st.st_size);
  fd = open(at("link"), O_RDONLY);
  CHECK(fd >= 0);
  memset(buf, 0, sizeof buf);
  CHECK(read(fd, buf, sizeof buf) == 5);
  close(fd);
  printf("read through link: %s\n", buf);
  CHECK(symlink("sub", at("dir/sublink")) == 0);
  CHECK(stat(at("dir/sublink/inner.txt"), &st) == 0);
  printf("dir symlink as a component: size=%lld\n", (long long)st.st_size);
  show("O_NOFOLLOW on link", open(at("link"), O_RDONLY | O_NOFOLLOW), ELOOP, "ELOOP");

  // hard links
  CHECK(link(at("dir/sub/inner.txt"), at("hard.txt")) == 0);
  CHECK(stat(at("hard.txt"), &st) == 0);
  printf("hard link: nlink=%d size=%lld\n", (int)st.st_nlink, (long long)st.st_size);

  // utimes
  struct timespec times[2] = {{1000000000, 0}, {1200000000, 500}};
  CHECK(utimensat(AT_FDCWD, at("hard.txt"), times, 0) == 0);
  CHECK(stat(at("hard.txt"), &st) == 0);
  printf("utimensat: atime=%lld mtime=%lld.%09ld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec,
         st.st_mtim.tv_nsec);

  // clean up: unlink, rmdir
  CHECK(unlink(at("link")) == 0);
  CHECK(unlink(at("hard.txt")) == 0);
  CHECK(unlink(at("dir/sublink")) == 0);
  CHECK(unlink(at("dir/sub/inner.txt")) == 0);
  CHECK(rmdir(at("dir/sub")) == 0);
  CHECK(unlink(at("dir/log2.txt")) == 0);
  CHECK(rmdir(at("dir")) == 0);
  CHECK(unlink(at("a.txt")) == 0);
  show("stat removed", stat(at("dir"), &st), ENOENT, "ENOENT");
  list(".");
  printf("done\n");
  return 0;
}
