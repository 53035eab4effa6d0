/*
 * stdin, stdout and stderr without an OS. stdout and stderr are unbuffered, so everything written
 * reaches sg_stdio_put at once, which logs it a line at a time: stdout at level info, stderr at warn.
 * A line still open when a call ends is logged then. stdin is always at its end.
 */
#include <errno.h>

#include "musl.h"

/* Longer lines are logged in pieces of this many bytes. */
#define LINE_MAX_BYTES 1024

typedef struct {
    char text[LINE_MAX_BYTES];
    uint32_t len;
} line;

static line lines[2]; /* stdout, stderr */
static const int levels[2] = { SG_LOG_INFO, SG_LOG_WARN };

uint32_t sg_stdio_pending;

static void emit(int i)
{
    sg_log_bytes(levels[i], lines[i].text, lines[i].len);
    lines[i].len = 0;
    sg_stdio_pending = lines[0].len | lines[1].len;
}

void sg_stdio_put(int fd, const void *text, size_t len)
{
    if (fd != 1 && fd != 2)
        return;
    int i = fd - 1;
    const char *p = text;
    while (len > 0) {
        const char *newline = memchr(p, '\n', len);
        size_t take = newline != NULL ? (size_t)(newline - p) : len;
        bool cut = take > LINE_MAX_BYTES - lines[i].len; /* the line goes on past the room left */
        if (cut)
            take = LINE_MAX_BYTES - lines[i].len;
        memcpy(lines[i].text + lines[i].len, p, take);
        lines[i].len += (uint32_t)take;
        p += take;
        len -= take;
        if (!cut && newline != NULL) {
            p++;
            len--;
        }
        if (cut || newline != NULL || lines[i].len == LINE_MAX_BYTES)
            emit(i);
    }
    sg_stdio_pending = lines[0].len | lines[1].len;
}

void sg_stdio_flush(void)
{
    for (int i = 0; i < 2; i++)
        if (lines[i].len != 0)
            emit(i);
}

size_t __stdio_write(FILE *f, const unsigned char *buf, size_t len)
{
    sg_stdio_put(f->fd, f->wbase, (size_t)(f->wpos - f->wbase));
    sg_stdio_put(f->fd, buf, len);
    f->wend = f->buf + f->buf_size;
    f->wpos = f->wbase = f->buf;
    return len;
}

size_t __stdio_read(FILE *f, unsigned char *buf, size_t len)
{
    (void)buf;
    (void)len;
    f->flags |= F_EOF;
    return 0;
}

off_t __stdio_seek(FILE *f, off_t offset, int whence)
{
    (void)f;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int __stdio_close(FILE *f)
{
    (void)f;
    return 0;
}

/*
 * musl's stdin.c, stdout.c and stderr.c (musl refers to these FILEs by name), but unbuffered: buf_size
 * 0, the buffer holds only what ungetc pushes back.
 */
static unsigned char stdin_buf[UNGET], stdout_buf[UNGET], stderr_buf[UNGET];

FILE __stdin_FILE = {
    .buf = stdin_buf + UNGET, .fd = 0, .flags = F_PERM | F_NOWR, .lbf = EOF,
    .read = __stdio_read, .seek = __stdio_seek, .close = __stdio_close, .lock = -1,
};
FILE __stdout_FILE = {
    .buf = stdout_buf + UNGET, .fd = 1, .flags = F_PERM | F_NORD, .lbf = EOF,
    .write = __stdio_write, .seek = __stdio_seek, .close = __stdio_close, .lock = -1,
};
FILE __stderr_FILE = {
    .buf = stderr_buf + UNGET, .fd = 2, .flags = F_PERM | F_NORD, .lbf = EOF,
    .write = __stdio_write, .seek = __stdio_seek, .close = __stdio_close, .lock = -1,
};

#undef stdin
#undef stdout
#undef stderr
FILE *const stdin = &__stdin_FILE;
FILE *const stdout = &__stdout_FILE;
FILE *const stderr = &__stderr_FILE;
/* What fflush(NULL) and exit flush. */
FILE *volatile __stdin_used = &__stdin_FILE;
FILE *volatile __stdout_used = &__stdout_FILE;
FILE *volatile __stderr_used = &__stderr_FILE;

/* musl's character functions, without the lock handling whose wake-ups are system calls. */
int fputc(int c, FILE *f)
{
    return putc_unlocked(c, f);
}

int putc(int c, FILE *f)
{
    return putc_unlocked(c, f);
}

int putchar(int c)
{
    return putc_unlocked(c, stdout);
}

int fgetc(FILE *f)
{
    return getc_unlocked(f);
}

int getc(FILE *f)
{
    return getc_unlocked(f);
}

int getchar(void)
{
    return getc_unlocked(stdin);
}
