/* Duktape's strings as UTF-8 (js.h). */
#include <stdio.h>

#include "js.h"

/* The surrogate (0xD800..0xDFFF) encoded at p as 3 bytes, or 0. */
static uint32_t surrogate_at(const uint8_t *p, size_t left)
{
    if (left < 3 || p[0] != 0xED || p[1] < 0xA0 || p[1] > 0xBF || (p[2] & 0xC0) != 0x80)
        return 0;
    return 0xD000u | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
}

/* Length of the well-formed UTF-8 character at p (surrogates excluded), or 0. */
static size_t utf8_char(const uint8_t *p, size_t left)
{
    uint8_t b = p[0];
    size_t n = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (n == 0 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((b == 0xE0 && p[1] < 0xA0) || (b == 0xED && p[1] > 0x9F) || (b == 0xF0 && p[1] < 0x90)
        || (b == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

char *js_utf8(const char *text, size_t len, bool escape, size_t *out_len, size_t *bad)
{
    const uint8_t *in = (const uint8_t *)text;
    /* Joining a pair shortens it; an escape is at most 4 times what it replaces. */
    char *out = malloc(escape ? len * 4 + 1 : len + 1);
    if (out == NULL) {
        *bad = SIZE_MAX;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t high = surrogate_at(in + i, len - i);
        if (high >= 0xD800 && high <= 0xDBFF) {
            uint32_t low = surrogate_at(in + i + 3, len - i - 3);
            if (low >= 0xDC00) {
                uint32_t c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                out[o++] = (char)(0xF0 | (c >> 18));
                out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
                out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (c & 0x3F));
                i += 6;
                continue;
            }
        }
        size_t n = high != 0 ? 0 : utf8_char(in + i, len - i);
        if (n > 0) {
            memcpy(out + o, in + i, n);
            o += n;
            i += n;
            continue;
        }
        if (!escape) {
            free(out);
            *bad = i;
            return NULL;
        }
        o += (size_t)(high != 0 ? snprintf(out + o, 7, "\\u%04x", (unsigned)high)
                                : snprintf(out + o, 5, "\\x%02x", in[i]));
        i += high != 0 ? 3 : 1;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}
