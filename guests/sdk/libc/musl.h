/*
 * The parts of musl's internals (musl 1.2, src/internal/) that the glue replaces or fills in:
 * musl is linked from Debian's static libc.a, whose objects rely on these layouts. Everything
 * here is checked by the libc test guest (guests/examples/libctest.c) through the VMM tests.
 * musl is MIT licensed: Copyright (c) 2005-2020 Rich Felker, et al.
 */
#ifndef SG_MUSL_H
#define SG_MUSL_H

#include <stdio.h>
#include <sys/types.h>

#include "../runtime/runtime.h"

/* stdio_impl.h: FILE's flags and layout. */
#define F_PERM 1
#define F_NORD 4
#define F_NOWR 8
#define F_EOF 16
#define F_ERR 32
#define UNGET 8

struct _IO_FILE {
    unsigned flags;
    unsigned char *rpos, *rend;
    int (*close)(FILE *);
    unsigned char *wend, *wpos;
    unsigned char *mustbezero_1;
    unsigned char *wbase;
    size_t (*read)(FILE *, unsigned char *, size_t);
    size_t (*write)(FILE *, const unsigned char *, size_t);
    off_t (*seek)(FILE *, off_t, int);
    unsigned char *buf;
    size_t buf_size;
    FILE *prev, *next;
    int fd;
    int pipe_pid;
    long lockcount;
    int mode;
    volatile int lock;
    int lbf;
    void *cookie;
    off_t off;
    char *getln_buf;
    void *mustbezero_2;
    unsigned char *shend;
    off_t shlim, shcnt;
    FILE *prev_locked, *next_locked;
    struct __locale_struct *locale;
};

/* syscall.h: how musl passes system call arguments. */
typedef long syscall_arg_t;

/* Lines written to fd 1 (stdout) and fd 2 (stderr) go to the guest log (stdio.c). */
void sg_stdio_put(int fd, const void *text, size_t len);

#endif
