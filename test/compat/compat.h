/*
 * The protocol every compatibility program follows (test/compat/README.md):
 *   set up some process state, print "READY", wait for SIGTERM, then check that the state
 *   survived and print "PASS" (exit 0) or "FAIL: <reason>" (exit 1).
 * Between READY and SIGTERM the harness checkpoints, restores or migrates the process tree.
 * Files a program creates go in its current directory (the job's working directory).
 */
#ifndef ZINC_COMPAT_H
#define ZINC_COMPAT_H
#define _GNU_SOURCE
/* Reasons and copied /proc lines are cut to fit their buffers on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t compat_term;
static char compat_reason[512];

static inline void compat_on_term(int sig) {
  (void)sig;
  compat_term = 1;
}

/* Raw write(2): stdout is a file that CRIU restores at its exact size, so nothing may sit in a
 * stdio buffer across the dump. */
static inline void compat_say(const char *fmt, ...) {
  char buf[640];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  for (int off = 0; off < n;) {
    ssize_t w = write(1, buf + off, (size_t)(n - off));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    off += (int)w;
  }
}

/* Records the first failed check; the program goes on so that the report names it. */
#define CHECK(cond, ...)                                                        \
  do {                                                                          \
    if (!(cond) && compat_reason[0] == 0)                                       \
      snprintf(compat_reason, sizeof compat_reason, __VA_ARGS__);               \
  } while (0)

/* A setup step that must succeed, else the program cannot test anything: exit 2. */
#define SETUP(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      compat_say("SETUP FAILED: %s (%s:%d: %s)\n", #cond, __FILE__, __LINE__, strerror(errno)); \
      exit(2);                                                                  \
    }                                                                           \
  } while (0)

/* First thing in main: SIGTERM ends the wait. SA_RESTART so that helper children blocked in
 * read(2) are not disturbed when the harness signals every process of the job. */
static inline void compat_init(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = compat_on_term;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
}

/* In helper children: the harness sends SIGTERM to every process of the job; only the main
 * process answers it. */
static inline void compat_child(void) { signal(SIGTERM, SIG_IGN); }

static inline void compat_ready(void) { compat_say("READY\n"); }

static inline void compat_wait(void) {
  while (!compat_term) pause();
}

static inline int compat_finish(void) {
  if (compat_reason[0]) {
    compat_say("FAIL: %s\n", compat_reason);
    return 1;
  }
  compat_say("PASS\n");
  return 0;
}

/* Whole-buffer I/O helpers for setup and checks. */
static inline int compat_write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

static inline ssize_t compat_read_full(int fd, void *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

static inline int compat_write_file(const char *path, const void *p, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  int rc = compat_write_all(fd, p, n);
  close(fd);
  return rc;
}

/* FNV-1a: a checksum with no dependencies. */
static inline uint64_t compat_hash(const void *p, size_t n) {
  const unsigned char *c = p;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211ULL;
  return h;
}

/* "/proc/<pid>" for a process of our PID namespace given by its pid as we see it. The job's /proc
 * may belong to an ancestor namespace (it is not remounted), so the entry is found through
 * NSpid and the namespace link rather than assumed to be /proc/<pid>. */
#include <dirent.h>
static inline int compat_proc_dir(pid_t pid, char *out, size_t len) {
  char me[64] = {0}, them[64], path[300], line[256];
  if (readlink("/proc/self/ns/pid", me, sizeof me - 1) < 0) return -1;
  DIR *d = opendir("/proc");
  if (!d) return -1;
  struct dirent *e;
  int found = -1;
  while (found < 0 && (e = readdir(d))) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/ns/pid", e->d_name);
    ssize_t n = readlink(path, them, sizeof them - 1);
    if (n < 0) continue;
    them[n] = 0;
    if (strcmp(me, them) != 0) continue;
    snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "NSpid:", 6) != 0) continue;
      char *last = strrchr(line, '\t');
      if (last && atoi(last + 1) == (int)pid) {
        snprintf(out, len, "/proc/%s", e->d_name);
        found = 0;
      }
      break;
    }
    fclose(f);
  }
  closedir(d);
  return found;
}

/* A field of /proc/<pid>/stat after the command name: 0 is the state letter, 1 the ppid. */
static inline long compat_stat_field(pid_t pid, int field, char *state) {
  char dir[300], path[320], buf[1024];
  if (compat_proc_dir(pid, dir, sizeof dir) != 0) return -1;
  snprintf(path, sizeof path, "%s/stat", dir);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p || !p[1]) return -1;
  p += 2;
  if (state) *state = *p;
  for (int i = 0; i < field && p; i++) p = strchr(p + 1, ' ');
  return p ? atol(p) : -1;
}

/* The state letter of a process (R, S, T, Z, …), or '?'. */
static inline char compat_proc_state(pid_t pid) {
  char st = '?';
  compat_stat_field(pid, 0, &st);
  return st;
}

/* A line of /proc/self/status ("SigBlk:" …) copied into out, without the key. */
static inline int compat_status_field(const char *key, char *out, size_t outlen) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[512];
  size_t kl = strlen(key);
  int found = -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, kl) == 0) {
      char *v = line + kl;
      while (*v == ' ' || *v == '\t') v++;
      v[strcspn(v, "\n")] = 0;
      snprintf(out, outlen, "%s", v);
      found = 0;
      break;
    }
  }
  fclose(f);
  return found;
}

#endif
