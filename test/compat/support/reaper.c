/*
 * compat-reaper CMD ARGS…: runs CMD as a child subreaper and reaps everything that ends up
 * below it, reporting each exit on stdout. The compatibility test runs `criu restore
 * --restore-sibling -d` under it, as zinc runs it under its per-job supervisor: the restored tree
 * becomes the reaper's child, so its real exit status is known and nothing is left as a zombie.
 *   cmd-exit CODE        CMD ended (CODE, or 128+signal)
 *   exit PID CODE        another child ended
 * It exits when it has no children left, with CMD's code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int code_of(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: compat-reaper CMD ARGS…\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    perror("compat-reaper: PR_SET_CHILD_SUBREAPER");
    return 1;
  }
  pid_t cmd = fork();
  if (cmd < 0) {
    perror("compat-reaper: fork");
    return 1;
  }
  if (cmd == 0) {
    execvp(argv[1], argv + 1);
    perror("compat-reaper: exec");
    _exit(127);
  }
  int cmd_code = 1;
  for (;;) {
    int st;
    pid_t p = waitpid(-1, &st, 0);
    if (p < 0) {
      if (errno == EINTR) continue;
      break; /* ECHILD: nothing left */
    }
    if (p == cmd) {
      cmd_code = code_of(st);
      printf("cmd-exit %d\n", cmd_code);
    } else
      printf("exit %d %d\n", (int)p, code_of(st));
  }
  return cmd_code;
}
