/* MessagePack writer and bounds-checked reader (the subset of docs/abi.md). */
#include "msgpack.h"

#include <snapgate.h>

static const mp_writer overflowed = { 0, 0 };

static bool fits(mp_writer w, uint32_t n)
{
    return w.pos != NULL && n <= (uint32_t)(w.end - w.pos);
}

static mp_writer put(mp_writer w, const void *src, uint32_t n)
{
    if (!fits(w, n))
        return overflowed;
    memcpy(w.pos, src, n);
    w.pos += n;
    return w;
}

static mp_writer put_byte(mp_writer w, uint8_t b)
{
    if (!fits(w, 1))
        return overflowed;
    *w.pos++ = b;
    return w;
}

/* A format byte followed by the low `size` bytes of v, big-endian: two stores, whatever the size. */
static mp_writer put_be(mp_writer w, uint8_t format, uint64_t v, int size)
{
    if (!fits(w, (uint32_t)size + 1))
        return overflowed;
    w.pos[0] = format;
    switch (size) {
    case 1:
        w.pos[1] = (uint8_t)v;
        break;
    case 2: {
        uint16_t be = __builtin_bswap16((uint16_t)v);
        __builtin_memcpy(w.pos + 1, &be, sizeof be);
        break;
    }
    case 4: {
        uint32_t be = __builtin_bswap32((uint32_t)v);
        __builtin_memcpy(w.pos + 1, &be, sizeof be);
        break;
    }
    default: {
        uint64_t be = __builtin_bswap64(v);
        __builtin_memcpy(w.pos + 1, &be, sizeof be);
        break;
    }
    }
    w.pos += size + 1;
    return w;
}

/* Picks among the 1-, 2- and 4-byte length forms of str, bin and array. */
static mp_writer put_len(mp_writer w, uint32_t len, const uint8_t formats[3])
{
    if (len <= 0xff && formats[0])
        return put_be(w, formats[0], len, 1);
    if (len <= 0xffff)
        return put_be(w, formats[1], len, 2);
    return put_be(w, formats[2], len, 4);
}

mp_writer mp_write_nil(mp_writer w)
{
    return put_byte(w, 0xc0);
}

mp_writer mp_write_bool(mp_writer w, bool b)
{
    return put_byte(w, b ? 0xc3 : 0xc2);
}

mp_writer mp_write_uint(mp_writer w, uint64_t v)
{
    if (v < 0x80)
        return put_byte(w, (uint8_t)v);
    if (v <= UINT8_MAX)
        return put_be(w, 0xcc, v, 1);
    if (v <= UINT16_MAX)
        return put_be(w, 0xcd, v, 2);
    if (v <= UINT32_MAX)
        return put_be(w, 0xce, v, 4);
    return put_be(w, 0xcf, v, 8);
}

mp_writer mp_write_int(mp_writer w, int64_t v)
{
    if (v >= 0)
        return mp_write_uint(w, (uint64_t)v);
    if (v >= -32)
        return put_byte(w, (uint8_t)v);
    if (v >= INT8_MIN)
        return put_be(w, 0xd0, (uint64_t)v, 1);
    if (v >= INT16_MIN)
        return put_be(w, 0xd1, (uint64_t)v, 2);
    if (v >= INT32_MIN)
        return put_be(w, 0xd2, (uint64_t)v, 4);
    return put_be(w, 0xd3, (uint64_t)v, 8);
}

mp_writer mp_write_f32(mp_writer w, float v)
{
    uint32_t bits;
    __builtin_memcpy(&bits, &v, sizeof bits);
    return put_be(w, 0xca, bits, 4);
}

mp_writer mp_write_f64(mp_writer w, double v)
{
    uint64_t bits;
    __builtin_memcpy(&bits, &v, sizeof bits);
    return put_be(w, 0xcb, bits, 8);
}

mp_writer mp_write_str(mp_writer w, const uint8_t *ptr, uint32_t len)
{
    if (len < 32)
        w = put_byte(w, (uint8_t)(0xa0 | len));
    else
        w = put_len(w, len, (const uint8_t[3]){ 0xd9, 0xda, 0xdb });
    return put(w, ptr, len);
}

mp_writer mp_write_bin(mp_writer w, const uint8_t *ptr, uint32_t len)
{
    return put(put_len(w, len, (const uint8_t[3]){ 0xc4, 0xc5, 0xc6 }), ptr, len);
}

mp_writer mp_write_array(mp_writer w, uint32_t count)
{
    if (count < 16)
        return put_byte(w, (uint8_t)(0x90 | count));
    return put_len(w, count, (const uint8_t[3]){ 0, 0xdc, 0xdd });
}

