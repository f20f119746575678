/* The SDK's pthreads, checked against the same program built natively
 * (glibc): every line this prints must be the same under both. Lines
 * starting "stdio " come from several threads at once; the runner sorts
 * those before comparing (their order is the scheduler's). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK(what, cond) printf("%-44s %s\n", what, (cond) ? "ok" : "FAILED")

/* Thread-locals start from their initial value in every thread, the main
 * one included, and stay apart. */
static _Thread_local int tls_counter = 7;
static void *bump_tls(void *arg) {
  for (int i = 0; i < 1000; ++i) ++tls_counter;
  return (void *)(intptr_t)tls_counter;
}

static void thread_locals(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i) pthread_create(&t[i], NULL, bump_tls, NULL);
  long sum = 0;
  for (int i = 0; i < 4; ++i) {
    void *r;
    pthread_join(t[i], &r);
    sum += (long)(intptr_t)r;
  }
  printf("tls: 4 threads counted from 7 to %ld in all; main's is %d\n", sum, tls_counter);
}

/* errno is each thread's own: three threads fail calls with three different
 * errors at once and check errno after each (a shared errno shows hundreds
 * of wrong values here). */
static void *fail_badf(void *arg) {
  long wrong = 0;
  for (int i = 0; i < 200000; ++i) {
    errno = 0;
    if (close(-1) != -1 || errno != EBADF) ++wrong;
  }
  return (void *)wrong;
}
static void *fail_range(void *arg) {
  long wrong = 0;
  for (int i = 0; i < 200000; ++i) {
    errno = 0;
    strtol("99999999999999999999999", NULL, 10);
    if (errno != ERANGE) ++wrong;
  }
  return (void *)wrong;
}
static void *fail_inval(void *arg) {
  long wrong = 0;
  for (int i = 0; i < 200000; ++i) {
    errno = 0;
    strtol("12", NULL, 99);
    if (errno != EINVAL) ++wrong;
  }
  return (void *)wrong;
}

static void thread_local_errno(void) {
  void *(*fail[3])(void *) = {fail_badf, fail_range, fail_inval};
  pthread_t t[3];
  for (int i = 0; i < 3; ++i) pthread_create(&t[i], NULL, fail[i], NULL);
  long wrong = 0;
  for (int i = 0; i < 3; ++i) {
    void *r;
    pthread_join(t[i], &r);
    wrong += (long)r;
  }
  printf("errno: %ld wrong values after 600000 failing calls on 3 threads\n", wrong);
}

static void *return_square(void *arg) {
  intptr_t n = (intptr_t)arg;
  return (void *)(n * n);
}

static void create_and_join(void) {
  pthread_t t[16];
  for (intptr_t i = 0; i < 16; ++i) pthread_create(&t[i], NULL, return_square, (void *)i);
  intptr_t sum = 0;
  for (int i = 0; i < 16; ++i) {
    void *r;
    pthread_join(t[i], &r);
    sum += (intptr_t)r;
  }
  printf("join: sum of squares 0..15 = %ld\n", (long)sum);
  CHECK("join: joining itself is EDEADLK", pthread_join(pthread_self(), NULL) == EDEADLK);
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg) {
  for (int i = 0; i < 50000; ++i) {
    pthread_mutex_lock(&counter_lock);
    ++counter;
    pthread_mutex_unlock(&counter_lock);
  }
  return NULL;
}

static void mutex_contention(void) {
  pthread_t t[8];
  for (int i = 0; i < 8; ++i) pthread_create(&t[i], NULL, count_up, NULL);
  for (int i = 0; i < 8; ++i) pthread_join(t[i], NULL);
  printf("mutex: 8 x 50000 locked increments = %ld\n", counter);
}

static pthread_mutex_t recursive;
static void *try_recursive(void *arg) { return (void *)(intptr_t)pthread_mutex_trylock(&recursive); }

