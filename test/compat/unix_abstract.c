/* A unix socket in the abstract namespace, with a connection that was accepted before the move. */
#include "compat.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>
#include <time.h>
int main(void) {
  compat_init();
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  char name[64];
  int len = snprintf(name, sizeof name, "zinc-compat-%d-%ld", (int)getpid(), (long)time(NULL));
  memcpy(a.sun_path + 1, name, (size_t)len);
  socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)len);
  SETUP(l >= 0 && bind(l, (struct sockaddr *)&a, alen) == 0 && listen(l, 4) == 0);
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  SETUP(connect(c, (struct sockaddr *)&a, alen) == 0);
  int s = accept(l, NULL, NULL);
  SETUP(s >= 0 && write(c, "before", 6) == 6);
  compat_ready();
  compat_wait();
  char b[8] = {0};
  CHECK(read(s, b, 6) == 6 && strcmp(b, "before") == 0, "queued data '%s'", b);
  int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(connect(c2, (struct sockaddr *)&a, alen) == 0, "new connect: %s", strerror(errno));
  CHECK(accept(l, NULL, NULL) >= 0, "accept: %s", strerror(errno));
  return compat_finish();
}
