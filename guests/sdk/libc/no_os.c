/*
 * What needs an OS fails with ENOSYS: files, sockets, processes, signals and memory mappings. These
 * replace the musl functions that would run a `syscall` instruction; the calls musl routes through
 * __syscall_cp (read, write, close, connect, send, recv, nanosleep, waitpid...) fail in syscall.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "musl.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

/* Defines name(params), which sets errno to ENOSYS and returns fail. */
#define NO_OS(type, name, params, fail) \
    type name params                    \
    {                                   \
        errno = ENOSYS;                 \
        return fail;                    \
    }

/* Files and directories. */
NO_OS(int, open, (const char *path, int flags, ...), -1)
NO_OS(FILE *, fopen, (const char *restrict path, const char *restrict mode), NULL)
NO_OS(FILE *, freopen, (const char *restrict path, const char *restrict mode, FILE *restrict f), NULL)
NO_OS(FILE *, fdopen, (int fd, const char *mode), NULL)
NO_OS(FILE *, tmpfile, (void), NULL)
NO_OS(DIR *, opendir, (const char *path), NULL)
NO_OS(struct dirent *, readdir, (DIR *dir), NULL)
NO_OS(int, fstatat, (int fd, const char *restrict path, struct stat *restrict st, int flags), -1)
NO_OS(int, access, (const char *path, int mode), -1)
NO_OS(int, unlink, (const char *path), -1)
NO_OS(int, remove, (const char *path), -1)
NO_OS(int, rename, (const char *from, const char *to), -1)
NO_OS(int, mkdir, (const char *path, mode_t mode), -1)
NO_OS(int, rmdir, (const char *path), -1)
NO_OS(char *, getcwd, (char *buf, size_t size), NULL)
NO_OS(int, chdir, (const char *path), -1)
NO_OS(off_t, lseek, (int fd, off_t offset, int whence), -1)
NO_OS(int, isatty, (int fd), 0)
NO_OS(int, ioctl, (int fd, int request, ...), -1)
NO_OS(int, fcntl, (int fd, int cmd, ...), -1)
NO_OS(int, dup, (int fd), -1)
NO_OS(int, dup2, (int from, int to), -1)
NO_OS(int, pipe, (int fds[2]), -1)
NO_OS(int, ftruncate, (int fd, off_t length), -1)

/* Sockets and name lookups. */
NO_OS(int, socket, (int domain, int type, int protocol), -1)
NO_OS(int, socketpair, (int domain, int type, int protocol, int fds[2]), -1)
NO_OS(int, bind, (int fd, const struct sockaddr *addr, socklen_t len), -1)
NO_OS(int, listen, (int fd, int backlog), -1)
NO_OS(int, accept4, (int fd, struct sockaddr *restrict addr, socklen_t *restrict len, int flags), -1)
NO_OS(int, shutdown, (int fd, int how), -1)
NO_OS(int, getsockopt, (int fd, int level, int name, void *restrict value, socklen_t *restrict len), -1)
NO_OS(int, setsockopt, (int fd, int level, int name, const void *value, socklen_t len), -1)
NO_OS(int, getsockname, (int fd, struct sockaddr *restrict addr, socklen_t *restrict len), -1)
NO_OS(int, getpeername, (int fd, struct sockaddr *restrict addr, socklen_t *restrict len), -1)
NO_OS(int, getaddrinfo, (const char *restrict host, const char *restrict service,
                         const struct addrinfo *restrict hints, struct addrinfo **restrict res), EAI_SYSTEM)

/* Processes. */
NO_OS(pid_t, fork, (void), -1)
NO_OS(pid_t, vfork, (void), -1)
NO_OS(int, execve, (const char *path, char *const argv[], char *const envp[]), -1)
NO_OS(int, system, (const char *command), -1)
NO_OS(FILE *, popen, (const char *command, const char *mode), NULL)
NO_OS(int, pclose, (FILE *f), -1)
/* posix_spawn returns its error instead of setting errno. */
int posix_spawn(pid_t *restrict pid, const char *restrict path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *restrict attr, char *const argv[restrict], char *const envp[restrict])
{
    return ENOSYS;
}

/* Signals and timers. */
NO_OS(int, __sigaction, (int sig, const struct sigaction *restrict sa, struct sigaction *restrict old), -1)
int sigaction(int sig, const struct sigaction *restrict sa, struct sigaction *restrict old)
    __attribute__((weak, alias("__sigaction")));
NO_OS(int, raise, (int sig), -1)
NO_OS(int, kill, (pid_t pid, int sig), -1)
NO_OS(int, sigprocmask, (int how, const sigset_t *restrict set, sigset_t *restrict old), -1)
NO_OS(int, setitimer, (int which, const struct itimerval *restrict value, struct itimerval *restrict old), -1)

/* Memory mappings: the heap is malloc's. __map_file maps time zone, locale and message files. */
NO_OS(void *, __mmap, (void *addr, size_t len, int prot, int flags, int fd, off_t offset), MAP_FAILED)
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset) __attribute__((weak, alias("__mmap")));
NO_OS(int, __munmap, (void *addr, size_t len), -1)
int munmap(void *addr, size_t len) __attribute__((weak, alias("__munmap")));
NO_OS(int, mprotect, (void *addr, size_t len, int prot), -1)
NO_OS(const unsigned char *, __map_file, (const char *path, size_t *size), NULL)
