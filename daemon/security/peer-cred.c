/*
 * zinc-peercred: prints the pid, uid and gid of the process at the other end of the unix socket
 * passed as fd 3, as the kernel recorded them at connect() (SO_PEERCRED). Node has no binding for
 * SO_PEERCRED; zincd hands each accepted CLI connection to this helper before serving it, so the
 * caller's identity comes from the kernel and never from anything the caller sends.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/socket.h>

int main(void) {
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (getsockopt(3, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    perror("zinc-peercred: getsockopt(SO_PEERCRED) on fd 3");
    return 1;
  }
  printf("%d %u %u\n", (int)cred.pid, (unsigned)cred.uid, (unsigned)cred.gid);
  return 0;
}
