/* Pending signals survive: a blocked SIGUSR1 and two queued real-time signals with values. */
#include "compat.h"
static volatile sig_atomic_t usr1;
static volatile int rtvals[4], nrt;
static void h(int s, siginfo_t *si, void *uc) {
  (void)uc;
  if (s == SIGUSR1) usr1++;
  else if (nrt < 4) rtvals[nrt++] = si->si_value.sival_int;
}
int main(void) {
  compat_init();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = h;
  sa.sa_flags = SA_SIGINFO;
  SETUP(sigaction(SIGUSR1, &sa, NULL) == 0 && sigaction(SIGRTMIN + 1, &sa, NULL) == 0);
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGRTMIN + 1);
  SETUP(sigprocmask(SIG_BLOCK, &m, NULL) == 0);
  SETUP(kill(getpid(), SIGUSR1) == 0);
  SETUP(sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 11}) == 0);
  SETUP(sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 22}) == 0);
  compat_ready();
  compat_wait();
  sigset_t p;
  sigpending(&p);
  CHECK(sigismember(&p, SIGUSR1), "SIGUSR1 no longer pending");
  CHECK(sigismember(&p, SIGRTMIN + 1), "SIGRTMIN+1 no longer pending");
  sigprocmask(SIG_UNBLOCK, &m, NULL);
  CHECK(usr1 == 1, "SIGUSR1 delivered %d times", (int)usr1);
  CHECK(nrt == 2 && rtvals[0] == 11 && rtvals[1] == 22, "real-time signals delivered %d times (values %d, %d)", nrt, rtvals[0], rtvals[1]);
  return compat_finish();
}
