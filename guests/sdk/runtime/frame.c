/* Frames: a little-endian u32 payload length, then MessagePack (docs/abi.md, "Frames"). */
#include "runtime.h"

void sg_frame_open(mp_writer *w)
{
    mp_writer_init(w, sg_layout.output + SG_FRAME_HEADER, sg_layout.output_size - SG_FRAME_HEADER);
}

bool sg_frame_close(const mp_writer *w)
{
    if (w->overflow)
        return false;
    memcpy(sg_layout.output, &w->len, sizeof w->len); /* x86 is little-endian */
    return true;
}

/* [code, msg] with msg cut to fit; init guarantees room for the rest. */
static void write_code_message(mp_writer *w, int64_t code, const uint8_t *msg, uint32_t len)
{
    mp_write_array(w, 2);
    mp_write_int(w, code);
    mp_write_str_truncated(w, msg, len);
}

void sg_frame_error(int32_t code, const uint8_t *msg, uint32_t len)
{
    mp_writer w;
    sg_frame_open(&w);
    mp_write_array(&w, 2);
    mp_write_int(&w, 1);
    write_code_message(&w, code, msg, len);
    sg_frame_close(&w);
}

void sg_frame_code_message(int64_t code, const char *msg)
{
    mp_writer w;
    sg_frame_open(&w);
    write_code_message(&w, code, (const uint8_t *)msg, (uint32_t)strlen(msg));
    sg_frame_close(&w);
}

bool sg_input_frame(uint32_t off, mp_reader *r)
{
    uint32_t len;
    if (off > sg_layout.input_size || sg_layout.input_size - off < SG_FRAME_HEADER)
        return false;
    memcpy(&len, sg_layout.input + off, sizeof len);
    if (len > sg_layout.input_size - off - SG_FRAME_HEADER)
        return false;
    mp_reader_init(r, sg_layout.input + off + SG_FRAME_HEADER, len);
    return true;
}
