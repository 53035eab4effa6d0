/*
 * Freestanding MessagePack for exactly the subset in docs/abi.md: nil, bool,
 * every int format, float32/64, str (fixstr, str8/16/32), bin (bin8/16/32) and
 * arrays (fixarray, array16/32). The writer never writes past its capacity;
 * the reader never reads past its buffer.
 *
 * Every guest store is costly on an emulated vCPU (tens of nanoseconds), so the
 * codec keeps its state out of memory: a writer is two pointers passed and
 * returned by value, and a decoded object is 16 bytes returned in registers.
 */
#ifndef SG_MSGPACK_H
#define SG_MSGPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the next byte goes and the end of the buffer; pos is NULL once something did not fit. */
/* For the small helpers below: inlined, their state stays in the caller's registers. */
#define MP_INLINE static inline __attribute__((always_inline))

typedef struct {
    uint8_t *pos;
    uint8_t *end;
} mp_writer;

MP_INLINE mp_writer mp_writer_over(uint8_t *buf, uint32_t cap)
{
    return (mp_writer){ buf, buf + cap };
}

/* True once a write did not fit; every later write is dropped. */
MP_INLINE bool mp_overflowed(mp_writer w)
{
    return w.pos == NULL;
}

/* Bytes left, 0 after an overflow. */
MP_INLINE uint32_t mp_room(mp_writer w)
{
    return w.pos == NULL ? 0 : (uint32_t)(w.end - w.pos);
}

mp_writer mp_write_nil(mp_writer w);
mp_writer mp_write_bool(mp_writer w, bool b);
mp_writer mp_write_int(mp_writer w, int64_t v);  /* smallest encoding of v */
mp_writer mp_write_uint(mp_writer w, uint64_t v); /* smallest encoding of v */
mp_writer mp_write_f32(mp_writer w, float v);
mp_writer mp_write_f64(mp_writer w, double v);
mp_writer mp_write_str(mp_writer w, const uint8_t *ptr, uint32_t len);
mp_writer mp_write_bin(mp_writer w, const uint8_t *ptr, uint32_t len);
mp_writer mp_write_array(mp_writer w, uint32_t count);
/* A str cut (on a UTF-8 character boundary) to what is left of the capacity. */
mp_writer mp_write_str_truncated(mp_writer w, const uint8_t *ptr, uint32_t len);

/* The bytes left to read; both pointers are passed by value, like the writer's. */
typedef struct {
    const uint8_t *pos;
    const uint8_t *end;
} mp_reader;

MP_INLINE mp_reader mp_reader_over(const uint8_t *buf, uint32_t len)
{
    return (mp_reader){ buf, buf + len };
}

MP_INLINE bool mp_at_end(mp_reader r)
{
    return r.pos == r.end;
}

typedef enum { MP_INVALID, MP_NIL, MP_BOOL, MP_INT, MP_UINT, MP_F32, MP_F64, MP_STR, MP_BIN, MP_ARRAY } mp_kind;

/*
 * One decoded object, 16 bytes so it comes back in registers. Every int is normalised: MP_UINT if >= 0,
 * else MP_INT. MP_INVALID: truncated input or a format outside the subset.
 */
typedef struct {
    union {
        bool b;
        int64_t i;          /* MP_INT, always < 0 */
        uint64_t u;         /* MP_UINT */
        float f32;
        double f64;
        const uint8_t *ptr; /* MP_STR, MP_BIN: into the reader's buffer */
    } as;
    uint32_t len;   /* MP_STR, MP_BIN: payload bytes; MP_ARRAY: elements, which follow */
    uint8_t kind;   /* an mp_kind */
    uint8_t header; /* bytes of format and length before any payload */
} mp_obj;

/* Decodes the object at r.pos without moving. */
mp_obj mp_peek(mp_reader r);

/* Reads one object: r moves past it, unless it is MP_INVALID. */
MP_INLINE mp_obj mp_read(mp_reader *r)
{
    mp_obj o = mp_peek(*r);
    r->pos += o.header + (o.kind == MP_STR || o.kind == MP_BIN ? o.len : 0);
    return o;
}

/* Reads an array header of exactly count elements. */
MP_INLINE bool mp_read_array_of(mp_reader *r, uint32_t count)
{
    mp_obj o = mp_read(r);
    return o.kind == MP_ARRAY && o.len == count;
}

/* Reads an int in [min, max]. */
MP_INLINE bool mp_read_int_in(mp_reader *r, int64_t min, int64_t max, int64_t *out)
{
    mp_obj o = mp_read(r);
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

#endif
