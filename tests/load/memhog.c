/*
 * memhog.c -- hits the linear-memory limit on purpose (tests/load).
 * Allocates 64 KiB blocks until malloc fails, checks errno is ENOMEM, frees
 * everything and allocates the same amount again (the limit is a ceiling,
 * not a leak), then:
 *   memhog          exits 0
 *   memhog trap     treats the failure as fatal with abort() -> a wasm trap,
 *                   so `wasmaot run` exits 70
 *   memhog grow     asks memory.grow directly for more pages than are left:
 *                   must get -1 and go on
 * Prints what it got, one fact per line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 65536
#define MAXBLOCKS 70000

static void *blocks[MAXBLOCKS];

static size_t fill(void)
{
    size_t n = 0;
    while (n < MAXBLOCKS) {
        errno = 0;
        void *p = malloc(BLOCK);
        if (!p)
            break;
        memset(p, (int)(n & 0xff), BLOCK);
        blocks[n++] = p;
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    size_t first = fill();
    int e = errno;
    printf("memhog: malloc failed after %zu blocks of 64 KiB (%zu MiB), errno %s\n", first, first / 16,
           e == ENOMEM ? "ENOMEM" : e == 0 ? "not set" : strerror(e));
    for (size_t i = 0; i < first; i++) {
        if (((unsigned char *)blocks[i])[BLOCK - 1] != (unsigned char)(i & 0xff)) {
            printf("memhog: block %zu corrupted\n", i);
            return 1;
        }
        free(blocks[i]);
    }
    size_t second = fill();
    printf("memhog: after freeing, %s blocks again\n", second + 2 >= first && second <= first + 2 ? "the same" : "NOT the same");
    for (size_t i = 0; i < second; i++)
        free(blocks[i]);
    if (!strcmp(mode, "grow")) {
        size_t before = __builtin_wasm_memory_size(0);
        size_t r = __builtin_wasm_memory_grow(0, 65536);
        printf("memhog: memory.grow(65536) from %zu pages -> %s\n", before, r == (size_t)-1 ? "-1" : "grew");
    }
    if (!strcmp(mode, "trap")) {
        fflush(stdout);
        void *volatile big = malloc((size_t)3 << 30); /* 3 GiB: over any limit below 48k pages */
        if (!big)
            abort();
    }
    printf("memhog: host fine, exiting 0\n");
    return 0;
}
