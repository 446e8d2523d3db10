/* A MAP_PRIVATE file mapping with copied-on-write pages: the private changes stay private. */
#include "compat.h"
#include <sys/mman.h>
#define SZ (16 * 4096)
int main(void) {
  compat_init();
  static char data[SZ];
  memset(data, 'f', SZ);
  SETUP(compat_write_file("private.map", data, SZ) == 0);
  int fd = open("private.map", O_RDONLY);
  char *p = mmap(NULL, SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  SETUP(fd >= 0 && p != MAP_FAILED);
  for (int pg = 0; pg < 16; pg += 2) p[pg * 4096] = 'P';
  compat_ready();
  compat_wait();
  int ok = 1;
  for (int pg = 0; pg < 16; pg++) ok &= p[pg * 4096] == (pg % 2 ? 'f' : 'P') && p[pg * 4096 + 1] == 'f';
  CHECK(ok, "mapping content changed");
  char c = 0;
  CHECK(pread(fd, &c, 1, 0) == 1 && c == 'f', "a private change reached the file");
  return compat_finish();
}
