// File I/O benchmark: writes then reads 256 MiB in 64 KiB chunks in the
// directory argv[1], and prints the seconds each phase took (monotonic
// clock) and a checksum. Built natively and as wasm→.so from this source.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)
#define TOTAL (256ull * 1024 * 1024)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned char buf[CHUNK];

int main(int argc, char** argv) {
  char path[1024];
  snprintf(path, sizeof path, "%s/file_io.bin", argc > 1 ? argv[1] : ".");
  for (int i = 0; i < CHUNK; ++i) buf[i] = (unsigned char)(i * 7 + 3);

  double t0 = now();
  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0) { perror("open for writing"); return 1; }
  for (uint64_t done = 0; done < TOTAL; done += CHUNK) {
    buf[0] = (unsigned char)(done >> 16);
    if (write(fd, buf, CHUNK) != CHUNK) { perror("write"); return 1; }
  }
  close(fd);
  double t1 = now();

  fd = open(path, O_RDONLY);
  if (fd < 0) { perror("open for reading"); return 1; }
  uint64_t total = 0, sum = 0;
  for (;;) {
    ssize_t n = read(fd, buf, CHUNK);
    if (n < 0) { perror("read"); return 1; }
    if (n == 0) break;
    total += (uint64_t)n;
    sum += buf[0] + buf[n - 1];
  }
  close(fd);
  double t2 = now();
  unlink(path);
  if (total != TOTAL) { fprintf(stderr, "short read: %llu\n", (unsigned long long)total); return 1; }
  printf("write %.3f s  read %.3f s  total %.3f s  (checksum %llu)\n", t1 - t0, t2 - t1, t2 - t0,
         (unsigned long long)sum);
  return 0;
}
