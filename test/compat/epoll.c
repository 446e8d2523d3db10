/* An epoll set with two pipes registered (one ready, one not) and their user data. */
#include "compat.h"
#include <sys/epoll.h>
int main(void) {
  compat_init();
  int a[2], b[2];
  SETUP(pipe(a) == 0 && pipe(b) == 0);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
  SETUP(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev) == 0);
  ev.data.u64 = 42;
  ev.events = EPOLLIN | EPOLLET;
  SETUP(epoll_ctl(ep, EPOLL_CTL_ADD, b[0], &ev) == 0);
  SETUP(write(a[1], "r", 1) == 1);
  compat_ready();
  compat_wait();
  struct epoll_event out[4];
  int n = epoll_wait(ep, out, 4, 0);
  CHECK(n == 1 && out[0].data.u64 == 0x1122334455667788ULL, "epoll_wait gave %d events (data %#llx)", n, n > 0 ? (unsigned long long)out[0].data.u64 : 0ULL);
  CHECK(write(b[1], "s", 1) == 1, "write");
  n = epoll_wait(ep, out, 4, 0);
  int seen42 = 0;
  for (int i = 0; i < n; i++) seen42 |= out[i].data.u64 == 42;
  CHECK(n == 2 && seen42, "after a write to the second pipe epoll_wait gave %d events", n);
  return compat_finish();
}
