// Limits reach the guest as failures, never as a host crash: memory.grow past
// the page limit makes malloc return NULL; opening past the fd limit is EMFILE.
// argv[1] is a writable directory.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Kept here so that the compiler cannot drop the allocations.
void* volatile blocks[4100];

int main(int argc, char** argv) {
  size_t got = 0;
  for (;;) {
    void* p = malloc(1 << 20);
    if (!p) break;
    memset(p, 1, 1 << 20);
    blocks[got] = p;
    ++got;
    if (got > 4096) break;
  }
  printf("malloc stopped after %s MiB\n", got < 4096 ? "some" : "too many");
  printf("under the limit: %s\n", got >= 8 && got < 64 ? "yes" : "no");
  char path[512];
  snprintf(path, sizeof path, "%s/f", argc > 1 ? argv[1] : "/data");
  int opened = 0;
  int e = 0;
  for (int i = 0; i < 100; ++i) {
    int fd = open(path, O_CREAT | O_RDONLY, 0644);
    if (fd < 0) {
      e = errno;
      break;
    }
    ++opened;
  }
  printf("opened=%d then %s\n", opened, e == EMFILE ? "EMFILE" : e == 0 ? "no error" : strerror(e));
  return 0;
}
