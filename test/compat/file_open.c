/* A regular file open read-write: content, offset and open flags survive. */
#include "compat.h"
int main(void) {
  compat_init();
  const char data[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  int fd = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0640);
  SETUP(fd >= 0 && compat_write_all(fd, data, sizeof data - 1) == 0);
  SETUP(lseek(fd, 10, SEEK_SET) == 10);
  int flags = fcntl(fd, F_GETFL);
  compat_ready();
  compat_wait();
  CHECK(lseek(fd, 0, SEEK_CUR) == 10, "offset is %lld, not 10", (long long)lseek(fd, 0, SEEK_CUR));
  CHECK(fcntl(fd, F_GETFL) == flags, "flags %#x, were %#x", fcntl(fd, F_GETFL), flags);
  char buf[8] = {0};
  CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "abcd", 4) == 0, "read after the offset gave '%s'", buf);
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)(sizeof data - 1), "size changed");
  CHECK((st.st_mode & 0777) == 0640, "mode is %o", st.st_mode & 0777);
  return compat_finish();
}
