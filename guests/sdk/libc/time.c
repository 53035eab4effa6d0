/*
 * Time from the host's clock: clock_gettime, and what musl builds on it (time, gettimeofday, clock),
 * ask the built-in host function clock_ns. CPU-time clocks read the monotonic clock: a guest has no
 * other CPU account. Also asctime_r, whose musl version halts the vCPU on an oversized year.
 */
#include <errno.h>
#include <langinfo.h>
#include <stdio.h>
#include <time.h>

#include "musl.h"

/* The clocks of the host function clock_ns(i32) -> i64 (docs/abi.md, "Built-in host functions"). */
enum { HOST_REALTIME = 0, HOST_MONOTONIC = 1 };

int __clock_gettime(clockid_t clock, struct timespec *ts)
{
    int32_t host_clock;
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        host_clock = HOST_REALTIME;
        break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        host_clock = HOST_MONOTONIC;
        break;
    default:
        errno = EINVAL;
        return -1;
    }
    sg_value ns = sg_call_host("clock_ns", SG_I64, 1, sg_i32(host_clock));
    if (ns.type == SG_ERROR) {
        errno = ENOSYS;
        return -1;
    }
    int64_t sec = ns.as.i64 / 1000000000, rest = ns.as.i64 % 1000000000;
    if (rest < 0) { /* before 1970: tv_nsec stays in [0, 1e9) */
        sec--;
        rest += 1000000000;
    }
    ts->tv_sec = sec;
    ts->tv_nsec = rest;
    return 0;
}

int clock_gettime(clockid_t clock, struct timespec *ts) __attribute__((weak, alias("__clock_gettime")));

char *__asctime_r(const struct tm *restrict tm, char *restrict buf)
{
    /* ISO C's format; a result that does not fit the 26 bytes ISO C allows is EOVERFLOW, not a halt */
    if (snprintf(buf, 26, "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n", nl_langinfo(ABDAY_1 + tm->tm_wday),
                 nl_langinfo(ABMON_1 + tm->tm_mon), tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
                 1900 + tm->tm_year) >= 26) {
        errno = EOVERFLOW;
        return NULL;
    }
    return buf;
}

char *asctime_r(const struct tm *restrict tm, char *restrict buf) __attribute__((weak, alias("__asctime_r")));
