/* An inotify watch on the working directory still reports new files. */
#include "compat.h"
#include <sys/inotify.h>
int main(void) {
  compat_init();
  int in = inotify_init1(IN_NONBLOCK);
  SETUP(in >= 0 && inotify_add_watch(in, ".", IN_CREATE) >= 0);
  compat_ready();
  compat_wait();
  CHECK(compat_write_file("after-restore", "x", 1) == 0, "create");
  char buf[4096] __attribute__((aligned(8)));
  usleep(20000);
  ssize_t n = read(in, buf, sizeof buf);
  int seen = 0;
  for (char *p = buf; n > 0 && p < buf + n;) {
    struct inotify_event *e = (struct inotify_event *)p;
    if (e->len && strcmp(e->name, "after-restore") == 0) seen = 1;
    p += sizeof *e + e->len;
  }
  CHECK(seen, "no IN_CREATE event for after-restore (read returned %zd)", n);
  return compat_finish();
}
