/* A named pipe in the job's directory, open at both ends, with unread data in it. */
#include "compat.h"
int main(void) {
  compat_init();
  SETUP(mkfifo("pipe.fifo", 0600) == 0);
  int rd = open("pipe.fifo", O_RDONLY | O_NONBLOCK);
  int wr = open("pipe.fifo", O_WRONLY);
  SETUP(rd >= 0 && wr >= 0);
  SETUP(compat_write_all(wr, "through the fifo", 16) == 0);
  compat_ready();
  compat_wait();
  char buf[32] = {0};
  CHECK(read(rd, buf, sizeof buf - 1) == 16 && strcmp(buf, "through the fifo") == 0, "fifo holds '%s'", buf);
  struct stat st;
  CHECK(stat("pipe.fifo", &st) == 0 && S_ISFIFO(st.st_mode), "pipe.fifo is no longer a FIFO");
  return compat_finish();
}
