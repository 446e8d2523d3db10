/* flock() and fcntl() locks are still held: a child forked after the restore cannot take them. */
#include "compat.h"
#include <sys/file.h>
int main(void) {
  compat_init();
  int a = open("flock.lck", O_RDWR | O_CREAT, 0644);
  int b = open("posix.lck", O_RDWR | O_CREAT, 0644);
  SETUP(a >= 0 && b >= 0);
  SETUP(flock(a, LOCK_EX) == 0);
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
  SETUP(fcntl(b, F_SETLK, &fl) == 0);
  compat_ready();
  compat_wait();
  pid_t c = fork();
  if (c == 0) {
    int a2 = open("flock.lck", O_RDWR);
    int b2 = open("posix.lck", O_RDWR);
    struct flock t = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    int bad = 0;
    if (flock(a2, LOCK_EX | LOCK_NB) == 0) bad |= 1;
    if (fcntl(b2, F_GETLK, &t) != 0 || t.l_type == F_UNLCK || t.l_pid != getppid()) bad |= 2;
    _exit(bad);
  }
  int st = 0;
  waitpid(c, &st, 0);
  CHECK(WIFEXITED(st) && !(WEXITSTATUS(st) & 1), "the flock() lock was lost");
  CHECK(WIFEXITED(st) && !(WEXITSTATUS(st) & 2), "the fcntl() lock was lost or has another owner");
  return compat_finish();
}
