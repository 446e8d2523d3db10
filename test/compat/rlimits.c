/* Lowered resource limits (soft and hard) survive. */
#include "compat.h"
#include <sys/resource.h>
static const struct { int res; const char *name; rlim_t soft, hard; } want[] = {
    {RLIMIT_NOFILE, "NOFILE", 200, 300},
    {RLIMIT_CORE, "CORE", 0, 4096 * 1024},
    {RLIMIT_NPROC, "NPROC", 5000, 6000},
    {RLIMIT_MSGQUEUE, "MSGQUEUE", 4096, 8192},
    {RLIMIT_SIGPENDING, "SIGPENDING", 100, 200},
};
int main(void) {
  compat_init();
  size_t n = sizeof want / sizeof want[0];
  for (size_t i = 0; i < n; i++) {
    struct rlimit r = {want[i].soft, want[i].hard};
    SETUP(setrlimit(want[i].res, &r) == 0);
  }
  compat_ready();
  compat_wait();
  for (size_t i = 0; i < n; i++) {
    struct rlimit r;
    getrlimit(want[i].res, &r);
    CHECK(r.rlim_cur == want[i].soft && r.rlim_max == want[i].hard, "RLIMIT_%s is %llu/%llu, not %llu/%llu", want[i].name,
          (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max, (unsigned long long)want[i].soft, (unsigned long long)want[i].hard);
  }
  return compat_finish();
}
