/* A one-shot timerfd armed 60 s ahead is still armed afterwards, with no more than 60 s left. */
#include "compat.h"
#include <sys/timerfd.h>
int main(void) {
  compat_init();
  int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  struct itimerspec its = {.it_value = {.tv_sec = 60}};
  SETUP(t >= 0 && timerfd_settime(t, 0, &its, NULL) == 0);
  compat_ready();
  compat_wait();
  struct itimerspec now;
  CHECK(timerfd_gettime(t, &now) == 0, "timerfd_gettime: %s", strerror(errno));
  CHECK(now.it_value.tv_sec > 0 || now.it_value.tv_nsec > 0, "the timer is disarmed");
  CHECK(now.it_value.tv_sec < 60, "%ld s left, more than it was set to", (long)now.it_value.tv_sec);
  CHECK(now.it_interval.tv_sec == 0 && now.it_interval.tv_nsec == 0, "it gained an interval");
  uint64_t n;
  CHECK(read(t, &n, sizeof n) < 0 && errno == EAGAIN, "it expired early");
  return compat_finish();
}
