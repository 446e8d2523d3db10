/* An anonymous pipe with 40 KiB of unread data in its buffer, and its enlarged capacity. */
#include "compat.h"
int main(void) {
  compat_init();
  int p[2];
  SETUP(pipe2(p, O_NONBLOCK) == 0);
  SETUP(fcntl(p[1], F_SETPIPE_SZ, 256 * 1024) >= 256 * 1024);
  static char data[40960];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (char)(i * 7);
  SETUP(compat_write_all(p[1], data, sizeof data) == 0);
  compat_ready();
  compat_wait();
  CHECK(fcntl(p[0], F_GETPIPE_SZ) >= 256 * 1024, "pipe size is %d", fcntl(p[0], F_GETPIPE_SZ));
  static char back[sizeof data];
  CHECK(compat_read_full(p[0], back, sizeof back) == (ssize_t)sizeof back && memcmp(back, data, sizeof data) == 0, "pipe content differs");
  CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
  return compat_finish();
}
