/*
 * The system calls musl makes through its one out-of-line entry, __syscall_cp: read, write, close,
 * nanosleep, connect, accept, send, recv, wait4, getrandom and the other calls that can block. Writes
 * to fd 1 and 2 go to the guest log and getrandom draws from the SDK's random stream; everything else
 * needs an OS and fails with ENOSYS. musl's other system calls are inline `syscall` instructions: this
 * directory replaces the functions holding the ones guests need, and check-elf.sh fails a guest that
 * still contains one.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "musl.h"

static long write_iov(int fd, const struct iovec *iov, int count)
{
    if (fd != 1 && fd != 2)
        return -EBADF; /* nothing else is open: open fails with ENOSYS */
    long total = 0;
    for (int i = 0; i < count; i++) {
        sg_stdio_put(fd, iov[i].iov_base, iov[i].iov_len);
        total += (long)iov[i].iov_len;
    }
    return total;
}

static long get_random(unsigned char *buf, size_t len)
{
    for (size_t i = 0; i < len; i += 8) {
        uint64_t r = sg_next_random();
        memcpy(buf + i, &r, len - i < 8 ? len - i : 8);
    }
    return (long)len;
}

long __syscall_cp(syscall_arg_t nr, syscall_arg_t a, syscall_arg_t b, syscall_arg_t c, syscall_arg_t d,
                  syscall_arg_t e, syscall_arg_t f)
{
    (void)d;
    (void)e;
    (void)f;
    switch (nr) {
    case SYS_write:
        return write_iov((int)a, &(struct iovec){ (void *)b, (size_t)c }, 1);
    case SYS_writev:
        return write_iov((int)a, (const struct iovec *)b, (int)c);
    case SYS_getrandom:
        return get_random((unsigned char *)a, (size_t)b);
    default:
        return -ENOSYS;
    }
}
