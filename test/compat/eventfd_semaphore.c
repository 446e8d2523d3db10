/* An eventfd in semaphore mode (EFD_SEMAPHORE) at 3: three reads of 1 each, then empty. */
#include "compat.h"
#include <sys/eventfd.h>
int main(void) {
  compat_init();
  int s = eventfd(3, EFD_NONBLOCK | EFD_SEMAPHORE);
  SETUP(s >= 0);
  compat_ready();
  compat_wait();
  uint64_t v = 0;
  int reads = 0;
  while (read(s, &v, sizeof v) == sizeof v && v == 1) reads++;
  CHECK(reads == 3, "semaphore gave %d reads of 1, not 3 (last value read %llu)", reads, (unsigned long long)v);
  return compat_finish();
}
