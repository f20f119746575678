// Reads stdin to EOF (after polling it for readiness, which goes through
// poll_oneoff's fd subscriptions), then prints the byte count and a checksum;
// the runner compares with the same numbers computed by the shell. Also
// interleaves stdout and stderr writes.
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  struct pollfd p = {.fd = 0, .events = POLLIN};
  int ready = poll(&p, 1, 5000);
  printf("poll: %d revents_in=%d\n", ready, (p.revents & (POLLIN | POLLHUP)) != 0);
  static unsigned char buf[65536];
  uint64_t total = 0;
  uint32_t sum = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      perror("read");
      return 1;
    }
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) sum = sum * 31 + buf[i];
    total += (uint64_t)n;
  }
  printf("bytes=%llu sum=%u\n", (unsigned long long)total, sum);
  return 0;
}
