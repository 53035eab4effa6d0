/* Frames: a little-endian u32 payload length, then MessagePack (docs/abi.md, "Frames"). */
#include "runtime.h"

mp_writer sg_frame_open(void)
{
    return mp_writer_over(sg_layout.output + SG_FRAME_HEADER, sg_layout.output_size - SG_FRAME_HEADER);
}

bool sg_frame_close(mp_writer w)
{
    if (mp_overflowed(w))
        return false;
    uint32_t len = (uint32_t)(w.pos - (sg_layout.output + SG_FRAME_HEADER));
    __builtin_memcpy(sg_layout.output, &len, sizeof len); /* one store; x86 is little-endian */
    return true;
}

/* [code, msg] with msg cut to fit; init guarantees room for the rest. */
static mp_writer write_code_message(mp_writer w, int64_t code, const uint8_t *msg, uint32_t len)
{
    return mp_write_str_truncated(mp_write_int(mp_write_array(w, 2), code), msg, len);
}

void sg_frame_error(int32_t code, const uint8_t *msg, uint32_t len)
{
    mp_writer w = mp_write_int(mp_write_array(sg_frame_open(), 2), 1);
    sg_frame_close(write_code_message(w, code, msg, len));
}

void sg_frame_code_message(int64_t code, const uint8_t *msg, uint32_t len)
{
    sg_frame_close(write_code_message(sg_frame_open(), code, msg, len));
}

mp_reader sg_input_frame(uint32_t off)
{
    uint32_t len;
    if (off > sg_layout.input_size || sg_layout.input_size - off < SG_FRAME_HEADER)
        return (mp_reader){ NULL, NULL };
    __builtin_memcpy(&len, sg_layout.input + off, sizeof len);
    if (len > sg_layout.input_size - off - SG_FRAME_HEADER)
        return (mp_reader){ NULL, NULL };
    return mp_reader_over(sg_layout.input + off + SG_FRAME_HEADER, len);
}
