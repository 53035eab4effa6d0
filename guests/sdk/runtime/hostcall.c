/*
 * sg_call_host and sg_call_host_array: the call goes out as [name, [args...]] in the output buffer,
 * the reply comes back as [0, value] or [1, [code, message]] in the input
 * buffer at sg_reply_offset (docs/abi.md, "Exits" and "Frames").
 */
#include <stdarg.h>

#include "runtime.h"

/* Texts of the errors made here; they live until the next host call, like reply strings. */
static sg_msg error_text;

static sg_value call_error(int32_t code, const char *name, const char *what, const char *type)
{
    error_text.len = 0;
    sg_msg_str(&error_text, "host function ");
    sg_msg_str(&error_text, name);
    sg_msg_str(&error_text, what);
    sg_msg_str(&error_text, type);
    return sg_msg_error(code, &error_text);
}

static sg_value read_reply(const char *name, sg_type ret)
{
    mp_reader r = sg_input_frame(sg_reply_offset);
    int64_t status, code;
    sg_value v;
    if (r.pos == NULL || !mp_read_array_of(&r, 2)
        || !mp_read_int_in(&r, 0, 1, &status))
        return call_error(SG_ERR_MALFORMED_FRAME, name, ": malformed reply", "");
    if (status == 0) {
        int32_t rc = sg_read_value(&r, ret, &v);
        if (rc == SG_ERR_ARGUMENT_TYPE_MISMATCH)
            return call_error(SG_ERR_HOST_FUNCTION_ERROR, name, " did not return ", sg_type_name(ret));
        if (rc != 0)
            return call_error(SG_ERR_MALFORMED_FRAME, name, ": malformed reply", "");
    } else {
        mp_obj msg;
        if (!mp_read_array_of(&r, 2) || !mp_read_int_in(&r, INT32_MIN, INT32_MAX, &code)
            || (msg = mp_read(&r)).kind != MP_STR)
            return call_error(SG_ERR_MALFORMED_FRAME, name, ": malformed error reply", "");
        v = (sg_value){ .type = SG_ERROR, .as.error = { (int32_t)code, (const char *)msg.as.ptr, msg.len } };
    }
    if (!mp_at_end(r))
        return call_error(SG_ERR_MALFORMED_FRAME, name, ": trailing bytes after the reply", "");
    return v;
}

sg_value sg_call_host_array(const char *name, sg_type ret, int nargs, const sg_value *args)
{
    if (nargs < 0 || (ret != SG_VOID && !sg_is_value_type(ret)))
        return call_error(SG_ERR_ARGUMENT_TYPE_MISMATCH, name, ": bad return type or argument count", "");
    if (sg_reply_offset > sg_layout.input_size - SG_FRAME_HEADER)
        return call_error(SG_ERR_RESULT_TOO_LARGE, name, ": no room in the input buffer for the reply", "");

    mp_writer w = mp_write_str(mp_write_array(sg_frame_open(), 2), (const uint8_t *)name, (uint32_t)strlen(name));
    w = mp_write_array(w, (uint32_t)nargs);
    for (int i = 0; i < nargs; i++) {
        if (!sg_is_value_type(args[i].type))
            return call_error(SG_ERR_ARGUMENT_TYPE_MISMATCH, name, ": an argument has type ",
                              sg_type_name(args[i].type));
        w = sg_write_value(w, &args[i]);
    }
    if (!sg_frame_close(w))
        return call_error(SG_ERR_RESULT_TOO_LARGE, name, ": the call does not fit the output buffer", "");

    sg_exit(SG_PORT_HOST_CALL, sg_reply_offset);
    return read_reply(name, ret);
}

sg_value sg_call_host(const char *name, sg_type ret, int nargs, ...)
{
    if (nargs < 0 || nargs > SG_MAX_PARAMS)
        return call_error(SG_ERR_ARGUMENT_TYPE_MISMATCH, name, ": bad argument count", "");
    sg_value args[SG_MAX_PARAMS];
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i] = va_arg(ap, sg_value);
    va_end(ap);
    return sg_call_host_array(name, ret, nargs, args);
}
