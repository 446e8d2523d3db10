/* A child the process stopped itself (SIGSTOP) is still stopped, and continues when told to. */
#include "compat.h"
int main(void) {
  compat_init();
  int p[2];
  SETUP(pipe(p) == 0);
  pid_t c = fork();
  SETUP(c >= 0);
  if (c == 0) {
    compat_child();
    close(p[0]);
    for (;;) {
      if (write(p[1], "t", 1) != 1) _exit(3);
      usleep(20000);
    }
  }
  close(p[1]);
  char b;
  SETUP(read(p[0], &b, 1) == 1);
  SETUP(kill(c, SIGSTOP) == 0);
  int st = 0;
  SETUP(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st));
  SETUP(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
  char drain[4096];
  while (read(p[0], drain, sizeof drain) > 0) {
  }
  compat_ready();
  compat_wait();
  CHECK(compat_proc_state(c) == 'T', "child is in state %c, not T (stopped)", compat_proc_state(c));
  usleep(100000);
  CHECK(read(p[0], drain, sizeof drain) < 0 && errno == EAGAIN, "the stopped child ran and wrote");
  kill(c, SIGCONT);
  usleep(150000);
  CHECK(read(p[0], drain, sizeof drain) > 0, "the child did not run after SIGCONT");
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  return compat_finish();
}
