/* Threads asleep on a mutex and a condition variable (futexes) wake up after the move. */
#include "compat.h"
#include <pthread.h>
#define N 3
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go, woke, sleeping, locker_done;
static void *waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  sleeping++;
  while (!go) pthread_cond_wait(&cv, &mu);
  woke++;
  pthread_mutex_unlock(&mu);
  return NULL;
}
static void *locker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&held); /* blocks in FUTEX_WAIT until main unlocks after the restore */
  locker_done = 1;
  pthread_mutex_unlock(&held);
  return NULL;
}
int main(void) {
  compat_init();
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &m, NULL);
  pthread_t t[N + 1];
  pthread_mutex_lock(&held);
  for (int i = 0; i < N; i++) SETUP(pthread_create(&t[i], NULL, waiter, NULL) == 0);
  SETUP(pthread_create(&t[N], NULL, locker, NULL) == 0);
  pthread_sigmask(SIG_UNBLOCK, &m, NULL);
  for (;;) {
    pthread_mutex_lock(&mu);
    int s = sleeping;
    pthread_mutex_unlock(&mu);
    if (s == N) break;
    usleep(1000);
  }
  usleep(50000);
  compat_ready();
  compat_wait();
  pthread_mutex_lock(&mu);
  go = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&held);
  for (int i = 0; i <= N; i++) pthread_join(t[i], NULL);
  CHECK(woke == N, "%d of %d waiters woke", woke, N);
  CHECK(locker_done, "the thread blocked on the mutex never got it");
  return compat_finish();
}
