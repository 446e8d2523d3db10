/* A deep call stack (recursion with live locals in every frame) unwinds correctly afterwards. */
#include "compat.h"
static long depth_sum(int d, volatile char *prev) {
  volatile char frame[512];
  for (int i = 0; i < 512; i++) frame[i] = (char)(d + i);
  if (d == 0) {
    compat_ready();
    compat_wait();
    return prev ? prev[0] : 0;
  }
  long below = depth_sum(d - 1, frame);
  long mine = 0;
  for (int i = 0; i < 512; i++) mine += frame[i] == (char)(d + i);
  return below + (mine == 512 ? 1 : -100000);
}
int main(void) {
  compat_init();
  long r = depth_sum(4000, NULL);
  CHECK(r == 4000 + (char)(1), "stack frames changed (sum %ld)", r);
  return compat_finish();
}
