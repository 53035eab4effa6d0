/*
 * Threads: a guest has exactly one, so pthread_create fails with ENOSYS, and every lock is free when
 * taken (no other thread can hold it): mutexes, read-write locks, musl's internal locks and stdio's
 * file locks succeed at once. Waiting on a condition variable could only wait forever: ENOSYS.
 * musl's versions hold futex system calls.
 */
#include <errno.h>
#include <pthread.h>

#include "musl.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

/* Defines __name(params) returning result, and name as its alias (musl calls both). */
#define PTHREAD(name, params, result)                                           \
    int __##name params { return result; }                                      \
    int name params __attribute__((weak, alias("__" #name)));

PTHREAD(pthread_create, (pthread_t *restrict thread, const pthread_attr_t *restrict attr,
                         void *(*start)(void *), void *restrict arg), ENOSYS)
PTHREAD(pthread_join, (pthread_t thread, void **result), ENOSYS)
PTHREAD(pthread_mutex_lock, (pthread_mutex_t *m), 0)
PTHREAD(pthread_mutex_trylock, (pthread_mutex_t *m), 0)
PTHREAD(pthread_mutex_timedlock, (pthread_mutex_t *restrict m, const struct timespec *restrict at), 0)
PTHREAD(pthread_mutex_unlock, (pthread_mutex_t *m), 0)
PTHREAD(pthread_rwlock_rdlock, (pthread_rwlock_t *rw), 0)
PTHREAD(pthread_rwlock_tryrdlock, (pthread_rwlock_t *rw), 0)
PTHREAD(pthread_rwlock_timedrdlock, (pthread_rwlock_t *restrict rw, const struct timespec *restrict at), 0)
PTHREAD(pthread_rwlock_wrlock, (pthread_rwlock_t *rw), 0)
PTHREAD(pthread_rwlock_trywrlock, (pthread_rwlock_t *rw), 0)
PTHREAD(pthread_rwlock_timedwrlock, (pthread_rwlock_t *restrict rw, const struct timespec *restrict at), 0)
PTHREAD(pthread_rwlock_unlock, (pthread_rwlock_t *rw), 0)
PTHREAD(pthread_cond_timedwait, (pthread_cond_t *restrict c, pthread_mutex_t *restrict m,
                                 const struct timespec *restrict at), ENOSYS)
PTHREAD(pthread_cond_signal, (pthread_cond_t *c), 0)
PTHREAD(pthread_cond_broadcast, (pthread_cond_t *c), 0)
PTHREAD(pthread_cond_destroy, (pthread_cond_t *c), 0)

int __pthread_once(pthread_once_t *once, void (*init)(void))
{
    if (*once == 0) {
        *once = 1; /* before init runs: a recursive call returns instead of looping */
        init();
    }
    return 0;
}

int pthread_once(pthread_once_t *once, void (*init)(void)) __attribute__((weak, alias("__pthread_once")));

/* musl's internal locks (atexit, random, locales...) and stdio's per-file locks. */
void __lock(volatile int *lock)
{
}

void __unlock(volatile int *lock)
{
}

int __lockfile(FILE *f)
{
    return 0; /* nothing to unlock */
}

void __unlockfile(FILE *f)
{
}
