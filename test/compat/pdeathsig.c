/* A child's parent-death signal and the parent's child-subreaper flag survive. */
#include "compat.h"
#include <sys/prctl.h>
int main(void) {
  compat_init();
  SETUP(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0);
  int p[2];
  SETUP(pipe(p) == 0);
  pid_t c = fork();
  SETUP(c >= 0);
  if (c == 0) {
    compat_child();
    if (prctl(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0) != 0) _exit(3);
    char b;
    if (read(p[0], &b, 1) != 1) _exit(4); /* wait for the parent's question */
    int sig = 0;
    prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    _exit(sig == SIGUSR2 ? 0 : 5);
  }
  compat_ready();
  compat_wait();
  int r = 0;
  CHECK(prctl(PR_GET_CHILD_SUBREAPER, &r, 0, 0, 0) == 0 && r == 1, "child subreaper flag lost");
  CHECK(write(p[1], "?", 1) == 1, "write");
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's parent-death signal was lost (status %#x)", st);
  return compat_finish();
}
