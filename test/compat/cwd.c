/* The current directory (a subdirectory of the job's directory) survives. */
#include "compat.h"
int main(void) {
  compat_init();
  SETUP(mkdir("deep", 0755) == 0 && mkdir("deep/er", 0755) == 0 && chdir("deep/er") == 0);
  SETUP(compat_write_file("marker", "here", 4) == 0);
  char before[4096];
  SETUP(getcwd(before, sizeof before) != NULL);
  compat_ready();
  compat_wait();
  char now[4096] = {0};
  CHECK(getcwd(now, sizeof now) && strcmp(now, before) == 0, "cwd is '%s', was '%s'", now, before);
  CHECK(access("marker", R_OK) == 0, "marker not found relative to the cwd");
  return compat_finish();
}
