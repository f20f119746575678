// A server for a listener the host opened (wasmaot run --tcplisten ADDR:PORT,
// as wasmtime's -S tcplisten): the first fd after the preopens (3 without
// --dir). Prints the listening port, then answers COUNT clients (argv[1],
// default 2) with their line upper-cased.
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const int listener = 3;
  int count = argc > 1 ? atoi(argv[1]) : 2;
  struct sockaddr_storage addr;
  socklen_t len = sizeof addr;
  if (getsockname(listener, (struct sockaddr*)&addr, &len) != 0) {
    perror("getsockname on fd 3");
    return 1;
  }
  int port = addr.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6*)&addr)->sin6_port)
                                        : ntohs(((struct sockaddr_in*)&addr)->sin_port);
  printf("listening on port %d\n", port);
  fflush(stdout);
  for (int i = 0; i < count; ++i) {
    int client = accept(listener, NULL, NULL);
    if (client < 0) {
      perror("accept");
      return 1;
    }
    char line[256];
    ssize_t n = recv(client, line, sizeof line, 0);
    if (n < 0) {
      perror("recv");
      return 1;
    }
    for (ssize_t k = 0; k < n; ++k) line[k] = (char)toupper((unsigned char)line[k]);
    if (send(client, line, (size_t)n, 0) != n) {
      perror("send");
      return 1;
    }
    close(client);
  }
  printf("served %d clients\n", count);
  return 0;
}
