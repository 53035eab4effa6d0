/*
 * The two entries: init (read the control page, let the guest register its
 * functions, answer with the init frame) and dispatch (decode a call frame,
 * check it against the registry, run the function, encode its result).
 */
#include "runtime.h"

struct sg_layout sg_layout;
uint32_t sg_reply_offset;
/* Set while snapgate_init runs: only then does the input buffer hold the init input. */
static bool initialising;

/* Smallest buffers accepted: room for an error frame with a useful message. */
#define SG_MIN_BUFFER 64u

static uint64_t control_u64(const uint8_t *control, int off)
{
    uint64_t v;
    __builtin_memcpy(&v, control + off, sizeof v);
    return v;
}

static uint32_t cap_u32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Without a trustworthy control page there is no output buffer to write a frame to. */
static _Noreturn void abort_without_frame(void)
{
    for (;;)
        sg_exit(SG_PORT_ABORT, SG_ERR_MALFORMED_FRAME);
}

static void read_control_page(uint8_t *control)
{
    if (control_u64(control, SG_CTL_MAGIC) != SG_CONTROL_MAGIC
        || (uint32_t)control_u64(control, SG_CTL_VERSION) != SG_ABI_VERSION)
        abort_without_frame();
    uint64_t heap_base = control_u64(control, SG_CTL_HEAP_BASE);
    uint64_t heap_size = control_u64(control, SG_CTL_HEAP_SIZE);
    sg_layout = (struct sg_layout){
        .control = control,
        .input = (uint8_t *)(uintptr_t)control_u64(control, SG_CTL_INPUT_BASE),
        .input_size = cap_u32(control_u64(control, SG_CTL_INPUT_SIZE)),
        .output = (uint8_t *)(uintptr_t)control_u64(control, SG_CTL_OUTPUT_BASE),
        .output_size = cap_u32(control_u64(control, SG_CTL_OUTPUT_SIZE)),
        .stack_low = (uintptr_t)(heap_base + heap_size + SG_PAGE_SIZE),
    };
    if (sg_layout.input_size < SG_MIN_BUFFER || sg_layout.output_size < SG_MIN_BUFFER)
        abort_without_frame();
    sg_heap_init((uint8_t *)(uintptr_t)heap_base, heap_size);
}

/*
 * Where host replies go while the input frame r (the init input, or a call frame) is in use: just past it,
 * 8-byte aligned, so that it stays intact; no frame (r.pos NULL) takes no room.
 */
static uint32_t past_frame(mp_reader r)
{
    uint64_t len = r.pos == NULL ? 0 : (uint64_t)(r.end - r.pos);
    uint64_t end = ((uint64_t)SG_FRAME_HEADER + len + 7) & ~(uint64_t)7;
    return (uint32_t)(end < sg_layout.input_size ? end : sg_layout.input_size);
}

void sg_runtime_init(uint8_t *control)
{
    read_control_page(control);
    sg_reply_offset = past_frame(sg_input_frame(0));
    sg_libc_init();
    initialising = true;
    snapgate_init();
    initialising = false;
    sg_stdio_flush();
    sg_registry_close();

    mp_writer w = mp_write_uint(mp_write_array(sg_frame_open(), 3), SG_ABI_VERSION);
    w = mp_write_uint(w, (uintptr_t)&sg_dispatch_entry);
    if (!sg_frame_close(sg_write_signatures(w)))
        sg_abort(SG_ERR_RESULT_TOO_LARGE, "the init frame does not fit the output buffer");
}

/* At init the input buffer holds a u32 length and that many bytes (docs/abi.md, "Entering the guest"). */
const uint8_t *sg_init_input(uint32_t *len)
{
    mp_reader r = sg_input_frame(0);
    if (!initialising || r.pos == NULL || r.pos == r.end)
        return NULL;
    *len = (uint32_t)(r.end - r.pos);
    return r.pos;
}

/* Read again from the call frame, which stays intact for the whole call: the call path stores nothing for it. */
const char *sg_function_name(uint32_t *len)
{
    if (initialising)
        return NULL;
    mp_reader r = sg_input_frame(0);
    if (r.pos == NULL || !mp_read_array_of(&r, 2))
        return NULL;
    mp_obj name = mp_read(&r);
    if (name.kind != MP_STR)
        return NULL;
    *len = name.len;
    return (const char *)name.as.ptr;
}

