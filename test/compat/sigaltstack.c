/* An alternate signal stack stays configured, and an SA_ONSTACK handler runs on it. */
#include "compat.h"
static char altstack[65536] __attribute__((aligned(16)));
static volatile sig_atomic_t on_alt;
static void h(int s) {
  (void)s;
  char here;
  on_alt = &here >= altstack && &here < altstack + sizeof altstack;
}
int main(void) {
  compat_init();
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  SETUP(sigaltstack(&ss, NULL) == 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = SA_ONSTACK;
  SETUP(sigaction(SIGUSR1, &sa, NULL) == 0);
  compat_ready();
  compat_wait();
  stack_t now;
  CHECK(sigaltstack(NULL, &now) == 0 && now.ss_sp == altstack && now.ss_size == sizeof altstack, "sigaltstack is %p+%zu", now.ss_sp, now.ss_size);
  CHECK(!(now.ss_flags & SS_DISABLE), "sigaltstack disabled");
  raise(SIGUSR1);
  CHECK(on_alt, "the handler did not run on the alternate stack");
  return compat_finish();
}
