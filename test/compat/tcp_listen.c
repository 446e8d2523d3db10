/* A TCP socket listening on loopback inside the job keeps its port and accepts connections. */
#include "compat.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
int main(void) {
  compat_init();
  int l = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
  socklen_t al = sizeof a;
  SETUP(l >= 0 && setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
  SETUP(bind(l, (struct sockaddr *)&a, sizeof a) == 0 && listen(l, 8) == 0);
  SETUP(getsockname(l, (struct sockaddr *)&a, &al) == 0);
  unsigned port = ntohs(a.sin_port);
  compat_ready();
  compat_wait();
  struct sockaddr_in now;
  al = sizeof now;
  CHECK(getsockname(l, (struct sockaddr *)&now, &al) == 0 && ntohs(now.sin_port) == port, "port %u became %u", port, ntohs(now.sin_port));
  int c = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0, "connect to 127.0.0.1:%u: %s", port, strerror(errno));
  int s = accept(l, NULL, NULL);
  char b = 0;
  CHECK(s >= 0 && write(c, "t", 1) == 1 && read(s, &b, 1) == 1 && b == 't', "no data over the accepted connection");
  return compat_finish();
}
