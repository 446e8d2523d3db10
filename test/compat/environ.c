/* The environment (as the process changed it, and /proc/self/environ as it started) survives. */
#include "compat.h"
static char *slurp(const char *path, size_t *len) {
  static char buf[65536];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return NULL;
  ssize_t n = compat_read_full(fd, buf, sizeof buf);
  close(fd);
  *len = n > 0 ? (size_t)n : 0;
  return buf;
}
int main(void) {
  compat_init();
  SETUP(setenv("ZINC_COMPAT_VAR", "value with spaces = and ünïcode", 1) == 0);
  unsetenv("ZINC_COMPAT_GONE");
  size_t n0;
  char *e0 = slurp("/proc/self/environ", &n0);
  SETUP(e0 != NULL);
  static char saved[65536];
  memcpy(saved, e0, n0);
  compat_ready();
  compat_wait();
  const char *v = getenv("ZINC_COMPAT_VAR");
  CHECK(v && strcmp(v, "value with spaces = and ünïcode") == 0, "ZINC_COMPAT_VAR is '%s'", v ? v : "(unset)");
  size_t n1;
  char *e1 = slurp("/proc/self/environ", &n1);
  CHECK(e1 && n1 == n0 && memcmp(e1, saved, n0) == 0, "/proc/self/environ changed (%zu → %zu bytes)", n0, n1);
  return compat_finish();
}
