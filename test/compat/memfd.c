/* A memfd with a name, content written through write() and through a shared mapping. */
#include "compat.h"
#include <sys/mman.h>
int main(void) {
  compat_init();
  int fd = memfd_create("compat-memfd", MFD_CLOEXEC);
  SETUP(fd >= 0 && ftruncate(fd, 65536) == 0);
  char *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  SETUP(p != MAP_FAILED);
  for (int i = 0; i < 65536; i++) p[i] = (char)(i % 251);
  SETUP(pwrite(fd, "HEAD", 4, 0) == 4);
  uint64_t h = compat_hash(p, 65536);
  compat_ready();
  compat_wait();
  char link[64], target[128] = {0};
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  CHECK(readlink(link, target, sizeof target - 1) > 0 && strstr(target, "memfd:compat-memfd"), "fd points at '%s'", target);
  CHECK(compat_hash(p, 65536) == h, "mapped content differs");
  char b[4];
  CHECK(pread(fd, b, 4, 0) == 4 && memcmp(b, "HEAD", 4) == 0, "read() content differs");
  p[100] = 'Q';
  CHECK(pread(fd, b, 1, 100) == 1 && b[0] == 'Q', "the mapping and the file are no longer shared");
  return compat_finish();
}
