/* A periodic timerfd (50 ms) keeps its interval and goes on expiring. */
#include "compat.h"
#include <sys/timerfd.h>
int main(void) {
  compat_init();
  int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct itimerspec its = {.it_interval = {.tv_nsec = 50000000}, .it_value = {.tv_nsec = 50000000}};
  SETUP(t >= 0 && timerfd_settime(t, 0, &its, NULL) == 0);
  compat_ready();
  compat_wait();
  struct itimerspec now;
  CHECK(timerfd_gettime(t, &now) == 0 && now.it_interval.tv_sec == 0 && now.it_interval.tv_nsec == 50000000, "interval is %ld ns", (long)now.it_interval.tv_nsec);
  uint64_t n = 0;
  usleep(120000);
  CHECK(read(t, &n, sizeof n) == sizeof n && n >= 1, "no expiration read (%s)", strerror(errno));
  struct itimerspec mid;
  timerfd_gettime(t, &mid);
  usleep(120000);
  n = 0;
  ssize_t r = read(t, &n, sizeof n);
  CHECK(r == sizeof n && n >= 1 && n < 10, "the timer stopped or ran wild (read %zd: %llu expirations in 120 ms, %s; next expiry was in %ld.%09ld s)",
        r, (unsigned long long)n, r < 0 ? strerror(errno) : "", (long)mid.it_value.tv_sec, (long)mid.it_value.tv_nsec);
  return compat_finish();
}
