/* An eventfd counter at 42 (non-blocking) keeps its value and flags. */
#include "compat.h"
#include <sys/eventfd.h>
int main(void) {
  compat_init();
  int e = eventfd(42, EFD_NONBLOCK);
  SETUP(e >= 0);
  compat_ready();
  compat_wait();
  uint64_t v = 0;
  CHECK(read(e, &v, sizeof v) == sizeof v && v == 42, "counter read %llu, not 42", (unsigned long long)v);
  CHECK(fcntl(e, F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
  CHECK(read(e, &v, sizeof v) < 0 && errno == EAGAIN, "the counter did not drop to 0");
  return compat_finish();
}