static void mutex_kinds(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&recursive, &a);
  pthread_mutex_lock(&recursive);
  pthread_mutex_lock(&recursive);
  CHECK("recursive: owner relocks", pthread_mutex_trylock(&recursive) == 0);
  pthread_t t;
  void *r;
  pthread_create(&t, NULL, try_recursive, NULL);
  pthread_join(t, &r);
  CHECK("recursive: another thread gets EBUSY", (intptr_t)r == EBUSY);
  for (int i = 0; i < 3; ++i) pthread_mutex_unlock(&recursive);
  pthread_create(&t, NULL, try_recursive, NULL);
  pthread_join(t, &r);
  CHECK("recursive: free after three unlocks", (intptr_t)r == 0);

  pthread_mutex_t checked;
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&checked, &a);
  pthread_mutex_lock(&checked);
  CHECK("errorcheck: relock is EDEADLK", pthread_mutex_lock(&checked) == EDEADLK);
  pthread_mutex_unlock(&checked);
  CHECK("errorcheck: unlocking a free mutex is EPERM", pthread_mutex_unlock(&checked) == EPERM);

  pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&plain);
  CHECK("trylock on a held mutex is EBUSY", pthread_mutex_trylock(&plain) == EBUSY);
  struct timespec soon;
  clock_gettime(CLOCK_REALTIME, &soon);
  soon.tv_nsec += 20 * 1000000;
  if (soon.tv_nsec >= 1000000000) {
    soon.tv_nsec -= 1000000000;
    soon.tv_sec += 1;
  }
  CHECK("timedlock on a held mutex is ETIMEDOUT", pthread_mutex_timedlock(&plain, &soon) == ETIMEDOUT);
  pthread_mutex_unlock(&plain);
}

/* A bounded queue: 4 producers, 4 consumers, condition variables. */
#define QUEUE 4
static int queue[QUEUE], head, tail, size;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;

static void *produce(void *arg) {
  for (int i = 1; i <= 10000; ++i) {
    pthread_mutex_lock(&q_lock);
    while (size == QUEUE) pthread_cond_wait(&not_full, &q_lock);
    queue[tail] = i;
    tail = (tail + 1) % QUEUE;
    ++size;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&q_lock);
  }
  return NULL;
}

static void *consume(void *arg) {
  long sum = 0;
  for (int n = 0; n < 10000; ++n) {
    pthread_mutex_lock(&q_lock);
    while (size == 0) pthread_cond_wait(&not_empty, &q_lock);
    sum += queue[head];
    head = (head + 1) % QUEUE;
    --size;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&q_lock);
  }
  return (void *)sum;
}

static void condition_variables(void) {
  pthread_t p[4], c[4];
  for (int i = 0; i < 4; ++i) pthread_create(&c[i], NULL, consume, NULL);
  for (int i = 0; i < 4; ++i) pthread_create(&p[i], NULL, produce, NULL);
  long total = 0;
  for (int i = 0; i < 4; ++i) {
    void *r;
    pthread_join(p[i], NULL);
    pthread_join(c[i], &r);
    total += (long)r;
  }
  printf("cond: 4 producers x 10000 items through a queue of 4, sum = %ld\n", total);

  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_t never;
  pthread_cond_init(&never, &a);
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  struct timespec start, deadline, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  deadline = start;
  deadline.tv_nsec += 50 * 1000000;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_nsec -= 1000000000;
    deadline.tv_sec += 1;
  }
  pthread_mutex_lock(&m);
  int rc = pthread_cond_timedwait(&never, &m, &deadline);
  pthread_mutex_unlock(&m);
  clock_gettime(CLOCK_MONOTONIC, &end);
  long waited_ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
  CHECK("cond: timedwait (monotonic) times out", rc == ETIMEDOUT && waited_ms >= 49);
}

/* Four readers hold the read lock at once (all reach a barrier inside it). */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t inside;
static long shared_value;

