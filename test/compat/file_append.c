/* O_APPEND and FD_CLOEXEC on a write-only file survive, and appends land at the end. */
#include "compat.h"
int main(void) {
  compat_init();
  int fd = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  SETUP(fd >= 0 && compat_write_all(fd, "first\n", 6) == 0);
  compat_ready();
  compat_wait();
  CHECK(fcntl(fd, F_GETFL) & O_APPEND, "O_APPEND lost");
  CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "FD_CLOEXEC lost");
  CHECK(compat_write_all(fd, "second\n", 7) == 0, "write failed: %s", strerror(errno));
  char buf[64] = {0};
  int rd = open("log.txt", O_RDONLY);
  CHECK(rd >= 0 && read(rd, buf, sizeof buf - 1) == 13 && strcmp(buf, "first\nsecond\n") == 0, "file holds '%s'", buf);
  return compat_finish();
}
