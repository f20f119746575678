/* Guest: prints its arguments and two environment variables. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  const char *greeting = getenv("GREETING");
  const char *empty = getenv("EMPTY");
  const char *absent = getenv("WASMAOT_SURELY_UNSET");
  printf("GREETING=%s\n", greeting ? greeting : "(unset)");
  printf("EMPTY=%s\n", empty ? (*empty ? empty : "(empty)") : "(unset)");
  printf("absent=%s\n", absent ? absent : "(unset)");
  return 0;
}
