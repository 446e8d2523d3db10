/* The blocked-signal mask (standard and real-time signals) of the process survives. */
#include "compat.h"
int main(void) {
  compat_init();
  sigset_t m, now;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGHUP);
  sigaddset(&m, SIGWINCH);
  sigaddset(&m, SIGRTMIN + 3);
  sigaddset(&m, SIGRTMAX - 1);
  SETUP(sigprocmask(SIG_SETMASK, &m, NULL) == 0);
  compat_ready();
  compat_wait();
  SETUP(sigprocmask(SIG_SETMASK, NULL, &now) == 0);
  for (int s = 1; s < SIGRTMAX; s++) CHECK(sigismember(&m, s) == sigismember(&now, s), "signal %d is %s", s, sigismember(&now, s) ? "now blocked" : "no longer blocked");
  return compat_finish();
}