mp_writer mp_write_str_truncated(mp_writer w, const uint8_t *ptr, uint32_t len)
{
    uint32_t room = mp_room(w);
    if (len < 32 ? len + 1 > room : len + 5 > room) {
        /* 5 bytes cover the largest str header, so whatever is chosen fits. */
        uint32_t cut = room > 5 ? room - 5 : 0;
        while (cut > 0 && (ptr[cut] & 0xc0) == 0x80) /* not inside a UTF-8 sequence */
            cut--;
        len = cut;
    }
    return mp_write_str(w, ptr, len);
}

static const mp_obj invalid = { .kind = MP_INVALID };

/* A big-endian unsigned of size bytes at p. */
static uint64_t be(const uint8_t *p, int size)
{
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        v = v << 8 | p[i];
    return v;
}

/* A str or bin whose payload of len bytes follows a header of header bytes. */
static mp_obj bytes_obj(mp_reader r, uint64_t len, int header, mp_kind kind)
{
    if (len > (uint64_t)(r.end - r.pos) - header)
        return invalid;
    return (mp_obj){ .as.ptr = r.pos + header, .len = (uint32_t)len, .kind = kind, .header = (uint8_t)header };
}

/* Every element takes at least one byte, so a count beyond the rest is malformed. */
static mp_obj array_obj(mp_reader r, uint64_t count, int header)
{
    if (count > (uint64_t)(r.end - r.pos) - header)
        return invalid;
    return (mp_obj){ .len = (uint32_t)count, .kind = MP_ARRAY, .header = (uint8_t)header };
}

static mp_obj int_obj(int64_t v, int header)
{
    if (v >= 0)
        return (mp_obj){ .as.u = (uint64_t)v, .kind = MP_UINT, .header = (uint8_t)header };
    return (mp_obj){ .as.i = v, .kind = MP_INT, .header = (uint8_t)header };
}

/* The formats with a big-endian payload of 1, 2, 4 or 8 bytes (0xc4..0xdd). */
static mp_obj peek_sized(mp_reader r, uint8_t format)
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
        return invalid; /* ext, map, fixext, never-used */
    int size = size_of[format - 0xc4], header = size + 1;
    if (header > r.end - r.pos)
        return invalid;
    uint64_t v = be(r.pos + 1, size);
    switch (format) {
    case 0xc4: case 0xc5: case 0xc6:
        return bytes_obj(r, v, header, MP_BIN);
    case 0xd9: case 0xda: case 0xdb:
        return bytes_obj(r, v, header, MP_STR);
    case 0xdc: case 0xdd:
        return array_obj(r, v, header);
    case 0xca: {
        mp_obj o = { .kind = MP_F32, .header = (uint8_t)header };
        uint32_t bits = (uint32_t)v;
        __builtin_memcpy(&o.as.f32, &bits, sizeof bits);
        return o;
    }
    case 0xcb: {
        mp_obj o = { .kind = MP_F64, .header = (uint8_t)header };
        __builtin_memcpy(&o.as.f64, &v, sizeof v);
        return o;
    }
    case 0xd0:
        return int_obj((int8_t)v, header);
    case 0xd1:
        return int_obj((int16_t)v, header);
    case 0xd2:
        return int_obj((int32_t)v, header);
    case 0xd3:
        return int_obj((int64_t)v, header);
    default: /* 0xcc..0xcf */
        return (mp_obj){ .as.u = v, .kind = MP_UINT, .header = (uint8_t)header };
    }
}

mp_obj mp_peek(mp_reader r)
{
    if (r.pos == NULL || r.pos >= r.end)
        return invalid;
    uint8_t b = *r.pos;
    if (b <= 0x7f)
        return (mp_obj){ .as.u = b, .kind = MP_UINT, .header = 1 };
    if (b >= 0xe0)
        return (mp_obj){ .as.i = (int8_t)b, .kind = MP_INT, .header = 1 };
    if (b >= 0xa0 && b <= 0xbf)
        return bytes_obj(r, b & 0x1f, 1, MP_STR);
    if (b >= 0x90 && b <= 0x9f)
        return array_obj(r, b & 0x0f, 1);
    if (b == 0xc0)
        return (mp_obj){ .kind = MP_NIL, .header = 1 };
    if (b == 0xc2 || b == 0xc3)
        return (mp_obj){ .as.b = b == 0xc3, .kind = MP_BOOL, .header = 1 };
    return peek_sized(r, b); /* fixmap (0x80..0x8f) and 0xc1 fail there too */
}
