/* A signalfd for SIGUSR1 (blocked) with one SIGUSR1 pending: it is still there to read. */
#include "compat.h"
#include <sys/signalfd.h>
int main(void) {
  compat_init();
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGUSR2);
  SETUP(sigprocmask(SIG_BLOCK, &m, NULL) == 0);
  int fd = signalfd(-1, &m, SFD_NONBLOCK);
  SETUP(fd >= 0);
  SETUP(kill(getpid(), SIGUSR1) == 0);
  compat_ready();
  compat_wait();
  struct signalfd_siginfo si;
  memset(&si, 0, sizeof si);
  CHECK(read(fd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGUSR1, "no pending SIGUSR1 through the signalfd (got %u)", si.ssi_signo);
  CHECK(kill(getpid(), SIGUSR2) == 0 && read(fd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGUSR2, "the signalfd lost its mask (SIGUSR2 not seen)");
  return compat_finish();
}
