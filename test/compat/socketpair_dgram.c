/* A unix datagram socketpair keeps queued messages and their boundaries. */
#include "compat.h"
#include <sys/socket.h>
int main(void) {
  compat_init();
  int s[2];
  SETUP(socketpair(AF_UNIX, SOCK_DGRAM, 0, s) == 0);
  SETUP(send(s[0], "one", 3, 0) == 3 && send(s[0], "three", 5, 0) == 5);
  compat_ready();
  compat_wait();
  char b[16] = {0};
  CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT) == 3 && memcmp(b, "one", 3) == 0, "first message '%s'", b);
  memset(b, 0, sizeof b);
  CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT) == 5 && memcmp(b, "three", 5) == 0, "second message '%s'", b);
  return compat_finish();
}
