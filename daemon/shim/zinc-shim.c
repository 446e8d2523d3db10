/*
 * zinc-shim: the per-job supervisor.
 *
 * zincd starts one shim per job and may then exit or restart at will: the shim double-forks and
 * setsids away from zincd, becomes a child subreaper, starts the job (or restores it with CRIU so
 * that the restored tree is its child), waits for it, and writes the job's end atomically into
 * <ctl>/exit. zincd reads that file whenever it is (again) running. The shim never writes to the
 * job's stdout/stderr: CRIU refuses to restore a file whose size changed after the dump.
 *
 * Usage:
 *   zinc-shim run     --ctl DIR --stdout FILE --stderr FILE --cwd DIR --uid N --gid N --user NAME
 *                     [--job-cgroup PROCS_FILE]... [--shim-cgroup PROCS_FILE]...
 *                     --argv-file FILE --env-file FILE
 *   zinc-shim restore --ctl DIR --pidfile FILE [--job-cgroup PROCS_FILE]... [--shim-cgroup PROCS_FILE]...
 *                     [--wait-go] -- CRIU_BINARY criu-args...
 *                     (the shim adds nothing; zincd passes restore --restore-sibling -d --pidfile …)
 *                     With --wait-go the shim is started ahead of time and waits for "go" on its
 *                     stdin before running CRIU (EOF cancels), keeping process start-up and the
 *                     move into the job's cgroups out of a migration's downtime.
 *
 *   zinc-shim guard -- PROGRAM args...
 *                     Runs a CRIU helper that can hold a job (a post-copy dump/page server, a
 *                     lazy-pages daemon) so that it dies with zincd unless zincd said otherwise.
 *                     zincd holds the write end of the guard's stdin: EOF (zincd died, or dropped
 *                     it) or "kill" SIGKILLs the helper; "keep" disarms that, for when the helper's
 *                     work must finish without zincd (pages already promised to a destination).
 *                     The helper gets PR_SET_PDEATHSIG(SIGKILL) on the guard, so a killed guard
 *                     takes it along. The guard exits as the helper did (same code, or the same
 *                     signal re-raised), and the helper inherits every other fd (e.g. --status-fd).
 *
 * The first process reports on stdout, then exits:  "ok <shim-pid> <job-pid>\n"  or  "error <text>\n".
 * <ctl>/exit is JSON: {"code":N} or {"signal":N,"core":B}, plus "at_ms", "cpu_usec", "maxrss_kb" and
 * "shim_pid" (this supervisor: zincd ignores an exit written by the supervisor of an earlier stay).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CGROUPS 16

extern char **environ;

struct opts {
  const char *mode;
  const char *ctl;
  const char *out;
  const char *err;
  const char *cwd;
  const char *user;
  const char *argv_file;
  const char *env_file;
  const char *pidfile;
  int wait_go;
  uid_t uid;
  gid_t gid;
  const char *job_cg[MAX_CGROUPS];
  int n_job_cg;
  const char *shim_cg[MAX_CGROUPS];
  int n_shim_cg;
  char **tail; /* restore: the CRIU command line */
};

static int log_fd = -1;

static void shim_log(const char *fmt, ...) {
  if (log_fd < 0) return;
  char buf[1024];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int n = snprintf(buf, sizeof buf, "%lld.%03ld shim[%d] ", (long long)ts.tv_sec, ts.tv_nsec / 1000000, getpid());
  va_list ap;
  va_start(ap, fmt);
  n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 2) n = (int)sizeof buf - 2;
  buf[n++] = '\n';
  ssize_t w = write(log_fd, buf, (size_t)n);
  (void)w;
}

static void die_usage(const char *msg) {
  printf("error usage: %s\n", msg);
  fflush(stdout);
  exit(2);
}

/* Write all of buf or fail. */
static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

