/* Guest: exits with status 3 through exit() (WASI proc_exit). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("exiting with 3\n");
  exit(3);
}
