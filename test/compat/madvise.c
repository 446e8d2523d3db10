/* madvise flags: MADV_DONTFORK still acts on fork after the move, and MADV_DONTDUMP still
 * shows in smaps. (MADV_WIPEONFORK: madvise_wipeonfork.c.) */
#include "compat.h"
#include <sys/mman.h>
#define SZ (4 * 4096)
static int vmflags(void *addr, char *out, size_t len) {
  FILE *f = fopen("/proc/self/smaps", "r");
  if (!f) return -1;
  char line[512];
  unsigned long want = (unsigned long)addr;
  int in = 0, found = -1;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) in = want >= lo && want < hi;
    else if (in && strncmp(line, "VmFlags:", 8) == 0) {
      snprintf(out, len, "%s", line + 8);
      found = 0;
      break;
    }
  }
  fclose(f);
  return found;
}
int main(void) {
  compat_init();
  char *dontfork = mmap(NULL, SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *wipe = mmap(NULL, SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *nodump = mmap(NULL, SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  SETUP(dontfork != MAP_FAILED && wipe != MAP_FAILED && nodump != MAP_FAILED);
  memset(dontfork, 1, SZ);
  memset(wipe, 2, SZ);
  memset(nodump, 3, SZ);
  SETUP(madvise(dontfork, SZ, MADV_DONTFORK) == 0);
  SETUP(madvise(nodump, SZ, MADV_DONTDUMP) == 0);
  char f[256];
  SETUP(vmflags(dontfork, f, sizeof f) == 0 && strstr(f, " dc"));
  compat_ready();
  compat_wait();
  CHECK(vmflags(dontfork, f, sizeof f) == 0 && strstr(f, " dc"), "MADV_DONTFORK region lost 'dc' (VmFlags:%s)", f);
  CHECK(vmflags(nodump, f, sizeof f) == 0 && strstr(f, " dd"), "MADV_DONTDUMP region lost 'dd' (VmFlags:%s)", f);
  CHECK(dontfork[0] == 1 && wipe[0] == 2 && nodump[0] == 3, "content changed in the parent");
  pid_t c = fork();
  if (c == 0) {
    int bad = 0;
    if (wipe[0] != 2 || wipe[SZ - 1] != 2) bad |= 1;
    unsigned char vec[4];
    if (mincore(dontfork, SZ, vec) == 0) bad |= 2; /* must not be mapped in the child */
    _exit(bad);
  }
  int st = 0;
  waitpid(c, &st, 0);
  CHECK(WIFEXITED(st) && !(WEXITSTATUS(st) & 1), "a plain private mapping lost its data in the child");
  CHECK(WIFEXITED(st) && !(WEXITSTATUS(st) & 2), "MADV_DONTFORK: the region was mapped in the child");
  return compat_finish();
}
