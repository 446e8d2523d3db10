/* Four threads keep counting, each with its own thread-local value and name. */
#include "compat.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#define N 4
static atomic_long counts[N];
static _Thread_local long mine;
static void *spin(void *arg) {
  long i = (long)arg;
  mine = 1000 + i;
  char name[16];
  snprintf(name, sizeof name, "compat-t%ld", i);
  prctl(PR_SET_NAME, name, 0, 0, 0);
  for (;;) {
    char now[17] = {0};
    prctl(PR_GET_NAME, now, 0, 0, 0);
    if (mine != 1000 + i || strcmp(now, name) != 0) atomic_store(&counts[i], -1000000000L);
    atomic_fetch_add(&counts[i], 1);
    usleep(1000);
  }
  return NULL;
}
int main(void) {
  compat_init();
  pthread_t t[N];
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &m, NULL); /* SIGTERM goes to the main thread only */
  for (long i = 0; i < N; i++) SETUP(pthread_create(&t[i], NULL, spin, (void *)i) == 0);
  pthread_sigmask(SIG_UNBLOCK, &m, NULL);
  while (atomic_load(&counts[N - 1]) < 5) usleep(1000);
  compat_ready();
  compat_wait();
  long before[N];
  for (int i = 0; i < N; i++) before[i] = atomic_load(&counts[i]);
  usleep(200000);
  for (int i = 0; i < N; i++) CHECK(atomic_load(&counts[i]) > before[i] && before[i] > 0, "thread %d stopped or lost its thread-local value or name (%ld → %ld)", i, before[i], atomic_load(&counts[i]));
  char v[32] = {0};
  CHECK(compat_status_field("Threads:", v, sizeof v) == 0 && atoi(v) == N + 1, "%s threads, not %d", v, N + 1);
  return compat_finish();
}
