/* An unreaped child (a zombie) is still a zombie, with its exit code. */
#include "compat.h"
int main(void) {
  compat_init();
  pid_t c = fork();
  SETUP(c >= 0);
  if (c == 0) _exit(7);
  for (int i = 0; i < 1000 && compat_proc_state(c) != 'Z'; i++) usleep(1000);
  SETUP(compat_proc_state(c) == 'Z');
  compat_ready();
  compat_wait();
  CHECK(compat_proc_state(c) == 'Z', "child %d is in state %c, not Z", (int)c, compat_proc_state(c));
  int st = 0;
  CHECK(waitpid(c, &st, WNOHANG) == c && WIFEXITED(st) && WEXITSTATUS(st) == 7, "reaping the zombie gave status %#x", st);
  return compat_finish();
}
