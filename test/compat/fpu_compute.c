/* Floating-point work in progress: a long double/double computation interrupted by the move
 * ends with the same result as an uninterrupted one. */
#include "compat.h"
#include <math.h>
static double step(double x, int i) { return sin(x) * 1.000001 + cos((double)i) * 1e-3; }
int main(void) {
  compat_init();
  double ref = 0.5;
  for (int i = 0; i < 2000000; i++) ref = step(ref, i);
  compat_ready();
  volatile double x = 0.5;
  long double acc = 0.0L;
  int i = 0;
  /* keep computing until SIGTERM, then finish the same number of steps */
  while (!compat_term) {
    for (int k = 0; k < 1000 && i < 2000000; k++, i++) {
      x = step(x, i);
      acc += (long double)x;
    }
    if (i >= 2000000) pause();
  }
  for (; i < 2000000; i++) x = step(x, i);
  CHECK(x == ref, "result %.17g, expected %.17g", x, ref);
  CHECK(acc != 0.0L, "accumulator lost");
  return compat_finish();
}
