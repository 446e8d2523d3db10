/* Anonymous mappings with every protection (r, rw, rx, none, w-only) keep it and their content. */
#include "compat.h"
#include <sys/mman.h>
#include <setjmp.h>
#define PG 4096
static sigjmp_buf jb;
static void on_segv(int s) { (void)s; siglongjmp(jb, 1); }
static int perms_of(void *addr, char out[5]) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return -1;
  char line[512];
  unsigned long want = (unsigned long)addr;
  int found = -1;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    char p[5];
    if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && want >= lo && want < hi) {
      memcpy(out, p, 5);
      found = 0;
      break;
    }
  }
  fclose(f);
  return found;
}
int main(void) {
  compat_init();
  static const struct { int prot; const char *perms; } kinds[] = {
      {PROT_READ, "r--p"}, {PROT_READ | PROT_WRITE, "rw-p"}, {PROT_READ | PROT_EXEC, "r-xp"}, {PROT_NONE, "---p"},
      {PROT_READ | PROT_WRITE | PROT_EXEC, "rwxp"}};
  enum { K = 5 };
  char *m[K];
  for (int i = 0; i < K; i++) {
    m[i] = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SETUP(m[i] != MAP_FAILED);
    memset(m[i], 'A' + i, 4 * PG);
    SETUP(mprotect(m[i], 4 * PG, kinds[i].prot) == 0);
  }
  compat_ready();
  compat_wait();
  for (int i = 0; i < K; i++) {
    char p[5] = {0};
    CHECK(perms_of(m[i], p) == 0 && strcmp(p, kinds[i].perms) == 0, "mapping %d is '%s', not '%s'", i, p, kinds[i].perms);
    if (kinds[i].prot & PROT_READ) CHECK(m[i][0] == 'A' + i && m[i][4 * PG - 1] == 'A' + i, "mapping %d content changed", i);
  }
  signal(SIGSEGV, on_segv);
  volatile int faulted = 0;
  if (sigsetjmp(jb, 1) == 0) {
    volatile char c = m[3][0];
    (void)c;
  } else
    faulted = 1;
  CHECK(faulted, "the PROT_NONE mapping became readable");
  return compat_finish();
}
