/*
 * Internal to the SDK runtime (not part of the guest API): the ABI constants,
 * the layout cached from the control page, the raw exit and the frame helpers.
 */
#ifndef SG_RUNTIME_H
#define SG_RUNTIME_H

#include <snapgate.h>

#include "msgpack.h"

/*
 * Marks a function musl's objects call (the string functions, the heap): gcc keeps it, under its name,
 * through link-time optimisation. gcc leaves calls to library functions out of an LTO object's symbol
 * table, so the libc.a members a guest needs may be linked only after LTO has run.
 */
#define SG_CALLED_BY_LIBC __attribute__((used))

#define SG_ABI_VERSION 1
#define SG_CONTROL_MAGIC 0x4554414750414E53ULL /* "SNAPGATE" */
#define SG_PAGE_SIZE 4096u

/* Control page field offsets (docs/abi.md, "Control page"). */
enum {
    SG_CTL_MAGIC = 0x00,
    SG_CTL_VERSION = 0x08,
    SG_CTL_HEAP_BASE = 0x10,
    SG_CTL_HEAP_SIZE = 0x18,
    SG_CTL_INPUT_BASE = 0x20,
    SG_CTL_INPUT_SIZE = 0x28,
    SG_CTL_OUTPUT_BASE = 0x30,
    SG_CTL_OUTPUT_SIZE = 0x38,
    SG_CTL_RANDOM = 0x48
};

enum { SG_PORT_DONE = 0x100, SG_PORT_HOST_CALL = 0x101, SG_PORT_ABORT = 0x102, SG_PORT_LOG = 0x103 };

/* Bytes of a frame's little-endian u32 payload length. */
#define SG_FRAME_HEADER 4u

/* The layout, read once at init. The buffers' sizes are capped at UINT32_MAX. */
struct sg_layout {
    uint8_t *control;
    uint8_t *input;
    uint32_t input_size;
    uint8_t *output;
    uint32_t output_size;
    uintptr_t stack_low; /* the stack's lowest byte: one guard page past the heap's end */
};
extern struct sg_layout sg_layout;

/*
 * Offset in the input buffer where the host writes a host-call reply: just
 * past the current call frame (0 during init). Set by the dispatcher.
 */
extern uint32_t sg_reply_offset;

/*
 * `out dx, eax; hlt` with DX = port, EAX = value (entry.S). Returns when the
 * host resumes the guest (after HOST_CALL and LOG). Being an assembly function,
 * it is a full compiler barrier: every buffer write happens before the exit.
 */
void sg_exit(uint32_t port, uint32_t value);

/* The entry the host calls for every call (entry.S); its address goes in the init frame. */
void sg_dispatch_entry(void);

/* C halves of the two entries (dispatch.c); the stubs exit DONE when they return. */
void sg_runtime_init(uint8_t *control);
void sg_runtime_dispatch(void);

void sg_heap_init(uint8_t *base, uint64_t size);

/* Sets the state of the random stream (random.c): srand's seed. */
void sg_seed_random(uint64_t seed);

/* A log frame with a message of len bytes, then the LOG exit (log.c). */
void sg_log_bytes(int level, const void *message, uint32_t len);

/*
 * The C library's glue (sdk/libc): its thread block, set up before snapgate_init, and the stdout and
 * stderr text not yet logged for want of a newline, logged at the end of every entry. sg_stdio_pending
 * is nonzero while there is some: a call that printed nothing pays one load, not a call.
 */
void sg_libc_init(void);
void sg_stdio_flush(void);
extern uint32_t sg_stdio_pending;

/* Registry (registry.c); its limits are snapgate.h's SG_MAX_FUNCTIONS and SG_MAX_PARAMS. */
typedef struct {
    const char *name;
    uint32_t name_len;
    sg_function fn;
    sg_type ret;
    int nparams;
    sg_type params[SG_MAX_PARAMS];
} sg_entry;
const sg_entry *sg_find_function(const uint8_t *name, uint32_t len); /* NULL if none */
void sg_registry_close(void);           /* no registrations after init */
mp_writer sg_write_signatures(mp_writer w); /* [[name, [params], ret]...] */

/* Values (value.c). */
bool sg_is_value_type(int t);                    /* SG_I32..SG_JSON */
mp_writer sg_write_value(mp_writer w, const sg_value *v);
/* Converts a decoded object to a value of type t: 0, SG_ERR_ARGUMENT_TYPE_MISMATCH or SG_ERR_MALFORMED_FRAME. */
int32_t sg_value_of(mp_obj o, sg_type t, sg_value *out);
/* Reads a value of type t (inline, so the reader stays in registers). */
MP_INLINE int32_t sg_read_value(mp_reader *r, sg_type t, sg_value *out)
{
    return sg_value_of(mp_read(r), t, out);
}

/* Frames in the output buffer (frame.c). */
mp_writer sg_frame_open(void);                   /* a writer for the payload */
bool sg_frame_close(mp_writer w);                /* writes the length; false on overflow */
void sg_frame_error(int32_t code, const uint8_t *msg, uint32_t len); /* [1, [code, msg]] */
void sg_frame_code_message(int64_t code, const uint8_t *msg, uint32_t len); /* [code, msg] */
/* A reader over the payload of the frame at off in the input buffer; pos is NULL if it does not fit. */
mp_reader sg_input_frame(uint32_t off);

/* A bounded message builder for error texts (message.c); appends past the end are dropped. */
#define SG_MSG_MAX 256
typedef struct {
    char buf[SG_MSG_MAX];
    uint32_t len;
} sg_msg;
void sg_msg_bytes(sg_msg *m, const void *ptr, uint32_t len);
void sg_msg_str(sg_msg *m, const char *s);
void sg_msg_uint(sg_msg *m, uint64_t v);
const char *sg_type_name(sg_type t);
/* An SG_ERROR value whose message is m's text (m must outlive the value). */
sg_value sg_msg_error(int32_t code, const sg_msg *m);

#endif
