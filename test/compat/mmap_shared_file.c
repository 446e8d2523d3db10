/* A MAP_SHARED file mapping: writes through it reach the file, before and after the move. */
#include "compat.h"
#include <sys/mman.h>
#define SZ (256 * 1024)
int main(void) {
  compat_init();
  int fd = open("shared.map", O_RDWR | O_CREAT | O_TRUNC, 0644);
  SETUP(fd >= 0 && ftruncate(fd, SZ) == 0);
  char *p = mmap(NULL, SZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  SETUP(p != MAP_FAILED);
  for (int i = 0; i < SZ; i++) p[i] = (char)(i % 253);
  SETUP(msync(p, SZ, MS_SYNC) == 0);
  close(fd);
  compat_ready();
  compat_wait();
  int ok = 1;
  for (int i = 0; i < SZ; i++) ok &= p[i] == (char)(i % 253);
  CHECK(ok, "mapped content changed");
  p[SZ - 1] = 'Z';
  msync(p, SZ, MS_SYNC);
  char c = 0;
  int rd = open("shared.map", O_RDONLY);
  CHECK(rd >= 0 && pread(rd, &c, 1, SZ - 1) == 1 && c == 'Z', "a write through the mapping did not reach the file");
  return compat_finish();
}
