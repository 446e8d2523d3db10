/* A tree with sessions and process groups: the job (a session leader) with a child in its own
 * process group, and a child in another session that leads a group of two. Every sid and pgid
 * survives, relative to the pids. */
#include "compat.h"
struct ids { pid_t pid, pgid, sid, ppid; };
/* The parent's pid as this namespace sees it: /proc (maybe an ancestor namespace's) gives the
 * parent's pid there, and that process's NSpid line its pid here. */
static pid_t ns_ppid(pid_t p) {
  if (p == getpid()) return getppid();
  long host = compat_stat_field(p, 1, NULL);
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%ld/status", host);
  FILE *f = fopen(path, "r");
  pid_t r = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "NSpid:", 6) == 0) {
      char *last = strrchr(line, '\t');
      r = last ? (pid_t)atoi(last + 1) : -1;
    }
  if (f) fclose(f);
  return r;
}
static struct ids now(pid_t p) {
  struct ids r = {p, getpgid(p), getsid(p), ns_ppid(p)};
  return r;
}
static void idle(void) {
  compat_child();
  for (;;) pause();
}
int main(void) {
  compat_init();
  pid_t self = getpid();
  pid_t a = fork();
  SETUP(a >= 0);
  if (a == 0) {
    setpgid(0, 0);
    idle();
  }
  setpgid(a, a);
  int p[2];
  SETUP(pipe(p) == 0);
  pid_t b = fork();
  SETUP(b >= 0);
  if (b == 0) {
    setsid();
    pid_t b2 = fork();
    if (b2 == 0) idle(); /* same session and group as b */
    if (write(p[1], &b2, sizeof b2) != sizeof b2) _exit(3);
    idle();
  }
  pid_t b2 = 0;
  SETUP(read(p[0], &b2, sizeof b2) == sizeof b2);
  for (int i = 0; i < 1000 && getsid(b) != b; i++) usleep(1000);
  struct ids before[4] = {now(self), now(a), now(b), now(b2)};
  SETUP(before[2].sid == b && before[3].sid == b && before[1].pgid == a);
  compat_ready();
  compat_wait();
  const char *names[4] = {"the job", "the child in its own group", "the child in another session", "that child's child"};
  for (int i = 0; i < 4; i++) {
    struct ids x = now(before[i].pid);
    CHECK(x.pgid == before[i].pgid && x.sid == before[i].sid && x.ppid == before[i].ppid,
          "%s (pid %d): pgid %d sid %d ppid %d, were %d %d %d", names[i], (int)x.pid, (int)x.pgid, (int)x.sid, (int)x.ppid,
          (int)before[i].pgid, (int)before[i].sid, (int)before[i].ppid);
  }
  kill(a, SIGKILL);
  kill(b, SIGKILL);
  kill(b2, SIGKILL);
  return compat_finish();
}