/* Read a whole small file; NUL-terminated; *len excludes the terminator. */
static char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  if (!buf) { close(fd); return NULL; }
  for (;;) {
    if (n == cap) {
      cap *= 2;
      char *nb = realloc(buf, cap + 1);
      if (!nb) { free(buf); close(fd); return NULL; }
      buf = nb;
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      free(buf);
      close(fd);
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = 0;
  *len = n;
  return buf;
}

/* Split a NUL-separated file ("a\0b\0") into a NULL-terminated vector. */
static char **read_vector(const char *path) {
  size_t len;
  char *buf = read_file(path, &len);
  if (!buf) return NULL;
  size_t count = 0;
  for (size_t i = 0; i < len; i++)
    if (buf[i] == 0) count++;
  if (len > 0 && buf[len - 1] != 0) count++;
  char **vec = calloc(count + 1, sizeof(char *));
  if (!vec) return NULL;
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= len && k < count; i++) {
    if (i == len || buf[i] == 0) {
      vec[k++] = buf + start;
      start = i + 1;
    }
  }
  vec[k] = NULL;
  return vec;
}

static int join_cgroups(const char *const *files, int n) {
  for (int i = 0; i < n; i++) {
    int fd = open(files[i], O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    /* "0" means the writing process itself, whatever PID namespace it is in. */
    int rc = write_all(fd, "0\n", 2);
    int saved = errno;
    close(fd);
    if (rc < 0) {
      errno = saved;
      return -1;
    }
  }
  return 0;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Atomically publish <ctl>/exit: write a temp file, fsync, rename, fsync the directory. */
static void write_exit(const char *ctl, int status, const struct rusage *ru, const char *extra) {
  char tmp[4096], dst[4096], body[1024];
  snprintf(tmp, sizeof tmp, "%s/exit.tmp", ctl);
  snprintf(dst, sizeof dst, "%s/exit", ctl);
  unsigned long long cpu_usec =
      (unsigned long long)ru->ru_utime.tv_sec * 1000000ULL + (unsigned long long)ru->ru_utime.tv_usec +
      (unsigned long long)ru->ru_stime.tv_sec * 1000000ULL + (unsigned long long)ru->ru_stime.tv_usec;
  int n;
  if (WIFSIGNALED(status))
    n = snprintf(body, sizeof body, "{\"signal\":%d,\"core\":%s,\"at_ms\":%lld,\"cpu_usec\":%llu,\"maxrss_kb\":%ld,\"shim_pid\":%d%s}\n",
                 WTERMSIG(status), WCOREDUMP(status) ? "true" : "false", now_ms(), cpu_usec, ru->ru_maxrss, (int)getpid(),
                 extra ? extra : "");
  else
    n = snprintf(body, sizeof body, "{\"code\":%d,\"at_ms\":%lld,\"cpu_usec\":%llu,\"maxrss_kb\":%ld,\"shim_pid\":%d%s}\n",
                 WEXITSTATUS(status), now_ms(), cpu_usec, ru->ru_maxrss, (int)getpid(), extra ? extra : "");
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    shim_log("cannot write %s: %s", tmp, strerror(errno));
    return;
  }
  if (write_all(fd, body, (size_t)n) < 0 || fsync(fd) < 0) shim_log("cannot write %s: %s", tmp, strerror(errno));
  close(fd);
  if (rename(tmp, dst) < 0) {
    shim_log("cannot rename %s: %s", tmp, strerror(errno));
    return;
  }
  int dfd = open(ctl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
}

static void reset_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int s = 1; s < NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    signal(s, SIG_DFL);
  }
}

