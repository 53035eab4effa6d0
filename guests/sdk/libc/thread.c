/*
 * musl's thread block. libc reads its stack canary (%fs:0x28), errno and locale through the thread
 * pointer, which entry.S points at sg_thread on every entry. A guest has one thread, so one block. Only
 * the self pointer and the canary are musl's ABI; the rest is its private struct pthread, left zero but
 * for what musl sets itself.
 */
#include <locale.h>

#include "musl.h"

/* musl 1.2's struct pthread takes 200 bytes; the rest is room for a larger one. */
_Alignas(64) uint64_t sg_thread[64];

enum { SELF = 0, CANARY = 5 };

void sg_libc_init(void)
{
    sg_thread[SELF] = (uintptr_t)sg_thread;
    sg_thread[CANARY] = sg_next_random() & ~(uint64_t)0xff00; /* a zero byte stops string reads leaking it */
    uselocale(LC_GLOBAL_LOCALE); /* the C locale, stored through the thread pointer */
}
