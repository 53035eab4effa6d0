/* sg_value <-> MessagePack, per the type table of docs/abi.md. */
#include "runtime.h"

bool sg_is_value_type(int t)
{
    return t >= SG_I32 && t <= SG_JSON;
}

sg_value sg_error(int32_t code, const char *message)
{
    return (sg_value){ .type = SG_ERROR,
                       .as.error = { code, message, (uint32_t)strlen(message) } };
}

mp_writer sg_write_value(mp_writer w, const sg_value *v)
{
    switch (v->type) {
    case SG_I32: return mp_write_int(w, v->as.i32);
    case SG_U32: return mp_write_uint(w, v->as.u32);
    case SG_I64: return mp_write_int(w, v->as.i64);
    case SG_U64: return mp_write_uint(w, v->as.u64);
    case SG_F32: return mp_write_f32(w, v->as.f32);
    case SG_F64: return mp_write_f64(w, v->as.f64);
    case SG_BOOL: return mp_write_bool(w, v->as.b);
    case SG_STRING:
    case SG_JSON: return mp_write_str(w, v->as.buf.ptr, v->as.buf.len);
    case SG_BYTES: return mp_write_bin(w, v->as.buf.ptr, v->as.buf.len);
    default: return mp_write_nil(w); /* SG_VOID; callers never pass SG_ERROR */
    }
}

/* Fills out from o (by value: it stays in registers) if o's kind and value can carry a value of type t. */
static bool convert(mp_obj o, sg_type t, sg_value *out)
{
    bool neg = o.kind == MP_INT, pos = o.kind == MP_UINT;
    bool is_float = o.kind == MP_F32 || o.kind == MP_F64;
    out->type = t;
    switch (t) {
    case SG_VOID:
        return o.kind == MP_NIL;
    case SG_I32:
        if (neg && o.as.i >= INT32_MIN)
            out->as.i32 = (int32_t)o.as.i;
        else if (pos && o.as.u <= INT32_MAX)
            out->as.i32 = (int32_t)o.as.u;
        else
            return false;
        return true;
    case SG_U32:
        if (!pos || o.as.u > UINT32_MAX)
            return false;
        out->as.u32 = (uint32_t)o.as.u;
        return true;
    case SG_I64:
        if (neg)
            out->as.i64 = o.as.i;
        else if (pos && o.as.u <= INT64_MAX)
            out->as.i64 = (int64_t)o.as.u;
        else
            return false;
        return true;
    case SG_U64:
        if (!pos)
            return false;
        out->as.u64 = o.as.u;
        return true;
    case SG_F32: /* float64 accepted */
        if (!is_float)
            return false;
        out->as.f32 = o.kind == MP_F32 ? o.as.f32 : (float)o.as.f64;
        return true;
    case SG_F64: /* float32 accepted */
        if (!is_float)
            return false;
        out->as.f64 = o.kind == MP_F64 ? o.as.f64 : (double)o.as.f32;
        return true;
    case SG_BOOL:
        if (o.kind != MP_BOOL)
            return false;
        out->as.b = o.as.b;
        return true;
    case SG_STRING:
    case SG_JSON: /* the host checked the text */
    case SG_BYTES:
        if (o.kind != (t == SG_BYTES ? MP_BIN : MP_STR))
            return false;
        out->as.buf.ptr = o.as.ptr;
        out->as.buf.len = o.len;
        return true;
    default:
        return false;
    }
}

int32_t sg_value_of(mp_obj o, sg_type t, sg_value *out)
{
    if (o.kind == MP_INVALID)
        return SG_ERR_MALFORMED_FRAME;
    return convert(o, t, out) ? 0 : SG_ERR_ARGUMENT_TYPE_MISMATCH;
}