/* Child side of `run`: we are pid 1 of a fresh PID namespace. Never returns. */
static void exec_job(const struct opts *o, char **argv, char **envp, int errfd) {
  char msg[512];
#define FAIL(...)                                   \
  do {                                              \
    int n_ = snprintf(msg, sizeof msg, __VA_ARGS__); \
    write_all(errfd, msg, (size_t)n_);              \
    _exit(127);                                     \
  } while (0)

  if (join_cgroups(o->job_cg, o->n_job_cg) < 0) FAIL("cannot join the job's cgroup: %s", strerror(errno));
  if (setsid() < 0) FAIL("setsid: %s", strerror(errno));

  int in = open("/dev/null", O_RDONLY);
  /* The job's output is its owner's and root's alone; never through a link planted there. */
  int out = open(o->out, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
  int err = open(o->err, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
  if (in < 0 || out < 0 || err < 0) FAIL("cannot open the job's stdio files: %s", strerror(errno));
  if (fchown(out, o->uid, o->gid) < 0 || fchown(err, o->uid, o->gid) < 0)
    FAIL("cannot chown the job's stdio files: %s", strerror(errno));
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) FAIL("dup2: %s", strerror(errno));

  if (o->uid != 0 || o->gid != 0) {
    if (initgroups(o->user, o->gid) < 0) FAIL("initgroups(%s): %s", o->user, strerror(errno));
    if (setgid(o->gid) < 0) FAIL("setgid(%u): %s", (unsigned)o->gid, strerror(errno));
    if (setuid(o->uid) < 0) FAIL("setuid(%u): %s", (unsigned)o->uid, strerror(errno));
  } else {
    if (setgroups(0, NULL) < 0) FAIL("setgroups: %s", strerror(errno));
  }
  if (chdir(o->cwd) < 0) FAIL("cannot enter working directory %s: %s", o->cwd, strerror(errno));

  /* Only 0, 1, 2 and the CLOEXEC error pipe survive into the job. */
  for (int fd = 3; fd < 1024; fd++)
    if (fd != errfd) close(fd);
  umask(022);
  reset_signals();
  environ = envp;
  execvp(argv[0], argv);
  FAIL("cannot execute %s: %s", argv[0], strerror(errno));
#undef FAIL
}

static void parse(int argc, char **argv, struct opts *o) {
  memset(o, 0, sizeof *o);
  o->uid = 0;
  o->gid = 0;
  if (argc < 2) die_usage("missing mode (run|restore)");
  o->mode = argv[1];
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      o->tail = &argv[i + 1];
      break;
    }
    if (strcmp(a, "--wait-go") == 0) {
      o->wait_go = 1;
      continue;
    }
    if (i + 1 >= argc) die_usage(a);
    const char *v = argv[++i];
    if (strcmp(a, "--ctl") == 0) o->ctl = v;
    else if (strcmp(a, "--stdout") == 0) o->out = v;
    else if (strcmp(a, "--stderr") == 0) o->err = v;
    else if (strcmp(a, "--cwd") == 0) o->cwd = v;
    else if (strcmp(a, "--user") == 0) o->user = v;
    else if (strcmp(a, "--uid") == 0) o->uid = (uid_t)strtoul(v, NULL, 10);
    else if (strcmp(a, "--gid") == 0) o->gid = (gid_t)strtoul(v, NULL, 10);
    else if (strcmp(a, "--argv-file") == 0) o->argv_file = v;
    else if (strcmp(a, "--env-file") == 0) o->env_file = v;
    else if (strcmp(a, "--pidfile") == 0) o->pidfile = v;
    else if (strcmp(a, "--job-cgroup") == 0) {
      if (o->n_job_cg >= MAX_CGROUPS) die_usage("too many --job-cgroup");
      o->job_cg[o->n_job_cg++] = v;
    } else if (strcmp(a, "--shim-cgroup") == 0) {
      if (o->n_shim_cg >= MAX_CGROUPS) die_usage("too many --shim-cgroup");
      o->shim_cg[o->n_shim_cg++] = v;
    } else die_usage(a);
  }
  if (!o->ctl) die_usage("--ctl is required");
}

/* Children reaped while waiting for another one. The restored job is our child (CRIU runs with
 * --restore-sibling) and can end before CRIU itself has exited; its status must not be lost while
 * we wait for CRIU. Orphans reparented to us (we are a subreaper) land here too, so the oldest
 * entries make room for new ones. */
