/* Handlers, flags, handler masks and ignored dispositions are restored, and a handler still runs. */
#include "compat.h"
static volatile sig_atomic_t got_usr1, got_rt;
static void h1(int s) { (void)s; got_usr1++; }
static void h2(int s, siginfo_t *si, void *uc) { (void)s, (void)uc; got_rt = si->si_value.sival_int; }
int main(void) {
  compat_init();
  struct sigaction a, b;
  memset(&a, 0, sizeof a);
  a.sa_handler = h1;
  a.sa_flags = SA_RESTART | SA_NODEFER;
  sigemptyset(&a.sa_mask);
  sigaddset(&a.sa_mask, SIGHUP);
  SETUP(sigaction(SIGUSR1, &a, NULL) == 0);
  memset(&b, 0, sizeof b);
  b.sa_sigaction = h2;
  b.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigfillset(&b.sa_mask);
  SETUP(sigaction(SIGRTMIN + 2, &b, NULL) == 0);
  SETUP(signal(SIGPIPE, SIG_IGN) != SIG_ERR && signal(SIGUSR2, SIG_IGN) != SIG_ERR);
  SETUP(signal(SIGINT, SIG_DFL) != SIG_ERR); /* whatever the launcher left */
  compat_ready();
  compat_wait();
  struct sigaction x;
  CHECK(sigaction(SIGUSR1, NULL, &x) == 0 && x.sa_handler == h1, "SIGUSR1 handler lost");
  CHECK((x.sa_flags & (SA_RESTART | SA_NODEFER)) == (SA_RESTART | SA_NODEFER), "SIGUSR1 flags %#x", x.sa_flags);
  CHECK(sigismember(&x.sa_mask, SIGHUP) && !sigismember(&x.sa_mask, SIGINT), "SIGUSR1 handler mask changed");
  CHECK(sigaction(SIGRTMIN + 2, NULL, &x) == 0 && x.sa_sigaction == h2 && (x.sa_flags & SA_SIGINFO) && (x.sa_flags & SA_RESETHAND), "SIGRTMIN+2 handler or flags lost");
  CHECK(sigaction(SIGPIPE, NULL, &x) == 0 && x.sa_handler == SIG_IGN, "SIGPIPE no longer ignored");
  CHECK(sigaction(SIGUSR2, NULL, &x) == 0 && x.sa_handler == SIG_IGN, "SIGUSR2 no longer ignored");
  CHECK(sigaction(SIGINT, NULL, &x) == 0 && x.sa_handler == SIG_DFL, "SIGINT not default");
  raise(SIGUSR1);
  CHECK(got_usr1 == 1, "SIGUSR1 handler did not run");
  union sigval v = {.sival_int = 77};
  sigqueue(getpid(), SIGRTMIN + 2, v);
  CHECK(got_rt == 77, "SIGRTMIN+2 handler did not run with its value");
  CHECK(sigaction(SIGRTMIN + 2, NULL, &x) == 0 && x.sa_handler == SIG_DFL, "SA_RESETHAND did not reset");
  return compat_finish();
}
