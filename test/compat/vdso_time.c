/* Clocks read through the vDSO still work and move forward (monotonic, realtime, boottime). */
#include "compat.h"
#include <time.h>
int main(void) {
  compat_init();
  struct timespec m0, r0;
  SETUP(clock_gettime(CLOCK_MONOTONIC, &m0) == 0 && clock_gettime(CLOCK_REALTIME, &r0) == 0);
  compat_ready();
  compat_wait();
  struct timespec m1, r1, b1, m2;
  CHECK(clock_gettime(CLOCK_MONOTONIC, &m1) == 0 && clock_gettime(CLOCK_REALTIME, &r1) == 0 && clock_gettime(CLOCK_BOOTTIME, &b1) == 0, "clock_gettime failed");
  CHECK(r1.tv_sec >= r0.tv_sec, "CLOCK_REALTIME went backwards");
  usleep(20000);
  clock_gettime(CLOCK_MONOTONIC, &m2);
  double dt = (double)(m2.tv_sec - m1.tv_sec) + (double)(m2.tv_nsec - m1.tv_nsec) / 1e9;
  CHECK(dt > 0.015 && dt < 5, "CLOCK_MONOTONIC advanced %.3f s over a 20 ms sleep", dt);
  (void)m0;
  return compat_finish();
}
