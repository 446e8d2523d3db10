/* A double-forked daemon-style grandchild in its own session, reparented to the job (pid 1 of
 * its namespace, or the subreaper), keeps running and answering over a socketpair. */
#include "compat.h"
#include <sys/socket.h>
int main(void) {
  compat_init();
  int s[2];
  SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
  pid_t c = fork();
  SETUP(c >= 0);
  if (c == 0) {
    if (fork() != 0) _exit(0);
    compat_child();
    setsid();
    close(s[0]);
    char b;
    while (read(s[1], &b, 1) == 1) {
      b = (char)(b + 1);
      if (write(s[1], &b, 1) != 1) break;
    }
    _exit(0);
  }
  waitpid(c, NULL, 0);
  close(s[1]);
  char r = 0;
  SETUP(write(s[0], "a", 1) == 1 && read(s[0], &r, 1) == 1 && r == 'b');
  compat_ready();
  compat_wait();
  r = 0;
  CHECK(write(s[0], "m", 1) == 1 && read(s[0], &r, 1) == 1 && r == 'n', "the grandchild answered '%c'", r);
  return compat_finish();
}