#define MAX_EARLY 64
struct reaped {
  pid_t pid;
  int status;
  struct rusage ru;
};
static struct reaped early[MAX_EARLY];
static int n_early;

static void remember(pid_t pid, int status, const struct rusage *ru) {
  if (n_early == MAX_EARLY) {
    memmove(early, early + 1, sizeof early[0] * (MAX_EARLY - 1));
    n_early--;
  }
  early[n_early].pid = pid;
  early[n_early].status = status;
  early[n_early].ru = *ru;
  n_early++;
}

/* Wait for `pid`, reaping (and remembering) anything else on the way. */
static int wait_for(pid_t pid, int *status, struct rusage *ru) {
  for (int i = 0; i < n_early; i++) {
    if (early[i].pid != pid) continue;
    *status = early[i].status;
    if (ru) *ru = early[i].ru;
    early[i] = early[--n_early];
    return 0;
  }
  for (;;) {
    struct rusage r;
    int st;
    pid_t p = wait4(-1, &st, 0, &r);
    if (p < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (p == pid) {
      *status = st;
      if (ru) *ru = r;
      return 0;
    }
    remember(p, st, &r);
  }
}

static pid_t read_pidfile(const char *path) {
  size_t len;
  char *s = read_file(path, &len);
  if (!s) return -1;
  long v = strtol(s, NULL, 10);
  free(s);
  return v > 0 ? (pid_t)v : -1;
}

/* Exit as `status` says the helper did: the same code, or the same signal. */
static int exit_like(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* no core file of the guard for a helper's SIGSEGV */
    raise(sig);
    return 128 + sig;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* `guard` mode (see the top of this file). Never returns. */
static void guard(char **tail) {
  if (!tail || !tail[0]) die_usage("guard needs -- PROGRAM ARGS");
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  pid_t self = getpid();
  pid_t c = fork();
  if (c < 0) {
    perror("zinc-shim guard: fork");
    _exit(127);
  }
  if (c == 0) {
    /* The helper dies with the guard. If the guard is already gone (the window between fork and
     * prctl), getppid() has changed: do not start at all. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != self) _exit(127);
    /* The control pipe is the guard's alone: zincd's death must close every copy of it. */
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0) _exit(127);
    if (null > 0) close(null);
    reset_signals();
    execv(tail[0], tail);
    _exit(126);
  }
  /* The guard keeps only stdin (control) and stderr; the helper's other fds are its own. */
  for (int fd = 3; fd < 1024; fd++) close(fd);
  int pidfd = (int)syscall(SYS_pidfd_open, c, 0);
  int armed = 1;
  for (;;) {
    struct pollfd p[2] = {{.fd = armed ? 0 : -1, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
    /* Without a pidfd (old kernel), look at the helper every 100 ms. */
    int r = poll(p, 2, pidfd >= 0 ? -1 : 100);
    if (r < 0 && errno != EINTR) break;
    int st;
    pid_t w = waitpid(c, &st, WNOHANG);
    if (w == c) _exit(exit_like(st));
    if (r > 0 && armed && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      char buf[64];
      ssize_t n = read(0, buf, sizeof buf - 1);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) buf[n] = 0;
      if (n > 0 && strncmp(buf, "keep", 4) == 0) {
        armed = 0; /* the helper now finishes on its own, with or without zincd */
        continue;
      }
      /* EOF, an error or "kill": the helper must not outlive the one that started it. */
      kill(c, SIGKILL);
      break;
    }
  }
  int st;
  while (waitpid(c, &st, 0) < 0) {
    if (errno != EINTR) _exit(1);
  }
  _exit(exit_like(st));
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "guard") == 0) {
    if (argc < 4 || strcmp(argv[2], "--") != 0) die_usage("guard -- PROGRAM ARGS");
    guard(&argv[3]);
  }
  struct opts o;
  parse(argc, argv, &o);
  int is_run = strcmp(o.mode, "run") == 0;
  if (!is_run && strcmp(o.mode, "restore") != 0) die_usage("mode must be run or restore");
  if (is_run && (!o.out || !o.err || !o.cwd || !o.argv_file || !o.env_file || !o.user))
    die_usage("run needs --stdout --stderr --cwd --user --argv-file --env-file");
  if (!is_run && (!o.tail || !o.tail[0] || !o.pidfile)) die_usage("restore needs --pidfile and -- CRIU ARGS");

  char **job_argv = NULL, **job_env = NULL;
  if (is_run) {
    job_argv = read_vector(o.argv_file);
    job_env = read_vector(o.env_file);
    if (!job_argv || !job_argv[0] || !job_env) {
      printf("error cannot read the job's argv/env files in %s\n", o.ctl);
      return 1;
    }
  }

  /* The report pipe carries "ok …"/"error …" from the real shim to this first process. */
  int report[2];
  if (pipe2(report, O_CLOEXEC) < 0) {
    printf("error pipe: %s\n", strerror(errno));
    return 1;
  }
  fflush(stdout);
  pid_t s = fork();
  if (s < 0) {
    printf("error fork: %s\n", strerror(errno));
    return 1;
  }
  if (s > 0) {
    /* First process: relay the report, then exit so the shim is reparented away from zincd. */
    close(report[1]);
    char buf[1024];
    size_t n = 0;
    for (;;) {
      ssize_t r = read(report[0], buf + n, sizeof buf - 1 - n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      n += (size_t)r;
      if (n >= sizeof buf - 1) break;
    }
    buf[n] = 0;
    if (n == 0) {
      printf("error the supervisor died before reporting\n");
      return 1;
    }
    fputs(buf, stdout);
    fflush(stdout);
    return strncmp(buf, "ok ", 3) == 0 ? 0 : 1;
  }

  /* The shim proper. */
  close(report[0]);
  int go_fd = o.wait_go ? dup(0) : -1;
  setsid();
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  {
    char path[4096];
    snprintf(path, sizeof path, "%s/shim.log", o.ctl);
    log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    if (devnull > 2) close(devnull);
  }
  if (join_cgroups(o.shim_cg, o.n_shim_cg) < 0) shim_log("cannot join the supervisors' cgroup: %s", strerror(errno));

  char line[1024];
  pid_t job;
  if (is_run) {
    int errp[2];
    if (pipe2(errp, O_CLOEXEC) < 0) {
      int n = snprintf(line, sizeof line, "error pipe: %s\n", strerror(errno));
      write_all(report[1], line, (size_t)n);
      return 1;
    }
    /* clone(CLONE_NEWPID) as a fork: the job becomes pid 1 of its own PID namespace. */
    job = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
    if (job < 0) {
      int n = snprintf(line, sizeof line, "error cannot create the job's PID namespace: %s\n", strerror(errno));
      write_all(report[1], line, (size_t)n);
      return 1;
    }
    if (job == 0) {
      close(errp[0]);
      close(report[1]);
      exec_job(&o, job_argv, job_env, errp[1]);
    }
    close(errp[1]);
    char emsg[512];
    ssize_t n = 0;
    for (;;) {
      ssize_t r = read(errp[0], emsg + n, sizeof emsg - 1 - (size_t)n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      n += r;
    }
    close(errp[0]);
    if (n > 0) {
      emsg[n] = 0;
      int st;
      wait_for(job, &st, NULL);
      int m = snprintf(line, sizeof line, "error %s\n", emsg);
      write_all(report[1], line, (size_t)m);
      shim_log("job failed to start: %s", emsg);
      return 1;
    }
    shim_log("started job pid %d", job);
  } else {
    /* CRIU with --restore-sibling -d: the restored tree becomes our child (we are CRIU's parent),
     * so we can collect its real exit status. CRIU itself runs in the job's cgroups so that the
     * restored tasks are created there. With --wait-go the child is forked and joins those cgroups
     * before "go" and only execs CRIU after it: on cgroup v1 a process's first move into a cgroup
     * waits for an RCU grace period (~10 ms, more under load), which would otherwise sit inside
     * the job's downtime. */
    int gate[2] = {-1, -1};
    if (go_fd >= 0 && pipe2(gate, O_CLOEXEC) < 0) {
      int n = snprintf(line, sizeof line, "error pipe: %s\n", strerror(errno));
      write_all(report[1], line, (size_t)n);
      return 1;
    }
    pid_t c = fork();
    if (c < 0) {
      int n = snprintf(line, sizeof line, "error fork: %s\n", strerror(errno));
      write_all(report[1], line, (size_t)n);
      return 1;
    }
    if (c == 0) {
      close(report[1]);
      if (go_fd >= 0) {
        close(go_fd);
        /* Until "go" this process sits in the job's cgroup without being the job: say so
         * (operators and tests counting a job's copies tell it apart by this name). */
        prctl(PR_SET_NAME, "zinc-restore", 0, 0, 0);
      }
      if (join_cgroups(o.job_cg, o.n_job_cg) < 0) _exit(125);
      char path[4096];
      snprintf(path, sizeof path, "%s/criu-restore.out", o.ctl);
      int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
      }
      reset_signals();
      if (gate[0] >= 0) {
        close(gate[1]);
        char g = 0;
        ssize_t r;
        do r = read(gate[0], &g, 1);
        while (r < 0 && errno == EINTR);
        /* The gate closed without a byte: cancelled. */
        if (r != 1) _exit(124);
      }
      execv(o.tail[0], o.tail);
      _exit(126);
    }
    if (go_fd >= 0) {
      close(gate[0]);
      char go[4] = {0};
      ssize_t r;
      do r = read(go_fd, go, 3);
      while (r < 0 && errno == EINTR);
      close(go_fd);
      if (r < 2 || go[0] != 'g' || go[1] != 'o') {
        close(gate[1]);
        int st;
        wait_for(c, &st, NULL);
        write_all(report[1], "error cancelled\n", 16);
        return 1;
      }
      if (write_all(gate[1], "g", 1) < 0) shim_log("cannot open the gate of the restore: %s", strerror(errno));
      close(gate[1]);
    }
    int st;
    if (wait_for(c, &st, NULL) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      int n = snprintf(line, sizeof line, "error criu restore failed (exit %d)%s\n", code,
                       code == 125 ? ": cannot join the job's cgroup" : code == 126 ? ": cannot execute criu" : code == 124 ? ": cancelled" : "");
      write_all(report[1], line, (size_t)n);
      shim_log("restore failed, exit %d", code);
      return 1;
    }
    job = read_pidfile(o.pidfile);
    if (job <= 0) {
      int n = snprintf(line, sizeof line, "error criu restore left no pidfile at %s\n", o.pidfile);
      write_all(report[1], line, (size_t)n);
      return 1;
    }
    shim_log("restored job pid %d", job);
  }

  /* Durable marker first (a zincd that dies mid-restore learns from it whether the job runs),
   * then the report to whoever started us. */
  {
    char tmp[4096], dst[4096], body[64];
    snprintf(tmp, sizeof tmp, "%s/running.tmp", o.ctl);
    snprintf(dst, sizeof dst, "%s/running", o.ctl);
    int m = snprintf(body, sizeof body, "%d %d\n", getpid(), job);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      if (write_all(fd, body, (size_t)m) == 0 && fsync(fd) == 0) rename(tmp, dst);
      close(fd);
    }
  }
  int n = snprintf(line, sizeof line, "ok %d %d\n", getpid(), job);
  write_all(report[1], line, (size_t)n);
  close(report[1]);

  int status;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  if (wait_for(job, &status, &ru) < 0) {
    shim_log("lost track of job %d: %s", job, strerror(errno));
    return 1;
  }
  shim_log("job %d ended, status 0x%x", job, status);
  write_exit(o.ctl, status, &ru, NULL);
  return 0;
}
