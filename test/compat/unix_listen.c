/* A unix stream socket listening on a path in the job's directory accepts a new connection. */
#include "compat.h"
#include <sys/socket.h>
#include <sys/un.h>
int main(void) {
  compat_init();
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strcpy(a.sun_path, "listen.sock");
  SETUP(l >= 0 && bind(l, (struct sockaddr *)&a, sizeof a) == 0 && listen(l, 4) == 0);
  compat_ready();
  compat_wait();
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0, "connect to listen.sock: %s", strerror(errno));
  int s = accept(l, NULL, NULL);
  CHECK(s >= 0, "accept: %s", strerror(errno));
  char b = 0;
  CHECK(write(c, "k", 1) == 1 && read(s, &b, 1) == 1 && b == 'k', "no data across the new connection");
  return compat_finish();
}
