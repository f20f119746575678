/* stdio that several threads may use at once. wasi-libc built without
 * threads has no FILE locks, so two threads printing at once could tangle
 * a FILE's buffer. `wasmaot-cc -pthread` links with -Wl,--wrap for each
 * function below: each takes one process-wide lock around the real call
 * (recursive, since libc's own stdio functions call one another, and
 * those inner calls come through here too). Functions not listed here
 * (scanf, getline, ...) are unlocked: guest-sdk/pthread/README.md. */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

int __real_vfprintf(FILE *restrict, const char *restrict, va_list);
int __real_fputs(const char *restrict, FILE *restrict);
int __real_puts(const char *);
int __real_fputc(int, FILE *);
int __real_putc(int, FILE *);
int __real_putchar(int);
size_t __real_fwrite(const void *restrict, size_t, size_t, FILE *restrict);
size_t __real_fread(void *restrict, size_t, size_t, FILE *restrict);
char *__real_fgets(char *restrict, int, FILE *restrict);
int __real_fgetc(FILE *);
int __real_getc(FILE *);
int __real_getchar(void);
int __real_fflush(FILE *);
int __real_fclose(FILE *);

static _Atomic int stdio_word;
static _Atomic int stdio_owner;
static int stdio_depth;

static void lock(void) {
  int me = atomic_load(&__wasmaot_self()->tid);
  if (atomic_load_explicit(&stdio_owner, memory_order_relaxed) == me) {
    ++stdio_depth;
    return;
  }
  __wasmaot_lock_word(&stdio_word, CLOCK_MONOTONIC, NULL);
  atomic_store_explicit(&stdio_owner, me, memory_order_relaxed);
  stdio_depth = 1;
}

static void unlock(void) {
  if (--stdio_depth > 0) return;
  atomic_store_explicit(&stdio_owner, 0, memory_order_relaxed);
  __wasmaot_unlock_word(&stdio_word);
}

int __wrap_vfprintf(FILE *restrict f, const char *restrict format, va_list ap) {
  lock();
  int n = __real_vfprintf(f, format, ap);
  unlock();
  return n;
}
int __wrap_vprintf(const char *restrict format, va_list ap) { return __wrap_vfprintf(stdout, format, ap); }
int __wrap_fprintf(FILE *restrict f, const char *restrict format, ...) {
  va_list ap;
  va_start(ap, format);
  int n = __wrap_vfprintf(f, format, ap);
  va_end(ap);
  return n;
}
int __wrap_printf(const char *restrict format, ...) {
  va_list ap;
  va_start(ap, format);
  int n = __wrap_vfprintf(stdout, format, ap);
  va_end(ap);
  return n;
}
int __wrap_fputs(const char *restrict s, FILE *restrict f) {
  lock();
  int n = __real_fputs(s, f);
  unlock();
  return n;
}
int __wrap_puts(const char *s) {
  lock();
  int n = __real_puts(s);
  unlock();
  return n;
}
int __wrap_fputc(int c, FILE *f) {
  lock();
  int n = __real_fputc(c, f);
  unlock();
  return n;
}
int __wrap_putc(int c, FILE *f) {
  lock();
  int n = __real_putc(c, f);
  unlock();
  return n;
}
int __wrap_putchar(int c) {
  lock();
  int n = __real_putchar(c);
  unlock();
  return n;
}
size_t __wrap_fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f) {
  lock();
  size_t done = __real_fwrite(p, size, n, f);
  unlock();
  return done;
}
size_t __wrap_fread(void *restrict p, size_t size, size_t n, FILE *restrict f) {
  lock();
  size_t done = __real_fread(p, size, n, f);
  unlock();
  return done;
}
char *__wrap_fgets(char *restrict s, int n, FILE *restrict f) {
  lock();
  char *r = __real_fgets(s, n, f);
  unlock();
  return r;
}
int __wrap_fgetc(FILE *f) {
  lock();
  int c = __real_fgetc(f);
  unlock();
  return c;
}
int __wrap_getc(FILE *f) {
  lock();
  int c = __real_getc(f);
  unlock();
  return c;
}
int __wrap_getchar(void) {
  lock();
  int c = __real_getchar();
  unlock();
  return c;
}
int __wrap_fflush(FILE *f) {
  lock();
  int r = __real_fflush(f);
  unlock();
  return r;
}
int __wrap_fclose(FILE *f) {
  lock();
  int r = __real_fclose(f);
  unlock();
  return r;
}
