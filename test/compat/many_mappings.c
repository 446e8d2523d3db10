/* Many small mappings: N one-page anonymous mappings (4,096 by default, argv[1] to change),
 * kept apart by alternating protections so that the kernel cannot merge them. */
#include "compat.h"
#include <sys/mman.h>
#define PG 4096
int main(int argc, char **argv) {
  compat_init();
  long n = argc > 1 ? atol(argv[1]) : 4096;
  char *base = mmap(NULL, (size_t)n * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  SETUP(base != MAP_FAILED);
  for (long i = 0; i < n; i++) {
    /* a separate mapping per page, each dirtied with its own value */
    SETUP(mmap(base + i * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == base + i * PG);
    memset(base + i * PG, (int)(i % 251) + 1, PG);
    if (i % 2) SETUP(mprotect(base + i * PG, PG, PROT_READ) == 0);
  }
  compat_ready();
  compat_wait();
  long bad = -1;
  for (long i = 0; i < n && bad < 0; i++)
    if (base[i * PG] != (char)((i % 251) + 1) || base[i * PG + PG - 1] != (char)((i % 251) + 1)) bad = i;
  CHECK(bad < 0, "page %ld of %ld changed", bad, n);
  return compat_finish();
}
