/*
 * zinc-hwbp-probe: does a hardware breakpoint set through ptrace fire on this machine?
 *
 * CRIU ends every dump (the parasite's exit) and every restore (the restorer's last sigreturn) by
 * putting a hardware breakpoint on the task's sigreturn and waiting for it to trap. Some virtual
 * machines accept the debug registers through ptrace but never raise the trap; CRIU then waits for
 * ever with the job seized. CRIU can instead trace the task syscall by syscall to the same point
 * (its fault-injection switch CRIU_FAULT=130, "no breakpoints"), which costs a few extra stops.
 * zincd runs this probe once and sets that switch only where breakpoints do not fire.
 *
 * Prints one line and exits 0: "ok", or "broken: <why>". Exits 1 if it could not tell.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Where the child's breakpoint goes: a real function, so it is executed, not inlined away. */
__attribute__((noinline)) static void target(void) {
  __asm__ volatile("" ::: "memory");
}

static int reap(pid_t c) {
  int st;
  kill(c, SIGKILL);
  while (waitpid(c, &st, 0) < 0 && errno == EINTR) {
  }
  return 0;
}

int main(void) {
#if !defined(__x86_64__)
  puts("ok");
  return 0;
#else
  pid_t c = fork();
  if (c < 0) {
    printf("unknown: fork: %s\n", strerror(errno));
    return 1;
  }
  if (c == 0) {
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) _exit(3);
    raise(SIGSTOP);
    target();
    _exit(0);
  }
  int st;
  if (waitpid(c, &st, 0) != c || !WIFSTOPPED(st)) {
    puts("unknown: the child did not stop for tracing");
    reap(c);
    return 1;
  }
  /* DR0 = the address; DR7 bit 0 = enable DR0 locally, as an execution breakpoint of length 1. */
  if (ptrace(PTRACE_POKEUSER, c, (void *)offsetof(struct user, u_debugreg[0]), (void *)target) != 0 ||
      ptrace(PTRACE_POKEUSER, c, (void *)offsetof(struct user, u_debugreg[7]), (void *)1) != 0) {
    printf("broken: ptrace cannot set debug registers (%s)\n", strerror(errno));
    reap(c);
    return 0;
  }
  if (ptrace(PTRACE_CONT, c, NULL, NULL) != 0) {
    printf("unknown: PTRACE_CONT: %s\n", strerror(errno));
    reap(c);
    return 1;
  }
  /* The child either traps at target() or runs straight on to its exit: no timeout needed. */
  while (waitpid(c, &st, 0) < 0) {
    if (errno != EINTR) {
      printf("unknown: waitpid: %s\n", strerror(errno));
      return 1;
    }
  }
  if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP) {
    puts("ok");
    reap(c);
    return 0;
  }
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
    puts("broken: a hardware breakpoint set through ptrace did not fire (this CPU or VM ignores debug registers)");
    return 0;
  }
  printf("unknown: the child ended with status %d\n", st);
  if (WIFSTOPPED(st)) reap(c);
  return 1;
#endif
}
