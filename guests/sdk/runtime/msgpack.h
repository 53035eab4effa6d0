/*
 * Freestanding MessagePack for exactly the subset in docs/abi.md: nil, bool,
 * every int format, float32/64, str (fixstr, str8/16/32), bin (bin8/16/32) and
 * arrays (fixarray, array16/32). The writer never writes past its capacity;
 * the reader never reads past its buffer.
 */
#ifndef SG_MSGPACK_H
#define SG_MSGPACK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint8_t *buf;
    uint32_t cap;
    uint32_t len;
    bool overflow; /* set once something did not fit; later writes are dropped */
} mp_writer;

void mp_writer_init(mp_writer *w, uint8_t *buf, uint32_t cap);
void mp_write_nil(mp_writer *w);
void mp_write_bool(mp_writer *w, bool b);
void mp_write_int(mp_writer *w, int64_t v);  /* smallest encoding of v */
void mp_write_uint(mp_writer *w, uint64_t v); /* smallest encoding of v */
void mp_write_f32(mp_writer *w, float v);
void mp_write_f64(mp_writer *w, double v);
void mp_write_str(mp_writer *w, const uint8_t *ptr, uint32_t len);
void mp_write_bin(mp_writer *w, const uint8_t *ptr, uint32_t len);
void mp_write_array(mp_writer *w, uint32_t count);
/* A str cut (on a UTF-8 character boundary) to what is left of the capacity. */
void mp_write_str_truncated(mp_writer *w, const uint8_t *ptr, uint32_t len);

typedef struct {
    const uint8_t *buf;
    uint32_t len;
    uint32_t pos;
} mp_reader;

typedef enum { MP_NIL, MP_BOOL, MP_INT, MP_UINT, MP_F32, MP_F64, MP_STR, MP_BIN, MP_ARRAY } mp_kind;

/* One decoded object. Every int is normalised: MP_UINT if >= 0, else MP_INT. */
typedef struct {
    mp_kind kind;
    union {
        bool b;
        int64_t i;  /* MP_INT, always < 0 */
        uint64_t u; /* MP_UINT */
        float f32;
        double f64;
        struct {
            const uint8_t *ptr; /* into the reader's buffer */
            uint32_t len;
        } buf;          /* MP_STR, MP_BIN */
        uint32_t count; /* MP_ARRAY: the elements follow */
    } as;
} mp_obj;

void mp_reader_init(mp_reader *r, const uint8_t *buf, uint32_t len);
/* Reads one object; false on truncated input or a format outside the subset. */
bool mp_read(mp_reader *r, mp_obj *o);
/* Reads an array header of exactly count elements. */
bool mp_read_array_of(mp_reader *r, uint32_t count);
/* Reads an int in [min, max]. */
bool mp_read_int_in(mp_reader *r, int64_t min, int64_t max, int64_t *out);
/* Reads a str. */
bool mp_read_str(mp_reader *r, const uint8_t **ptr, uint32_t *len);
static inline bool mp_at_end(const mp_reader *r) { return r->pos == r->len; }

#endif
