/* 128 MiB of anonymous memory with a pseudo-random pattern keeps its checksum. */
#include "compat.h"
#include <sys/mman.h>
int main(int argc, char **argv) {
  compat_init();
  size_t sz = (argc > 1 ? (size_t)atol(argv[1]) : 128) << 20;
  uint64_t *p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  SETUP(p != MAP_FAILED);
  uint64_t x = 88172645463325252ULL;
  for (size_t i = 0; i < sz / 8; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    p[i] = x;
  }
  uint64_t h = compat_hash(p, sz);
  compat_ready();
  compat_wait();
  CHECK(compat_hash(p, sz) == h, "checksum of %zu MiB changed", sz >> 20);
  return compat_finish();
}
