/* Duplicated descriptors share one offset; a high fd number and per-fd flags survive. */
#include "compat.h"
int main(void) {
  compat_init();
  int fd = open("dup.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  SETUP(fd >= 0 && compat_write_all(fd, "abcdefghij", 10) == 0);
  SETUP(dup2(fd, 900) == 900);
  SETUP(fcntl(900, F_SETFD, FD_CLOEXEC) == 0);
  SETUP(lseek(fd, 3, SEEK_SET) == 3);
  compat_ready();
  compat_wait();
  CHECK(fcntl(900, F_GETFD) == FD_CLOEXEC, "fd 900 lost FD_CLOEXEC");
  CHECK(fcntl(fd, F_GETFD) == 0, "fd %d gained FD_CLOEXEC", fd);
  char c = 0;
  CHECK(read(900, &c, 1) == 1 && c == 'd', "fd 900 read '%c'", c);
  CHECK(lseek(fd, 0, SEEK_CUR) == 4, "the two fds no longer share an offset");
  return compat_finish();
}
