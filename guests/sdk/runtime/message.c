/* Error texts: a bounded builder, so a long name cannot overrun anything. */
#include "runtime.h"

void sg_msg_bytes(sg_msg *m, const void *ptr, uint32_t len)
{
    uint32_t room = SG_MSG_MAX - m->len;
    if (len > room)
        len = room;
    memcpy(m->buf + m->len, ptr, len);
    m->len += len;
}

void sg_msg_str(sg_msg *m, const char *s)
{
    sg_msg_bytes(m, s, (uint32_t)strlen(s));
}

void sg_msg_uint(sg_msg *m, uint64_t v)
{
    char digits[20];
    int n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    sg_msg_bytes(m, digits + sizeof digits - n, (uint32_t)n);
}

const char *sg_type_name(sg_type t)
{
    static const char *const names[] = { "void", "i32", "u32", "i64", "u64",
                                         "f32", "f64", "bool", "string", "bytes", "json" };
    if ((unsigned)t < sizeof names / sizeof names[0])
        return names[t];
    return t == SG_ERROR ? "error" : "an unknown type";
}

sg_value sg_msg_error(int32_t code, const sg_msg *m)
{
    return (sg_value){ .type = SG_ERROR, .as.error = { code, m->buf, m->len } };
}
