/*
 * malloc and friends over the heap region from the control page.
 *
 * Every block starts with a 16-byte header (its size, header included, and a
 * magic word), so payloads are 16-byte aligned. Free blocks form a singly
 * linked list sorted by address: allocation takes the first block that fits
 * (splitting off the rest), free inserts in order and merges with the
 * neighbours it touches. The magic word lets free and realloc ignore pointers
 * that are not live blocks (double frees, garbage) on a best-effort basis.
 */
#include "runtime.h"

#define ALIGN 16u
#define MAGIC_USED 0x6465737541454853ULL /* "SHEAused" */
#define MAGIC_FREE 0x6565726641454853ULL /* "SHEAfree" */

typedef struct block {
    uint64_t size; /* bytes, header included, multiple of ALIGN */
    uint64_t magic;
    struct block *next; /* free blocks only: the next free block by address */
} block;

#define HEADER ((size_t)offsetof(block, next))
#define MIN_BLOCK ((size_t)((sizeof(block) + ALIGN - 1) & ~(size_t)(ALIGN - 1)))

static block *free_list;
static uintptr_t heap_start, heap_end;

void sg_heap_init(uint8_t *base, uint64_t size)
{
    uintptr_t start = ((uintptr_t)base + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    uintptr_t end = ((uintptr_t)base + size) & ~(uintptr_t)(ALIGN - 1);
    free_list = NULL;
    heap_start = heap_end = start;
    if (end <= start || end - start < MIN_BLOCK)
        return;
    heap_end = end;
    free_list = (block *)start;
    *free_list = (block){ .size = end - start, .magic = MAGIC_FREE, .next = NULL };
}

/* The live block holding payload p, or NULL if p is not one. */
static block *live_block(void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (a % ALIGN != 0 || a < heap_start + HEADER || a >= heap_end)
        return NULL;
    block *b = (block *)(a - HEADER);
    if (b->magic != MAGIC_USED || b->size < MIN_BLOCK || b->size % ALIGN != 0
        || b->size > heap_end - (uintptr_t)b)
        return NULL;
    return b;
}

SG_CALLED_BY_LIBC void *malloc(size_t size)
{
    if (size > heap_end - heap_start) /* also keeps the rounding below from overflowing */
        return NULL;
    size_t need = HEADER + ((size + ALIGN - 1) & ~(size_t)(ALIGN - 1));
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;
    for (block **link = &free_list; *link != NULL; link = &(*link)->next) {
        block *b = *link;
        if (b->size < need)
            continue;
        if (b->size - need >= MIN_BLOCK) { /* split: the tail stays free, in b's place */
            block *rest = (block *)((uint8_t *)b + need);
            *rest = (block){ .size = b->size - need, .magic = MAGIC_FREE, .next = b->next };
            *link = rest;
            b->size = need;
        } else {
            *link = b->next;
        }
        b->magic = MAGIC_USED;
        return (uint8_t *)b + HEADER;
    }
    return NULL;
}

/* Merges b with the free block right after it if they touch. */
static void merge_with_next(block *b)
{
    block *n = b->next;
    if (n != NULL && (uint8_t *)b + b->size == (uint8_t *)n) {
        b->size += n->size;
        b->next = n->next;
        n->magic = 0; /* no longer a block header */
    }
}

SG_CALLED_BY_LIBC void free(void *p)
{
    block *b = p == NULL ? NULL : live_block(p);
    if (b == NULL)
        return;
    block *prev = NULL, *cur = free_list;
    while (cur != NULL && cur < b) {
        prev = cur;
        cur = cur->next;
    }
    b->magic = MAGIC_FREE;
    b->next = cur;
    merge_with_next(b);
    if (prev == NULL) {
        free_list = b;
    } else {
        prev->next = b;
        merge_with_next(prev);
    }
}

SG_CALLED_BY_LIBC void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

SG_CALLED_BY_LIBC void *realloc(void *p, size_t size)
{
    if (p == NULL)
        return malloc(size);
    if (size == 0) {
        free(p);
        return NULL;
    }
    block *b = live_block(p);
    if (b == NULL)
        return NULL;
    size_t have = b->size - HEADER;
    if (size <= have)
        return p;
    void *q = malloc(size);
    if (q != NULL) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}
