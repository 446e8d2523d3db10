/* setitimer(ITIMER_REAL) with a 100 ms interval keeps running and delivering SIGALRM. */
#include "compat.h"
#include <sys/time.h>
static volatile sig_atomic_t alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }
int main(void) {
  compat_init();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  SETUP(sigaction(SIGALRM, &sa, NULL) == 0);
  struct itimerval it = {.it_interval = {.tv_usec = 100000}, .it_value = {.tv_usec = 100000}};
  SETUP(setitimer(ITIMER_REAL, &it, NULL) == 0);
  struct itimerval vt = {.it_interval = {.tv_sec = 100}, .it_value = {.tv_sec = 100}};
  SETUP(setitimer(ITIMER_VIRTUAL, &vt, NULL) == 0);
  while (alarms < 2) pause();
  compat_ready();
  compat_wait();
  struct itimerval now;
  CHECK(getitimer(ITIMER_REAL, &now) == 0 && now.it_interval.tv_usec == 100000, "ITIMER_REAL interval %ld µs", (long)now.it_interval.tv_usec);
  CHECK(getitimer(ITIMER_VIRTUAL, &now) == 0 && now.it_interval.tv_sec == 100 && now.it_value.tv_sec > 0, "ITIMER_VIRTUAL lost");
  int before = alarms;
  for (int k = 0; k < 50 && alarms < before + 2; k++) usleep(20000);
  CHECK(alarms >= before + 2, "SIGALRM no longer arrives (%d → %d)", before, (int)alarms);
  return compat_finish();
}
