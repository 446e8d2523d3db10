/* A periodic POSIX timer (CLOCK_MONOTONIC, SIGUSR2 with a value) keeps firing with its interval. */
#include "compat.h"
#include <time.h>
static volatile sig_atomic_t fired;
static volatile sig_atomic_t bad_value;
static void on_usr2(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  if (si->si_value.sival_int != 4242) bad_value = 1;
  fired++;
}
int main(void) {
  compat_init();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr2;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  SETUP(sigaction(SIGUSR2, &sa, NULL) == 0);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR2;
  sev.sigev_value.sival_int = 4242;
  timer_t t;
  SETUP(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
  struct itimerspec its = {.it_interval = {.tv_nsec = 100000000}, .it_value = {.tv_nsec = 100000000}};
  SETUP(timer_settime(t, 0, &its, NULL) == 0);
  while (fired < 2) pause();
  compat_ready();
  compat_wait();
  struct itimerspec now;
  CHECK(timer_gettime(t, &now) == 0 && now.it_interval.tv_nsec == 100000000, "interval %ld ns", (long)now.it_interval.tv_nsec);
  int before = fired;
  for (int k = 0; k < 50 && fired < before + 2; k++) usleep(20000);
  CHECK(fired >= before + 2, "the timer no longer fires (%d → %d)", before, (int)fired);
  CHECK(!bad_value, "wrong sigev_value");
  return compat_finish();
}
