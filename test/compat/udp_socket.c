/* A UDP socket bound on loopback keeps its address and options. */
#include "compat.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
int main(void) {
  compat_init();
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t al = sizeof a;
  int rcv = 200000;
  SETUP(u >= 0 && setsockopt(u, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv) == 0);
  SETUP(bind(u, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(u, (struct sockaddr *)&a, &al) == 0);
  int got = 0;
  socklen_t gl = sizeof got;
  SETUP(getsockopt(u, SOL_SOCKET, SO_RCVBUF, &got, &gl) == 0);
  compat_ready();
  compat_wait();
  int now = 0;
  gl = sizeof now;
  CHECK(getsockopt(u, SOL_SOCKET, SO_RCVBUF, &now, &gl) == 0 && now == got, "SO_RCVBUF %d, was %d", now, got);
  CHECK(sendto(u, "dg", 2, 0, (struct sockaddr *)&a, sizeof a) == 2, "sendto self: %s", strerror(errno));
  char b[4] = {0};
  usleep(100000);
  CHECK(recv(u, b, sizeof b, MSG_DONTWAIT) == 2 && memcmp(b, "dg", 2) == 0, "no datagram to self");
  return compat_finish();
}
