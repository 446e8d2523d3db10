/* A unix stream socketpair with unread data queued in both directions. */
#include "compat.h"
#include <sys/socket.h>
int main(void) {
  compat_init();
  int s[2];
  SETUP(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
  SETUP(compat_write_all(s[0], "ping-ping", 9) == 0 && compat_write_all(s[1], "pong", 4) == 0);
  compat_ready();
  compat_wait();
  char b[16] = {0};
  CHECK(recv(s[1], b, sizeof b - 1, MSG_DONTWAIT) == 9 && strcmp(b, "ping-ping") == 0, "s[1] queued '%s'", b);
  memset(b, 0, sizeof b);
  CHECK(recv(s[0], b, sizeof b - 1, MSG_DONTWAIT) == 4 && strcmp(b, "pong") == 0, "s[0] queued '%s'", b);
  CHECK(send(s[0], "z", 1, 0) == 1 && recv(s[1], b, 1, 0) == 1 && b[0] == 'z', "the pair no longer carries data");
  return compat_finish();
}
