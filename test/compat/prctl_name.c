/* Per-process attributes set through prctl(2) and setpriority(2): name, dumpable, nice. */
#include "compat.h"
#include <sys/prctl.h>
#include <sys/resource.h>
int main(void) {
  compat_init();
  SETUP(prctl(PR_SET_NAME, "compat-named", 0, 0, 0) == 0);
  SETUP(setpriority(PRIO_PROCESS, 0, 7) == 0);
  compat_ready();
  compat_wait();
  char name[17] = {0};
  CHECK(prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && strcmp(name, "compat-named") == 0, "name is '%s'", name);
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, 0);
  CHECK(nice == 7, "nice is %d, not 7", nice);
  CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1, "dumpable changed");
  return compat_finish();
}
