/* MessagePack writer and bounds-checked reader (the subset of docs/abi.md). */
#include "msgpack.h"

#include <snapgate.h>

void mp_writer_init(mp_writer *w, uint8_t *buf, uint32_t cap)
{
    *w = (mp_writer){ .buf = buf, .cap = cap };
}

static void put(mp_writer *w, const void *src, uint32_t n)
{
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = true;
        return;
    }
    memcpy(w->buf + w->len, src, n);
    w->len += n;
}

/* A format byte followed by the low `size` bytes of v, big-endian. */
static void put_be(mp_writer *w, uint8_t format, uint64_t v, int size)
{
    uint8_t tmp[9];
    tmp[0] = format;
    for (int i = 0; i < size; i++)
        tmp[size - i] = (uint8_t)(v >> (8 * i));
    put(w, tmp, (uint32_t)size + 1);
}

/* Picks among the 1-, 2- and 4-byte length forms of str, bin and array. */
static void put_len(mp_writer *w, uint32_t len, const uint8_t formats[3])
{
    if (len <= 0xff && formats[0])
        put_be(w, formats[0], len, 1);
    else if (len <= 0xffff)
        put_be(w, formats[1], len, 2);
    else
        put_be(w, formats[2], len, 4);
}

void mp_write_nil(mp_writer *w)
{
    put(w, &(uint8_t){ 0xc0 }, 1);
}

void mp_write_bool(mp_writer *w, bool b)
{
    put(w, &(uint8_t){ b ? 0xc3 : 0xc2 }, 1);
}

void mp_write_uint(mp_writer *w, uint64_t v)
{
    if (v < 0x80)
        put(w, &(uint8_t){ (uint8_t)v }, 1);
    else if (v <= UINT8_MAX)
        put_be(w, 0xcc, v, 1);
    else if (v <= UINT16_MAX)
        put_be(w, 0xcd, v, 2);
    else if (v <= UINT32_MAX)
        put_be(w, 0xce, v, 4);
    else
        put_be(w, 0xcf, v, 8);
}

void mp_write_int(mp_writer *w, int64_t v)
{
    if (v >= 0)
        mp_write_uint(w, (uint64_t)v);
    else if (v >= -32)
        put(w, &(uint8_t){ (uint8_t)v }, 1);
    else if (v >= INT8_MIN)
        put_be(w, 0xd0, (uint64_t)v, 1);
    else if (v >= INT16_MIN)
        put_be(w, 0xd1, (uint64_t)v, 2);
    else if (v >= INT32_MIN)
        put_be(w, 0xd2, (uint64_t)v, 4);
    else
        put_be(w, 0xd3, (uint64_t)v, 8);
}

void mp_write_f32(mp_writer *w, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_be(w, 0xca, bits, 4);
}

void mp_write_f64(mp_writer *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_be(w, 0xcb, bits, 8);
}

void mp_write_str(mp_writer *w, const uint8_t *ptr, uint32_t len)
{
    if (len < 32)
        put(w, &(uint8_t){ (uint8_t)(0xa0 | len) }, 1);
    else
        put_len(w, len, (const uint8_t[3]){ 0xd9, 0xda, 0xdb });
    put(w, ptr, len);
}

void mp_write_bin(mp_writer *w, const uint8_t *ptr, uint32_t len)
{
    put_len(w, len, (const uint8_t[3]){ 0xc4, 0xc5, 0xc6 });
    put(w, ptr, len);
}

void mp_write_array(mp_writer *w, uint32_t count)
{
    if (count < 16)
        put(w, &(uint8_t){ (uint8_t)(0x90 | count) }, 1);
    else
        put_len(w, count, (const uint8_t[3]){ 0, 0xdc, 0xdd });
}

void mp_write_str_truncated(mp_writer *w, const uint8_t *ptr, uint32_t len)
{
    uint32_t room = w->overflow ? 0 : w->cap - w->len;
    if (len < 32 ? len + 1 > room : len + 5 > room) {
        /* 5 bytes cover the largest str header, so whatever is chosen fits. */
        uint32_t cut = room > 5 ? room - 5 : 0;
        while (cut > 0 && (ptr[cut] & 0xc0) == 0x80) /* not inside a UTF-8 sequence */
            cut--;
        len = cut;
    }
    mp_write_str(w, ptr, len);
}

void mp_reader_init(mp_reader *r, const uint8_t *buf, uint32_t len)
{
    *r = (mp_reader){ .buf = buf, .len = len };
}

/* Reads a big-endian unsigned of size bytes. */
static bool take_be(mp_reader *r, int size, uint64_t *out)
{
    if ((uint32_t)size > r->len - r->pos)
        return false;
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        v = v << 8 | r->buf[r->pos++];
    *out = v;
    return true;
}

/* Takes len bytes of str or bin payload. */
static bool take_bytes(mp_reader *r, uint64_t len, mp_obj *o, mp_kind kind)
{
    if (len > r->len - r->pos)
        return false;
    o->kind = kind;
    o->as.buf.ptr = r->buf + r->pos;
    o->as.buf.len = (uint32_t)len;
    r->pos += (uint32_t)len;
    return true;
}

