/*
 * Ways out of a C program, none of which a guest function can take: exit, abort, a failed assertion
 * and a smashed stack all end the call with sg_abort (which poisons the sandbox until a restore), the
 * abort message saying which it was.
 */
#include <signal.h>
#include <stdio.h>

#include "musl.h"

/* What a shell reports for a process that SIGABRT ended. */
#define ABORT_CODE (128 + SIGABRT)

static char message[512];

_Noreturn void _Exit(int status)
{
    snprintf(message, sizeof message, "the guest called exit(%d): a guest function cannot end its process",
             status);
    sg_abort(status, message);
}

_Noreturn void abort(void)
{
    sg_abort(ABORT_CODE, "the guest called abort()");
}

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    snprintf(message, sizeof message, "assertion failed: %s (%s: %s: %d)", expr, file, func, line);
    sg_abort(ABORT_CODE, message);
}

_Noreturn void __stack_chk_fail(void)
{
    sg_abort(ABORT_CODE, "stack smashing detected: a stack buffer overflowed");
}
