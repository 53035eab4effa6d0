/*
 * What a script finds on the global object besides the language's own: console (to the guest log),
 * Math.random (the SDK's random stream, reseeded on every restore), snapgate.host (the host functions), and
 * exports and module.exports (what the runtime registers). The JavaScript half is the prelude below.
 */
#include <math.h>

#include "js.h"

/* Runs once, at init, with the natives; nothing of it but what it defines is visible to the script. */
static const char prelude[] =
    "(function (global, log, random, hostCall) {\n"
    "    'use strict';\n"
    "    function text(value) {\n"
    "        try {\n"
    "            if (typeof value === 'string') return value;\n"
    "            if (value instanceof Error) return String(value.stack || value);\n"
    "            if (typeof value === 'object' && value !== null) return JSON.stringify(value);\n"
    "            return String(value);\n"
    "        } catch (e) {\n"
    "            return Object.prototype.toString.call(value);\n"
    "        }\n"
    "    }\n"
    "    function logger(level) {\n"
    "        return function () {\n"
    "            var parts = [];\n"
    "            for (var i = 0; i < arguments.length; i++) parts.push(text(arguments[i]));\n"
    "            log(level, parts.join(' '));\n"
    "        };\n"
    "    }\n"
    "    global.console = { trace: logger(0), debug: logger(1), log: logger(2), info: logger(2),\n"
    "                       warn: logger(3), error: logger(4) };\n"
    "    Math.random = random;\n"
    "    var codes = { i32: 1, u32: 2, i64: 3, u64: 4, f32: 5, f64: 6, bool: 7, string: 8, bytes: 9, json: 10 };\n"
    "    var shape = /^\\s*([^\\s(]+)\\s*\\(([^)]*)\\)\\s*->\\s*(\\w+)\\s*$/;\n"
    "    function code(signature, type) {\n"
    "        if (!codes.hasOwnProperty(type)) throw new TypeError(signature + ': unknown type ' + type);\n"
    "        return codes[type];\n"
    "    }\n"
    "    function host(signature) {\n"
    "        var m = shape.exec(String(signature));\n"
    "        if (!m) throw new TypeError('snapgate.host: ' + signature\n"
    "            + ' is not a signature such as \"host_add(i32, i32) -> i32\"');\n"
    "        var params = m[2].trim() === '' ? [] : m[2].split(',');\n"
    "        var args = Array.prototype.slice.call(arguments, 1);\n"
    "        if (args.length !== params.length) throw new TypeError(signature + ' takes ' + params.length\n"
    "            + ' arguments, got ' + args.length);\n"
    "        var types = params.map(function (type, i) {\n"
    "            var c = code(signature, type.trim());\n"
    "            if (c === 10) args[i] = JSON.stringify(args[i] === undefined ? null : args[i]);\n"
    "            return c;\n"
    "        });\n"
    "        var returns = m[3] === 'void' ? 0 : code(signature, m[3]);\n"
    "        var result = hostCall(m[1], types, returns, args);\n"
    "        return returns === 10 ? JSON.parse(result) : result;\n"
    "    }\n"
    "    global.snapgate = { host: host };\n"
    "    global.exports = {};\n"
    "    global.module = { exports: global.exports };\n"
    "})\n";

static duk_ret_t native_log(duk_context *ctx)
{
    int level = duk_require_int(ctx, 0);
    size_t len, out_len, bad;
    const char *text = duk_require_lstring(ctx, 1, &len);
    char *line = js_utf8(text, len, true, &out_len, &bad);
    if (line == NULL) /* its copy takes up to 4 times its length */
        return duk_error(ctx, DUK_ERR_RANGE_ERROR, "console: the heap has no room to copy a line of %lu bytes",
                         (unsigned long)len);
    sg_log(level, line);
    free(line);
    return 0;
}

static duk_ret_t native_random(duk_context *ctx)
{
    duk_push_number(ctx, (double)(sg_next_random() >> 11) * 0x1.0p-53);
    return 1;
}

/* Arguments of a host call, and the UTF-8 copies of its strings (freed after the call). */
struct host_args {
    sg_value values[SG_MAX_PARAMS];
    char *copies[SG_MAX_PARAMS];
    int count;
};

static void free_copies(struct host_args *a)
{
    for (int i = 0; i < a->count; i++)
        free(a->copies[i]);
}

