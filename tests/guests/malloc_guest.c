/* Guest: allocator stress — random malloc/realloc/free with content checks,
 * a linked list built and reversed, and qsort of records. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_state = 12345;
static uint32_t next_random(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

struct node {
  int value;
  struct node *next;
};

struct record {
  uint32_t key;
  int id;
  char name[12];
};

static int compare_records(const void *a, const void *b) {
  const struct record *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->id - y->id;
}

int main(void) {
  enum { SLOTS = 2000, ROUNDS = 200000 };
  unsigned char **slots = calloc(SLOTS, sizeof *slots);
  size_t *sizes = calloc(SLOTS, sizeof *sizes);
  uint64_t checksum = 0, corrupt = 0, allocations = 0;
  for (int r = 0; r < ROUNDS; r++) {
    uint32_t i = next_random() % SLOTS;
    if (slots[i]) {
      for (size_t k = 0; k < sizes[i]; k++)
        if (slots[i][k] != (unsigned char)(i + k)) corrupt++;
      checksum += sizes[i];
      if (next_random() % 4 == 0) {
        size_t new_size = 1 + next_random() % 3000;
        unsigned char *p = realloc(slots[i], new_size);
        for (size_t k = 0; k < new_size; k++) p[k] = (unsigned char)(i + k);
        slots[i] = p;
        sizes[i] = new_size;
        continue;
      }
      free(slots[i]);
      slots[i] = NULL;
    } else {
      size_t size = (next_random() % 8 == 0) ? 1 + next_random() % 70000 : 1 + next_random() % 256;
      slots[i] = malloc(size);
      allocations++;
      sizes[i] = size;
      for (size_t k = 0; k < size; k++) slots[i][k] = (unsigned char)(i + k);
    }
  }
  for (int i = 0; i < SLOTS; i++) free(slots[i]);
  free(slots);
  free(sizes);
  printf("allocations=%llu checksum=%llu corrupt=%llu\n", (unsigned long long)allocations,
         (unsigned long long)checksum, (unsigned long long)corrupt);

  struct node *head = NULL;
  for (int i = 0; i < 100000; i++) {
    struct node *n = malloc(sizeof *n);
    n->value = (int)(next_random() % 1000);
    n->next = head;
    head = n;
  }
  struct node *reversed = NULL;
  while (head) {
    struct node *next = head->next;
    head->next = reversed;
    reversed = head;
    head = next;
  }
  long long weighted = 0;
  int position = 0;
  while (reversed) {
    struct node *next = reversed->next;
    weighted += (long long)reversed->value * (position++ % 7);
    free(reversed);
    reversed = next;
  }
  printf("list weighted sum=%lld\n", weighted);

  enum { RECORDS = 50000 };
  struct record *records = malloc(RECORDS * sizeof *records);
  for (int i = 0; i < RECORDS; i++) {
    records[i].key = next_random() % 10000;
    records[i].id = i;
    snprintf(records[i].name, sizeof records[i].name, "r%d", i);
  }
  qsort(records, RECORDS, sizeof *records, compare_records);
  for (int i = 0; i < RECORDS; i += 5000)
    printf("sorted[%d] key=%u id=%d name=%s\n", i, records[i].key, records[i].id, records[i].name);
  int ordered = 1;
  for (int i = 1; i < RECORDS; i++)
    if (compare_records(&records[i - 1], &records[i]) > 0) ordered = 0;
  printf("ordered=%d\n", ordered);
  free(records);
  return 0;
}
