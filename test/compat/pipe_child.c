/* A parent and a child talk over two pipes; the child blocks in read() through the move. */
#include "compat.h"
int main(void) {
  compat_init();
  int down[2], up[2];
  SETUP(pipe(down) == 0 && pipe(up) == 0);
  pid_t c = fork();
  SETUP(c >= 0);
  if (c == 0) {
    compat_child();
    close(down[1]);
    close(up[0]);
    char b[16];
    ssize_t n;
    while ((n = read(down[0], b, sizeof b)) > 0)
      for (ssize_t i = 0; i < n; i++) {
        char r = (char)(b[i] + 1);
        if (write(up[1], &r, 1) != 1) _exit(3);
      }
    _exit(0);
  }
  close(down[0]);
  close(up[1]);
  SETUP(write(down[1], "a", 1) == 1);
  char r = 0;
  SETUP(read(up[0], &r, 1) == 1 && r == 'b');
  compat_ready();
  compat_wait();
  CHECK(write(down[1], "x", 1) == 1, "write to the child failed: %s", strerror(errno));
  r = 0;
  CHECK(read(up[0], &r, 1) == 1 && r == 'y', "the child answered '%c'", r);
  close(down[1]);
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child ended with status %#x", st);
  return compat_finish();
}
