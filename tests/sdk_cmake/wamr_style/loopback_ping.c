// Listens on 127.0.0.1 (port chosen by the kernel), connects to itself,
// accepts, and sends "ping" across: the socket calls a WAMR socket sample
// makes, in one process. Prints "ping over 127.0.0.1" on success.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char* what) {
  perror(what);
  return 1;
}

int main(void) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) return fail("socket");
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, (struct sockaddr*)&addr, sizeof addr) != 0) return fail("bind");
  if (listen(listener, 1) != 0) return fail("listen");
  socklen_t len = sizeof addr;
  if (getsockname(listener, (struct sockaddr*)&addr, &len) != 0) return fail("getsockname");

  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (client < 0) return fail("socket");
  if (connect(client, (struct sockaddr*)&addr, sizeof addr) != 0) return fail("connect");
  int server = accept(listener, NULL, NULL);
  if (server < 0) return fail("accept");

  if (send(client, "ping", 4, 0) != 4) return fail("send");
  char buffer[8] = {0};
  ssize_t got = recv(server, buffer, sizeof buffer - 1, 0);
  if (got != 4 || strcmp(buffer, "ping") != 0) return fail("recv");
  char text[INET_ADDRSTRLEN];
  printf("%s over %s\n", buffer, inet_ntop(AF_INET, &addr.sin_addr, text, sizeof text));
  close(server);
  close(client);
  close(listener);
  return 0;
}