static void *reader(void *arg) {
  pthread_rwlock_rdlock(&rw);
  pthread_barrier_wait(&inside);
  long v = shared_value;
  pthread_rwlock_unlock(&rw);
  return (void *)v;
}

static void *writer(void *arg) {
  for (int i = 0; i < 10000; ++i) {
    pthread_rwlock_wrlock(&rw);
    ++shared_value;
    pthread_rwlock_unlock(&rw);
  }
  return NULL;
}

static void rwlocks(void) {
  pthread_barrier_init(&inside, NULL, 4);
  pthread_t t[4];
  for (int i = 0; i < 4; ++i) pthread_create(&t[i], NULL, reader, NULL);
  for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  printf("rwlock: 4 readers inside at once\n");
  for (int i = 0; i < 4; ++i) pthread_create(&t[i], NULL, writer, NULL);
  for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  printf("rwlock: 4 writers x 10000 = %ld\n", shared_value);
  pthread_rwlock_wrlock(&rw);
  CHECK("rwlock: tryrdlock under a writer is EBUSY", pthread_rwlock_tryrdlock(&rw) == EBUSY);
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_rdlock(&rw);
  CHECK("rwlock: trywrlock under a reader is EBUSY", pthread_rwlock_trywrlock(&rw) == EBUSY);
  CHECK("rwlock: a second reader gets in", pthread_rwlock_tryrdlock(&rw) == 0);
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_unlock(&rw);
  pthread_barrier_destroy(&inside);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;
static void init_once(void) { atomic_fetch_add(&once_runs, 1); }
static void *call_once(void *arg) {
  pthread_once(&once, init_once);
  return NULL;
}

static pthread_key_t key;
static atomic_int destructor_runs;
static void destroy_value(void *v) {
  atomic_fetch_add(&destructor_runs, 1);
  free(v);
}
static void *use_key(void *arg) {
  int *mine = malloc(sizeof *mine);
  *mine = (int)(intptr_t)arg;
  pthread_setspecific(key, mine);
  sched_yield();
  int *seen = pthread_getspecific(key);
  return (void *)(intptr_t)(seen == mine && *seen == (int)(intptr_t)arg);
}

static pthread_barrier_t rounds;
static atomic_int serial_count;
static void *run_rounds(void *arg) {
  for (int i = 0; i < 100; ++i) {
    if (pthread_barrier_wait(&rounds) == PTHREAD_BARRIER_SERIAL_THREAD) atomic_fetch_add(&serial_count, 1);
  }
  return NULL;
}

static void once_keys_barriers(void) {
  pthread_t t[8];
  for (int i = 0; i < 8; ++i) pthread_create(&t[i], NULL, call_once, NULL);
  for (int i = 0; i < 8; ++i) pthread_join(t[i], NULL);
  printf("once: init ran %d time(s) for 8 threads\n", atomic_load(&once_runs));

  pthread_key_create(&key, destroy_value);
  int all_own = 1;
  for (intptr_t i = 0; i < 8; ++i) pthread_create(&t[i], NULL, use_key, (void *)i);
  for (int i = 0; i < 8; ++i) {
    void *r;
    pthread_join(t[i], &r);
    all_own &= (int)(intptr_t)r;
  }
  CHECK("keys: each thread sees its own value", all_own);
  printf("keys: destructor ran %d time(s) for 8 threads\n", atomic_load(&destructor_runs));
  CHECK("keys: the main thread's value is null", pthread_getspecific(key) == NULL);
  pthread_key_delete(key);

  pthread_barrier_init(&rounds, NULL, 8);
  for (int i = 0; i < 8; ++i) pthread_create(&t[i], NULL, run_rounds, NULL);
  for (int i = 0; i < 8; ++i) pthread_join(t[i], NULL);
  printf("barrier: 100 rounds of 8, serial thread %d time(s)\n", atomic_load(&serial_count));
  pthread_barrier_destroy(&rounds);
}

static atomic_int detached_done;
static void *detached_work(void *arg) {
  atomic_fetch_add(&detached_done, 1);
  return NULL;
}

static void *exit_deep(int depth) {
  if (depth == 0) pthread_exit((void *)(intptr_t)4242);
  return exit_deep(depth - 1);
}
static void *exits_early(void *arg) {
  exit_deep(10);
  return (void *)1;  /* never reached */
}

static void detach_and_exit(void) {
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  for (int i = 0; i < 32; ++i) {
    pthread_t t;
    if (i % 2) {
      pthread_create(&t, &a, detached_work, NULL);
    } else {
      pthread_create(&t, NULL, detached_work, NULL);
      pthread_detach(t);
    }
  }
  while (atomic_load(&detached_done) < 32) sched_yield();
  printf("detach: 32 detached threads ran\n");

  pthread_t t;
  void *r;
  pthread_create(&t, NULL, exits_early, NULL);
  pthread_join(t, &r);
  printf("exit: pthread_exit ten frames deep returned %ld to join\n", (long)(intptr_t)r);

  size_t size;
  pthread_attr_setstacksize(&a, 1 << 20);
  pthread_attr_getstacksize(&a, &size);
  CHECK("attr: stack size set and read back", size == 1 << 20);
  CHECK("attr: a tiny stack size is EINVAL", pthread_attr_setstacksize(&a, 100) == EINVAL);
}

/* malloc from eight threads at once, every block's contents checked. */
static void *allocate(void *arg) {
  unsigned seed = (unsigned)(intptr_t)arg * 2654435761u + 1;
  void *live[64] = {0};
  size_t sizes[64] = {0};
  long bad = 0;
  for (int i = 0; i < 20000; ++i) {
    seed = seed * 1103515245u + 12345u;
    int slot = (seed >> 16) % 64;
    if (live[slot]) {
      unsigned char *p = live[slot];
      for (size_t k = 0; k < sizes[slot]; ++k) bad += p[k] != (unsigned char)(slot + k);
      free(p);
    }
    sizes[slot] = 1 + (seed >> 8) % 3000;
    unsigned char *p = malloc(sizes[slot]);
    for (size_t k = 0; k < sizes[slot]; ++k) p[k] = (unsigned char)(slot + k);
    live[slot] = p;
  }
  for (int s = 0; s < 64; ++s) free(live[s]);
  return (void *)bad;
}

static void *print_lines(void *arg) {
  for (int i = 0; i < 200; ++i) printf("stdio thread %ld line %03d of 200\n", (long)(intptr_t)arg, i);
  return NULL;
}

static void heap_and_stdio(void) {
  pthread_t t[8];
  for (intptr_t i = 0; i < 8; ++i) pthread_create(&t[i], NULL, allocate, (void *)i);
  long bad = 0;
  for (int i = 0; i < 8; ++i) {
    void *r;
    pthread_join(t[i], &r);
    bad += (long)(intptr_t)r;
  }
  printf("malloc: 8 threads x 20000 allocations, %ld corrupted bytes\n", bad);
  for (intptr_t i = 0; i < 8; ++i) pthread_create(&t[i], NULL, print_lines, (void *)i);
  for (int i = 0; i < 8; ++i) pthread_join(t[i], NULL);
}

static void *outlives_main(void *arg) {
  struct timespec d = {0, 50 * 1000000};
  nanosleep(&d, NULL);
  printf("main: the last thread finished after main's pthread_exit\n");
  fflush(stdout);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  thread_locals();
  thread_local_errno();
  create_and_join();
  mutex_contention();
  mutex_kinds();
  condition_variables();
  rwlocks();
  once_keys_barriers();
  detach_and_exit();
  heap_and_stdio();
  pthread_t t;
  pthread_create(&t, NULL, outlives_main, NULL);
  pthread_exit(NULL);
}
