/* A small closed file keeps its mtime and atime (set to fixed dates in the past). */
#include "compat.h"
int main(void) {
  compat_init();
  SETUP(compat_write_file("stamped.txt", "hello\n", 6) == 0);
  struct timespec ts[2] = {{.tv_sec = 1000000000, .tv_nsec = 0}, {.tv_sec = 1234567890, .tv_nsec = 0}};
  SETUP(utimensat(AT_FDCWD, "stamped.txt", ts, 0) == 0);
  compat_ready();
  compat_wait();
  struct stat st;
  CHECK(stat("stamped.txt", &st) == 0, "stamped.txt is gone");
  CHECK(st.st_mtim.tv_sec == 1234567890, "mtime is %lld, not 1234567890", (long long)st.st_mtim.tv_sec);
  CHECK(st.st_atim.tv_sec == 1000000000, "atime is %lld, not 1000000000", (long long)st.st_atim.tv_sec);
  return compat_finish();
}
