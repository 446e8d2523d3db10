/* MADV_WIPEONFORK still acts after the move: a child forked afterwards sees zeros there. */
#include "compat.h"
#include <sys/mman.h>
#define SZ (4 * 4096)
int main(void) {
  compat_init();
  char *wipe = mmap(NULL, SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  SETUP(wipe != MAP_FAILED);
  memset(wipe, 2, SZ);
  SETUP(madvise(wipe, SZ, MADV_WIPEONFORK) == 0);
  compat_ready();
  compat_wait();
  CHECK(wipe[0] == 2, "content changed in the parent");
  pid_t c = fork();
  if (c == 0) _exit(wipe[0] == 0 && wipe[SZ - 1] == 0 ? 0 : 1);
  int st = 0;
  waitpid(c, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child forked after the move saw the parent's data (MADV_WIPEONFORK lost)");
  return compat_finish();
}
