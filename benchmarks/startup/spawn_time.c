// Whole-process start-up timer: runs each command ROUNDS times, round-robin
// (so drift on a noisy machine hits all of them alike), with posix_spawn and
// waitpid, and prints one JSON object per command: median, 10th percentile,
// mean and min wall time in milliseconds. Output of the commands goes to
// /dev/null; a command that exits non-zero stops the run (exit 1).
//
//   spawn_time ROUNDS -- CMD1 ARG... -- CMD2 ARG... [-- ...]
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

enum { kMaxCommands = 16 };

static double nowMs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compareDoubles(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static int runOnce(char** argv, posix_spawn_file_actions_t* actions, double* ms) {
  double start = nowMs();
  pid_t pid;
  if (posix_spawn(&pid, argv[0], actions, NULL, argv, environ) != 0) {
    perror(argv[0]);
    return -1;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  *ms = nowMs() - start;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char** argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: spawn_time ROUNDS -- CMD ARG... [-- CMD ARG...]\n");
    return 2;
  }
  int rounds = atoi(argv[1]);
  char** commands[kMaxCommands];
  int count = 0;
  for (int i = 2; i < argc; ++i) {
    if (strcmp(argv[i], "--") != 0) continue;
    argv[i] = NULL;  // ends the previous command's argv
    if (i + 1 < argc && count < kMaxCommands) commands[count++] = &argv[i + 1];
  }
  if (rounds < 1 || count == 0) return 2;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

  double* times = calloc((size_t)rounds * count, sizeof(double));
  if (!times) return 1;
  for (int c = 0; c < count; ++c) {  // one untimed run each: page cache, cache entries
    double ms;
    if (runOnce(commands[c], &actions, &ms) != 0) {
      fprintf(stderr, "spawn_time: %s failed\n", commands[c][0]);
      return 1;
    }
  }
  for (int r = 0; r < rounds; ++r) {
    for (int c = 0; c < count; ++c) {
      int status = runOnce(commands[c], &actions, &times[c * rounds + r]);
      if (status != 0) {
        fprintf(stderr, "spawn_time: %s exited with %d\n", commands[c][0], status);
        return 1;
      }
    }
  }
  for (int c = 0; c < count; ++c) {
    double* t = &times[c * rounds];
    double sum = 0;
    for (int r = 0; r < rounds; ++r) sum += t[r];
    qsort(t, (size_t)rounds, sizeof(double), compareDoubles);
    printf("{\"command\": %d, \"median_ms\": %.4f, \"p10_ms\": %.4f, \"mean_ms\": %.4f, \"min_ms\": %.4f, \"runs\": %d}\n",
           c, t[rounds / 2], t[rounds / 10], sum / rounds, t[0], rounds);
  }
  free(times);
  return 0;
}