static bool set_int(mp_obj *o, int64_t v)
{
    if (v >= 0) {
        o->kind = MP_UINT;
        o->as.u = (uint64_t)v;
    } else {
        o->kind = MP_INT;
        o->as.i = v;
    }
    return true;
}

static bool set_uint(mp_obj *o, uint64_t v)
{
    o->kind = MP_UINT;
    o->as.u = v;
    return true;
}

/* Every element takes at least one byte, so a count beyond the rest is malformed. */
static bool set_array(mp_reader *r, mp_obj *o, uint64_t count)
{
    if (count > r->len - r->pos)
        return false;
    o->kind = MP_ARRAY;
    o->as.count = (uint32_t)count;
    return true;
}

/* The formats with a big-endian payload of 1, 2, 4 or 8 bytes (0xc4..0xdd). */
static bool read_sized(mp_reader *r, uint8_t format, mp_obj *o)
{
    static const uint8_t size_of[] = {
        [0xc4 - 0xc4] = 1, [0xc5 - 0xc4] = 2, [0xc6 - 0xc4] = 4,              /* bin */
        [0xca - 0xc4] = 4, [0xcb - 0xc4] = 8,                                 /* float */
        [0xcc - 0xc4] = 1, [0xcd - 0xc4] = 2, [0xce - 0xc4] = 4, [0xcf - 0xc4] = 8, /* uint */
        [0xd0 - 0xc4] = 1, [0xd1 - 0xc4] = 2, [0xd2 - 0xc4] = 4, [0xd3 - 0xc4] = 8, /* int */
        [0xd9 - 0xc4] = 1, [0xda - 0xc4] = 2, [0xdb - 0xc4] = 4,              /* str */
        [0xdc - 0xc4] = 2, [0xdd - 0xc4] = 4,                                 /* array */
    };
    if (format < 0xc4 || format > 0xdd || size_of[format - 0xc4] == 0)
        return false; /* ext, map, fixext, never-used */
    int size = size_of[format - 0xc4];
    uint64_t v;
    if (!take_be(r, size, &v))
        return false;
    switch (format) {
    case 0xc4: case 0xc5: case 0xc6:
        return take_bytes(r, v, o, MP_BIN);
    case 0xd9: case 0xda: case 0xdb:
        return take_bytes(r, v, o, MP_STR);
    case 0xdc: case 0xdd:
        return set_array(r, o, v);
    case 0xca: {
        uint32_t bits = (uint32_t)v;
        o->kind = MP_F32;
        memcpy(&o->as.f32, &bits, sizeof bits);
        return true;
    }
    case 0xcb:
        o->kind = MP_F64;
        memcpy(&o->as.f64, &v, sizeof v);
        return true;
    case 0xd0:
        return set_int(o, (int8_t)v);
    case 0xd1:
        return set_int(o, (int16_t)v);
    case 0xd2:
        return set_int(o, (int32_t)v);
    case 0xd3:
        return set_int(o, (int64_t)v);
    default: /* 0xcc..0xcf */
        return set_uint(o, v);
    }
}

bool mp_read(mp_reader *r, mp_obj *o)
{
    if (r->pos >= r->len)
        return false;
    uint8_t b = r->buf[r->pos++];
    if (b <= 0x7f)
        return set_uint(o, b);
    if (b >= 0xe0)
        return set_int(o, (int8_t)b);
    if (b >= 0xa0 && b <= 0xbf)
        return take_bytes(r, b & 0x1f, o, MP_STR);
    if (b >= 0x90 && b <= 0x9f)
        return set_array(r, o, b & 0x0f);
    if (b == 0xc0) {
        o->kind = MP_NIL;
        return true;
    }
    if (b == 0xc2 || b == 0xc3) {
        o->kind = MP_BOOL;
        o->as.b = b == 0xc3;
        return true;
    }
    return read_sized(r, b, o); /* fixmap (0x80..0x8f) and 0xc1 fail there too */
}

bool mp_read_array_of(mp_reader *r, uint32_t count)
{
    mp_obj o;
    return mp_read(r, &o) && o.kind == MP_ARRAY && o.as.count == count;
}

bool mp_read_int_in(mp_reader *r, int64_t min, int64_t max, int64_t *out)
{
    mp_obj o;
    if (!mp_read(r, &o))
        return false;
    if (o.kind == MP_INT && o.as.i >= min && o.as.i <= max) {
        *out = o.as.i;
        return true;
    }
    if (o.kind == MP_UINT && max >= 0 && o.as.u <= (uint64_t)max && (int64_t)o.as.u >= min) {
        *out = (int64_t)o.as.u;
        return true;
    }
    return false;
}

bool mp_read_str(mp_reader *r, const uint8_t **ptr, uint32_t *len)
{
    mp_obj o;
    if (!mp_read(r, &o) || o.kind != MP_STR)
        return false;
    *ptr = o.as.buf.ptr;
    *len = o.as.buf.len;
    return true;
}