/* The argument at idx as a value of type t; an error message when it is not one. */
static const char *host_arg(duk_context *ctx, duk_idx_t idx, sg_type t, sg_value *v, char **copy)
{
    static const double min[] = { [SG_I32] = -2147483648.0, [SG_U32] = 0, [SG_I64] = -9223372036854775808.0,
                                  [SG_U64] = 0 };
    static const double limit[] = { [SG_I32] = 2147483648.0, [SG_U32] = 4294967296.0,
                                    [SG_I64] = 9223372036854775808.0, [SG_U64] = 18446744073709551616.0 };
    *copy = NULL;
    v->type = t;
    switch (t) {
    case SG_I32: case SG_U32: case SG_I64: case SG_U64: {
        double d = duk_is_number(ctx, idx) ? duk_get_number(ctx, idx) : NAN;
        if (!(d == trunc(d) && d >= min[t] && d < limit[t]))
            return "an integer in the type's range";
        if (t == SG_I32) v->as.i32 = (int32_t)d;
        else if (t == SG_U32) v->as.u32 = (uint32_t)d;
        else if (t == SG_I64) v->as.i64 = (int64_t)d;
        else v->as.u64 = (uint64_t)d;
        return NULL;
    }
    case SG_F32: case SG_F64:
        if (!duk_is_number(ctx, idx))
            return "a number";
        if (t == SG_F32) v->as.f32 = (float)duk_get_number(ctx, idx);
        else v->as.f64 = duk_get_number(ctx, idx);
        return NULL;
    case SG_BOOL:
        if (!duk_is_boolean(ctx, idx))
            return "a boolean";
        v->as.b = duk_get_boolean(ctx, idx);
        return NULL;
    case SG_STRING: case SG_JSON: {
        if (!duk_is_string(ctx, idx)) /* for json, the prelude's JSON.stringify found no text */
            return t == SG_JSON ? "a JSON text (JSON.stringify makes none of a function or a symbol)" : "a string";
        size_t len, out_len, bad;
        const char *text = duk_get_lstring(ctx, idx, &len);
        *copy = js_utf8(text, len, false, &out_len, &bad);
        if (*copy == NULL)
            return bad == SIZE_MAX ? "a string the heap has room to copy" : "a string without unpaired surrogates";
        v->as.buf.ptr = (const uint8_t *)*copy;
        v->as.buf.len = (uint32_t)out_len;
        return NULL;
    }
    case SG_BYTES: {
        if (!duk_is_buffer_data(ctx, idx))
            return "a Uint8Array, an ArrayBuffer or another buffer";
        duk_size_t size;
        v->as.buf.ptr = duk_get_buffer_data(ctx, idx, &size);
        v->as.buf.len = (uint32_t)size;
        return NULL;
    }
    default:
        return "a known type";
    }
}

static void push_result(duk_context *ctx, const char *name, sg_value r)
{
    switch (r.type) {
    case SG_VOID: duk_push_undefined(ctx); break;
    case SG_I32: duk_push_int(ctx, r.as.i32); break;
    case SG_U32: duk_push_uint(ctx, r.as.u32); break;
    case SG_I64: duk_push_number(ctx, (double)r.as.i64); break;
    case SG_U64: duk_push_number(ctx, (double)r.as.u64); break;
    case SG_F32: duk_push_number(ctx, r.as.f32); break;
    case SG_F64: duk_push_number(ctx, r.as.f64); break;
    case SG_BOOL: duk_push_boolean(ctx, r.as.b); break;
    case SG_STRING: case SG_JSON:
        duk_push_lstring(ctx, (const char *)r.as.buf.ptr, r.as.buf.len);
        break;
    case SG_BYTES:
        memcpy(duk_push_fixed_buffer(ctx, r.as.buf.len), r.as.buf.ptr, r.as.buf.len);
        duk_push_buffer_object(ctx, -1, 0, r.as.buf.len, DUK_BUFOBJ_UINT8ARRAY);
        break;
    default: /* SG_ERROR */
        duk_push_error_object(ctx, DUK_ERR_ERROR, "host function %s failed (code %d): %.*s", name,
                              (int)r.as.error.code, (int)r.as.error.len, r.as.error.message);
        (void)duk_throw(ctx);
    }
}

/* hostCall(name, [type codes], return type code, [arguments]): the prelude has checked the shapes. */
static duk_ret_t native_host_call(duk_context *ctx)
{
    const char *name = duk_require_string(ctx, 0);
    sg_type ret = (sg_type)duk_require_int(ctx, 2);
    struct host_args a = { .count = 0 };
    duk_size_t n = duk_get_length(ctx, 1);
    if (n > SG_MAX_PARAMS)
        return duk_error(ctx, DUK_ERR_TYPE_ERROR, "%s: at most %d arguments", name, SG_MAX_PARAMS);
    for (duk_size_t i = 0; i < n; i++, a.count++) {
        duk_get_prop_index(ctx, 1, (duk_uarridx_t)i);
        duk_get_prop_index(ctx, 3, (duk_uarridx_t)i);
        sg_type t = (sg_type)duk_get_int(ctx, -2);
        const char *problem = host_arg(ctx, -1, t, &a.values[i], &a.copies[i]);
        if (problem != NULL) {
            free_copies(&a);
            return duk_error(ctx, DUK_ERR_TYPE_ERROR, "argument %d of host function %s: expected %s", (int)i, name,
                             problem);
        }
        duk_pop_2(ctx);
    }
    sg_value r = sg_call_host_array(name, ret, a.count, a.values);
    free_copies(&a);
    push_result(ctx, name, r);
    return 1;
}

void js_install_globals(duk_context *ctx)
{
    duk_push_string(ctx, "prelude");
    duk_compile_lstring_filename(ctx, DUK_COMPILE_EVAL, prelude, sizeof prelude - 1);
    duk_call(ctx, 0); /* the function expression */
    duk_push_global_object(ctx);
    duk_push_c_function(ctx, native_log, 2);
    duk_push_c_function(ctx, native_random, 0);
    duk_push_c_function(ctx, native_host_call, 4);
    duk_call(ctx, 4);
    duk_pop(ctx);
}
