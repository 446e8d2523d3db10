/* A named pipe that nobody has open still exists afterwards, as a FIFO, with its mode. */
#include "compat.h"
int main(void) {
  compat_init();
  SETUP(mkfifo("idle.fifo", 0640) == 0);
  compat_ready();
  compat_wait();
  struct stat st;
  CHECK(stat("idle.fifo", &st) == 0, "idle.fifo is gone");
  CHECK(S_ISFIFO(st.st_mode), "idle.fifo is not a FIFO (mode %o)", st.st_mode);
  CHECK((st.st_mode & 0777) == 0640, "mode %o", st.st_mode & 0777);
  return compat_finish();
}
