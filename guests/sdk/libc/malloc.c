/*
 * musl's internal allocator entry points (time zones, locales and atexit allocate through them) lead to
 * the SDK's heap, as malloc does: musl's own allocators would map memory with system calls.
 */
#include <stdlib.h>

void *__libc_malloc(size_t size)
{
    return malloc(size);
}

void *__libc_calloc(size_t count, size_t size)
{
    return calloc(count, size);
}

void *__libc_realloc(void *p, size_t size)
{
    return realloc(p, size);
}

void __libc_free(void *p)
{
    free(p);
}
