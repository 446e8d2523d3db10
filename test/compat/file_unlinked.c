/* A file held open after it was unlinked (the temp-file idiom): still readable, still unlinked. */
#include "compat.h"
int main(void) {
  compat_init();
  char data[5000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (char)('a' + i % 26);
  int fd = open("tmpfile", O_RDWR | O_CREAT | O_TRUNC, 0600);
  SETUP(fd >= 0 && compat_write_all(fd, data, sizeof data) == 0);
  SETUP(unlink("tmpfile") == 0);
  SETUP(lseek(fd, 100, SEEK_SET) == 100);
  compat_ready();
  compat_wait();
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0, "nlink is %lu, not 0", (unsigned long)st.st_nlink);
  CHECK(st.st_size == (off_t)sizeof data, "size %lld", (long long)st.st_size);
  CHECK(lseek(fd, 0, SEEK_CUR) == 100, "offset lost");
  char back[sizeof data];
  CHECK(pread(fd, back, sizeof back, 0) == (ssize_t)sizeof back && memcmp(back, data, sizeof data) == 0, "content differs");
  CHECK(access("tmpfile", F_OK) != 0, "the unlinked file is back in the directory");
  return compat_finish();
}
