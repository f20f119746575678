/*
 * setjmp/longjmp for error recovery, the way interpreters and parsers use
 * them. Built natively (glibc's setjmp, the oracle) and for wasm32-wasi
 * with wasmaot-cc (clang's lowering onto wasm exception handling plus the
 * SDK's runtime); run_exceptions.py requires identical output.
 *
 *   1. a recursive-descent evaluator that longjmps out of any depth on a
 *      syntax error or a division by zero;
 *   2. nested protected calls (Lua's pcall): an inner handler catches its
 *      errors, an outer one those raised after the inner returned, and a
 *      handler that re-raises to the one outside it;
 *   3. longjmp out of a qsort comparator (frames of wasi-libc, which was
 *      not compiled for setjmp, in between);
 *   4. longjmp(env, 0) makes setjmp return 1; locals that are volatile keep
 *      the values stored after setjmp;
 *   5. many round trips, alternating two jmp_bufs.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- 1. evaluator -------------------------------------------------------- */

static jmp_buf parse_error;
static const char *cursor;
static char error_text[80];

static long expr(const char *start);

static long primary(const char *start) {
  if (*cursor == '(') {
    ++cursor;
    long v = expr(start);
    if (*cursor != ')') {
      snprintf(error_text, sizeof error_text, "expected ')' at %d", (int)(cursor - start));
      longjmp(parse_error, 2);
    }
    ++cursor;
    return v;
  }
  if (*cursor == '-') {
    ++cursor;
    return -primary(start);
  }
  if (*cursor < '0' || *cursor > '9') {
    snprintf(error_text, sizeof error_text, "unexpected '%c' at %d", *cursor ? *cursor : '$', (int)(cursor - start));
    longjmp(parse_error, 3);
  }
  long v = 0;
  while (*cursor >= '0' && *cursor <= '9') v = v * 10 + (*cursor++ - '0');
  return v;
}

static long term(const char *start) {
  long v = primary(start);
  while (*cursor == '*' || *cursor == '/' || *cursor == '%') {
    char op = *cursor++;
    long r = primary(start);
    if (op != '*' && r == 0) {
      snprintf(error_text, sizeof error_text, "division by zero at %d", (int)(cursor - start));
      longjmp(parse_error, 4);
    }
    v = op == '*' ? v * r : op == '/' ? v / r : v % r;
  }
  return v;
}

static long expr(const char *start) {
  long v = term(start);
  while (*cursor == '+' || *cursor == '-') {
    char op = *cursor++;
    long r = term(start);
    v = op == '+' ? v + r : v - r;
  }
  return v;
}

static void evaluate(const char *text) {
  cursor = text;
  int status = setjmp(parse_error);
  if (status == 0) {
    long v = expr(text);
    if (*cursor != '\0') {
      snprintf(error_text, sizeof error_text, "trailing '%c' at %d", *cursor, (int)(cursor - text));
      longjmp(parse_error, 5);
    }
    printf("eval %-24s = %ld\n", text, v);
  } else {
    printf("eval %-24s : error %d: %s\n", text, status, error_text);
  }
}

/* ---- 2. nested protected calls --------------------------------------------- */

struct handler {
  jmp_buf env;
  struct handler *previous;
};
static struct handler *current_handler;
static int raised_total;

static _Noreturn void raise_error(int code) {
  ++raised_total;
  longjmp(current_handler->env, code);
}

/* Runs fn(arg); returns 0, or the code of an error it raised. */
static int protected_call(void (*fn)(int), int arg) {
  struct handler h;
  h.previous = current_handler;
  current_handler = &h;
  int status = setjmp(h.env);
  if (status == 0) fn(arg);
  current_handler = h.previous;
  return status;
}

static void leaf(int n) {
  if (n % 3 == 0) raise_error(100 + n);
}

static void deep(int n) {
  if (n > 0) {
    deep(n - 1);
  } else {
    raise_error(7);
  }
}

static void middle(int n) {
  int inner = protected_call(leaf, n);
  if (inner != 0 && n % 2 == 0) raise_error(inner * 10);  /* re-raise, transformed */
  if (n == 5) {
    int caught = protected_call(deep, 20);                 /* 21 frames deep */
    printf("  middle(5): deep raised %d\n", caught);
  }
  printf("  middle(%d): inner status %d\n", n, inner);
}

/* ---- 3. longjmp out of a libc callback -------------------------------------- */

static jmp_buf sort_abort;
static int comparisons;

static int compare_or_abort(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  if (++comparisons > 40 && (x == 13 || y == 13)) longjmp(sort_abort, 13);
  return (x > y) - (x < y);
}

/* ---- 4. value 0 and volatile locals ----------------------------------------- */

static jmp_buf zero_env;
static _Noreturn void jump_with_zero(void) { longjmp(zero_env, 0); }

int main(void) {
  const char *inputs[] = {"1+2*3", "(4+5)*(6-1)", "100/(5-5)", "2*(3+4", "7%4+-2", "12 + 1", "((((9))))*-1", ""};
  for (size_t i = 0; i < sizeof inputs / sizeof *inputs; ++i) evaluate(inputs[i]);

  for (int n = 1; n <= 8; ++n) {
    int outer = protected_call(middle, n);
    printf("pcall middle(%d): %d\n", n, outer);
  }
  printf("errors raised: %d, handler restored: %s\n", raised_total, current_handler == NULL ? "yes" : "no");

  int values[64];
  for (int i = 0; i < 64; ++i) values[i] = (i * 37) % 64;
  int status = setjmp(sort_abort);
  if (status == 0) {
    qsort(values, 64, sizeof *values, compare_or_abort);
    printf("qsort finished\n");
  } else {
    printf("qsort aborted with %d after more than 40 comparisons: %s\n", status, comparisons > 40 ? "yes" : "no");
  }

  volatile int after = 1;
  status = setjmp(zero_env);
  if (status == 0) {
    after = 42;
    jump_with_zero();
  }
  printf("longjmp(env, 0): setjmp returned %d, volatile local %d\n", status, after);

  jmp_buf a, b;
  volatile long rounds = 0;
  volatile long sum = 0;
  while (rounds < 20000) {
    int which = setjmp(rounds % 2 ? a : b);
    if (which == 0) {
      ++rounds;
      if (rounds % 2) longjmp(b, (int)(rounds % 5) + 1);
      longjmp(a, (int)(rounds % 7) + 1);
    }
    sum += which;
  }
  printf("round trips: %ld, sum of values %ld\n", (long)rounds, (long)sum);
  return 0;
}
