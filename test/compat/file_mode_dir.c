/* A directory tree with modes, a symlink and a hard link is still there and the same. */
#include "compat.h"
int main(void) {
  compat_init();
  SETUP(mkdir("tree", 0750) == 0 && mkdir("tree/sub", 0700) == 0);
  SETUP(compat_write_file("tree/sub/f", "x", 1) == 0 && chmod("tree/sub/f", 0604) == 0);
  SETUP(symlink("sub/f", "tree/link") == 0 && link("tree/sub/f", "tree/hard") == 0);
  int dfd = open("tree", O_RDONLY | O_DIRECTORY);
  SETUP(dfd >= 0);
  compat_ready();
  compat_wait();
  struct stat st;
  CHECK(stat("tree", &st) == 0 && (st.st_mode & 0777) == 0750, "tree mode %o", st.st_mode & 0777);
  CHECK(stat("tree/sub", &st) == 0 && (st.st_mode & 0777) == 0700, "tree/sub mode %o", st.st_mode & 0777);
  CHECK(stat("tree/sub/f", &st) == 0 && (st.st_mode & 0777) == 0604 && st.st_nlink == 2, "tree/sub/f mode %o nlink %lu", st.st_mode & 0777, (unsigned long)st.st_nlink);
  char buf[32] = {0};
  CHECK(readlink("tree/link", buf, sizeof buf - 1) == 5 && strcmp(buf, "sub/f") == 0, "symlink reads '%s'", buf);
  CHECK(faccessat(dfd, "sub/f", F_OK, 0) == 0, "the open directory fd does not reach sub/f");
  return compat_finish();
}
