/*
 * The C string functions. Copies and fills move 8 bytes a store (`rep movsq` /
 * `rep stosq`) and the tail a byte at a time: on an emulated vCPU every guest
 * store is costly, so fewer, wider stores matter far more than on hardware.
 * Plain C loops here could be turned back into calls to these very functions
 * by gcc, hence the inline assembly.
 */
#include "runtime.h"

SG_CALLED_BY_LIBC void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    void *d = dst;
    size_t words = n / 8, tail = n % 8;
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(tail) : : "memory");
    return dst;
}

SG_CALLED_BY_LIBC void *memmove(void *dst, const void *src, size_t n)
{
    if ((uintptr_t)dst - (uintptr_t)src >= n) /* dst before src, or no overlap: copy forwards */
        return memcpy(dst, src, n);
    void *d = (uint8_t *)dst + n - 1;
    const void *s = (const uint8_t *)src + n - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

SG_CALLED_BY_LIBC void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    uint64_t pattern = (uint8_t)c * 0x0101010101010101ULL;
    size_t words = n / 8, tail = n % 8;
    __asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
    return dst;
}

SG_CALLED_BY_LIBC int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

SG_CALLED_BY_LIBC size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

SG_CALLED_BY_LIBC int strcmp(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

SG_CALLED_BY_LIBC int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x != y || x == '\0')
            return x - y;
    }
    return 0;
}
