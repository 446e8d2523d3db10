/* A file the process has open and mapped keeps its mtime and its content. */
#include "compat.h"
#include <sys/mman.h>
int main(void) {
  compat_init();
  char data[8192];
  memset(data, 'm', sizeof data);
  int fd = open("mapped.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
  SETUP(fd >= 0 && compat_write_all(fd, data, sizeof data) == 0);
  struct timespec ts[2] = {{.tv_sec = 1300000000}, {.tv_sec = 1400000000}};
  SETUP(futimens(fd, ts) == 0);
  char *p = mmap(NULL, sizeof data, PROT_READ, MAP_SHARED, fd, 0);
  SETUP(p != MAP_FAILED);
  compat_ready();
  compat_wait();
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1400000000, "mtime is %lld, not 1400000000", (long long)st.st_mtim.tv_sec);
  CHECK(memcmp(p, data, sizeof data) == 0, "mapped content differs");
  return compat_finish();
}