static void fail(int32_t code, const sg_msg *m)
{
    sg_frame_error(code, (const uint8_t *)m->buf, m->len);
}

static void fail_str(int32_t code, const char *text)
{
    sg_frame_error(code, (const uint8_t *)text, (uint32_t)strlen(text));
}

/*
 * Starts an error message with the function's name. Only error paths build one: every guest store is
 * costly on an emulated vCPU, so the success path writes no message at all.
 */
static void msg_start(sg_msg *m, const sg_entry *e)
{
    m->len = 0;
    sg_msg_bytes(m, e->name, e->name_len);
}

static void write_result(const sg_entry *e, const sg_value *v)
{
    if (v->type == SG_ERROR) {
        sg_frame_error(v->as.error.code, (const uint8_t *)v->as.error.message, v->as.error.len);
        return;
    }
    sg_msg m;
    if (v->type != e->ret) { /* a guest bug, reported without poisoning the sandbox */
        msg_start(&m, e);
        sg_msg_str(&m, " returned ");
        sg_msg_str(&m, sg_type_name(v->type));
        sg_msg_str(&m, " but is declared to return ");
        sg_msg_str(&m, sg_type_name(e->ret));
        fail(SG_ERR_ARGUMENT_TYPE_MISMATCH, &m);
        return;
    }
    mp_writer w = mp_write_uint(mp_write_array(sg_frame_open(), 2), 0);
    if (!sg_frame_close(sg_write_value(w, v))) {
        msg_start(&m, e);
        sg_msg_str(&m, ": the result does not fit the output buffer");
        fail(SG_ERR_RESULT_TOO_LARGE, &m);
    }
}

/* Decodes the arguments of e into args; writes an error frame and returns false on a problem. */
static bool read_args(mp_reader *r, const sg_entry *e, uint32_t nargs, sg_value *args)
{
    sg_msg m;
    if (nargs != (uint32_t)e->nparams) {
        msg_start(&m, e);
        sg_msg_str(&m, " takes ");
        sg_msg_uint(&m, (uint64_t)e->nparams);
        sg_msg_str(&m, " arguments, got ");
        sg_msg_uint(&m, nargs);
        fail(SG_ERR_WRONG_ARGUMENT_COUNT, &m);
        return false;
    }
    for (int i = 0; i < e->nparams; i++) {
        int32_t rc = sg_read_value(r, e->params[i], &args[i]);
        if (rc == SG_ERR_MALFORMED_FRAME) {
            fail_str(rc, "malformed argument in the call frame");
            return false;
        }
        if (rc != 0) {
            msg_start(&m, e);
            sg_msg_str(&m, ": argument ");
            sg_msg_uint(&m, (uint64_t)i);
            sg_msg_str(&m, " is not ");
            sg_msg_str(&m, sg_type_name(e->params[i]));
            fail(rc, &m);
            return false;
        }
    }
    if (!mp_at_end(*r)) {
        fail_str(SG_ERR_MALFORMED_FRAME, "trailing bytes after the call frame");
        return false;
    }
    return true;
}

void sg_runtime_dispatch(void)
{
    mp_reader r = sg_input_frame(0);
    if (r.pos == NULL) {
        fail_str(SG_ERR_MALFORMED_FRAME, "the call frame's length exceeds the input buffer");
        return;
    }
    sg_reply_offset = past_frame(r); /* the arguments stay intact */

    bool is_call = mp_read_array_of(&r, 2);
    mp_obj name = mp_read(&r);
    mp_obj args_header = mp_read(&r);
    if (!is_call || name.kind != MP_STR || args_header.kind != MP_ARRAY) {
        fail_str(SG_ERR_MALFORMED_FRAME, "the call frame is not [name, [args...]]");
        return;
    }
    const sg_entry *e = sg_find_function(name.as.ptr, name.len);
    if (e == NULL) {
        sg_msg m = { .len = 0 };
        sg_msg_str(&m, "no guest function named ");
        sg_msg_bytes(&m, name.as.ptr, name.len);
        fail(SG_ERR_FUNCTION_NOT_FOUND, &m);
        return;
    }
    sg_value args[SG_MAX_PARAMS];
    if (!read_args(&r, e, args_header.len, args))
        return;
    sg_value result = e->fn(args);
    if (sg_stdio_pending != 0) /* before the result frame: logging uses the output buffer */
        sg_stdio_flush();
    write_result(e, &result);
}
