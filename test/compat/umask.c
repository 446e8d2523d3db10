/* The umask survives, and new files get modes under it. */
#include "compat.h"
int main(void) {
  compat_init();
  umask(0027);
  compat_ready();
  compat_wait();
  mode_t m = umask(0);
  CHECK(m == 0027, "umask is %03o, not 027", m);
  umask(m);
  int fd = open("created-after", O_CREAT | O_WRONLY, 0666);
  struct stat st;
  CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640, "a new file got mode %o", st.st_mode & 0777);
  return compat_finish();
}
