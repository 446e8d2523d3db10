/* A shared anonymous mapping stays shared between parent and child. */
#include "compat.h"
#include <sys/mman.h>
int main(void) {
  compat_init();
  volatile int *sh = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  SETUP(sh != MAP_FAILED);
  for (int i = 0; i < (1 << 18); i++) sh[i] = i;
  pid_t c = fork();
  SETUP(c >= 0);
  if (c == 0) {
    compat_child();
    while (sh[0] != -1) usleep(1000);
    sh[1] = -2; /* answer through the shared page */
    _exit(0);
  }
  compat_ready();
  compat_wait();
  int ok = 1;
  for (int i = 1; i < (1 << 18); i++) ok &= sh[i] == i;
  CHECK(ok, "content changed");
  sh[0] = -1;
  for (int k = 0; k < 2000 && sh[1] != -2; k++) usleep(1000);
  CHECK(sh[1] == -2, "the child no longer shares the mapping");
  waitpid(c, NULL, 0);
  return compat_finish();
}
