/* A heap grown with brk (and malloc'ed blocks on it) keeps its end and content. */
#include "compat.h"
int main(void) {
  compat_init();
  char *start = sbrk(0);
  SETUP(sbrk(3 * 1024 * 1024) != (void *)-1);
  char *end = sbrk(0);
  for (char *p = start; p < end; p += 512) *p = (char)((p - start) / 512);
  compat_ready();
  compat_wait();
  CHECK(sbrk(0) == end, "program break moved (%p → %p)", (void *)end, sbrk(0));
  int ok = 1;
  for (char *p = start; p < end; p += 512) ok &= *p == (char)((p - start) / 512);
  CHECK(ok, "heap content changed");
  return compat_finish();
}
