/*
 * Init: makes the Duktape heap, defines the globals, evaluates the init input as the script, and registers
 * every function it exported (module.exports, or its alias exports) as name(json, ...) -> json, one json
 * parameter per declared parameter. A call decodes the JSON arguments, calls the function and returns its
 * result as JSON. guests/README.md, "JavaScript functions", is the user's view.
 */
#include <stdio.h>

#include "js.h"

/* Error texts, and the script's file name in its stack traces. */
#define SCRIPT_NAME "script.js"
#define MAX_NAME 255

struct export {
    char *name;
    uint32_t len;
    int arity;
};

static duk_context *ctx;
static struct export exports[SG_MAX_FUNCTIONS];
static int export_count;
/* The result (or error text) of the previous call: it must outlive the call, which writes it out. */
static char *last;

static _Noreturn void fatal(void *udata, const char *message)
{
    (void)udata;
    static char text[256];
    snprintf(text, sizeof text, "the JavaScript engine failed: %s", message);
    sg_abort(SG_ERR_USER, text);
}

/* The error at the top of the stack as UTF-8 text: its stack trace, or its string value. Pops it. */
static char *error_text(void)
{
    size_t out_len, bad;
    const char *text = duk_safe_to_stacktrace(ctx, -1);
    char *copy = js_utf8(text, strlen(text), true, &out_len, &bad);
    duk_pop(ctx);
    return copy;
}

static bool out_of_memory(const char *text)
{
    return text != NULL && strstr(text, "alloc failed") != NULL;
}

static _Noreturn void init_failed(const char *what)
{
    char *text = error_text();
    static char message[4096];
    snprintf(message, sizeof message, "%s: %s", what, text != NULL ? text : "(no room for the message)");
    sg_abort(out_of_memory(text) ? SG_ERR_OUT_OF_MEMORY : SG_ERR_USER, message);
}

/* Records the function on top of the stack (popped) as the export key; the key stays below it. */
static void add_export(duk_idx_t table)
{
    size_t len, out_len, bad;
    const char *key = duk_get_lstring(ctx, -2, &len);
    char *name = js_utf8(key, len, false, &out_len, &bad);
    if (name == NULL || out_len == 0 || out_len > MAX_NAME)
        (void)duk_error(ctx, DUK_ERR_TYPE_ERROR, "export \"%s\": a function's name must be 1 to %d bytes of UTF-8", key,
                  MAX_NAME);
    if (memchr(name, 0, out_len) != NULL) /* registered, it would end at the NUL: another function's name */
        (void)duk_error(ctx, DUK_ERR_TYPE_ERROR, "export \"%s\\u0000...\": a function's name must not contain U+0000",
                        name);
    if (export_count == SG_MAX_FUNCTIONS)
        (void)duk_error(ctx, DUK_ERR_RANGE_ERROR, "more than %d exported functions", SG_MAX_FUNCTIONS);
    duk_get_prop_string(ctx, -1, "length");
    int arity = duk_to_int(ctx, -1);
    duk_pop(ctx);
    if (arity > SG_MAX_PARAMS)
        (void)duk_error(ctx, DUK_ERR_RANGE_ERROR, "export %s declares %d parameters, at most %d", name, arity,
                        SG_MAX_PARAMS);
    duk_put_prop_index(ctx, table, (duk_uarridx_t)export_count);
    exports[export_count++] = (struct export){ name, (uint32_t)out_len, arity < 0 ? 0 : arity };
}

/* Evaluates the script (udata: the init input, if any) and keeps its exported functions in the heap stash. */
static duk_ret_t load(duk_context *c, void *udata)
{
    const sg_value *script = udata;
    js_install_globals(c);
    if (script->as.buf.ptr != NULL) {
        duk_push_string(c, SCRIPT_NAME);
        duk_compile_lstring_filename(c, 0, (const char *)script->as.buf.ptr, script->as.buf.len);
        duk_call(c, 0);
        duk_pop(c);
    }
    duk_push_heap_stash(c);
    duk_push_array(c);
    duk_idx_t table = duk_get_top_index(c);
    duk_get_global_string(c, "module");
    duk_get_prop_string(c, -1, "exports");
    if (duk_is_object(c, -1)) {
        duk_enum(c, -1, DUK_ENUM_OWN_PROPERTIES_ONLY);
        while (duk_next(c, -1, 1)) {
            if (duk_is_function(c, -1))
                add_export(table);
            else
                duk_pop(c);
            duk_pop(c);
        }
        duk_pop(c);
    }
    duk_pop_2(c);
    duk_put_prop_string(c, -2, "exports");
    duk_pop(c);
    return 0;
}

static sg_value call_export(const sg_value *args);

void snapgate_init(void)
{
    js_stack_init();
    ctx = duk_create_heap(NULL, NULL, NULL, NULL, fatal);
    if (ctx == NULL)
        sg_abort(SG_ERR_OUT_OF_MEMORY, "the JavaScript engine does not fit the guest heap");
    sg_value script = sg_bytes(NULL, 0);
    uint32_t len;
    script.as.buf.ptr = sg_init_input(&len);
    script.as.buf.len = script.as.buf.ptr != NULL ? len : 0;
    if (duk_safe_call(ctx, load, &script, 0, 1) != DUK_EXEC_SUCCESS)
        init_failed(SCRIPT_NAME);
    duk_pop(ctx);
    for (int i = 0; i < export_count; i++) {
        /* Extra variadic arguments are ignored: SG_MAX_PARAMS json types cover any arity. */
        _Static_assert(SG_MAX_PARAMS == 16, "one SG_JSON below per parameter an export may declare");
        if (sg_register(exports[i].name, call_export, SG_JSON, exports[i].arity, SG_JSON, SG_JSON, SG_JSON, SG_JSON,
                        SG_JSON, SG_JSON, SG_JSON, SG_JSON, SG_JSON, SG_JSON, SG_JSON, SG_JSON, SG_JSON, SG_JSON,
                        SG_JSON, SG_JSON) != 0)
            sg_abort(SG_ERR_USER, "the script's exports could not be registered");
    }
}

struct call {
    int index;
    const sg_value *args;
};

/* Calls the export with the decoded arguments; leaves its result's JSON text on the stack. */
static duk_ret_t run(duk_context *c, void *udata)
{
    const struct call *call = udata;
    int arity = exports[call->index].arity;
    duk_push_heap_stash(c);
    duk_get_prop_string(c, -1, "exports");
    duk_get_prop_index(c, -1, (duk_uarridx_t)call->index);
    for (int i = 0; i < arity; i++) {
        duk_push_lstring(c, (const char *)call->args[i].as.buf.ptr, call->args[i].as.buf.len);
        duk_json_decode(c, -1);
    }
    duk_call(c, arity);
    duk_json_encode(c, -1);
    if (!duk_is_string(c, -1)) { /* undefined, a function: no JSON text */
        duk_pop(c);
        duk_push_string(c, "null");
    }
    return 1;
}

static int find_export(void)
{
    uint32_t len;
    const char *name = sg_function_name(&len);
    for (int i = 0; name != NULL && i < export_count; i++)
        if (exports[i].len == len && memcmp(exports[i].name, name, len) == 0)
            return i;
    return -1;
}

static sg_value call_export(const sg_value *args)
{
    free(last);
    last = NULL;
    struct call call = { find_export(), args };
    if (call.index < 0)
        return sg_error(SG_ERR_FUNCTION_NOT_FOUND, "no exported function of that name");
    if (duk_safe_call(ctx, run, &call, 0, 1) != DUK_EXEC_SUCCESS) {
        last = error_text();
        if (last == NULL || out_of_memory(last))
            sg_abort(SG_ERR_OUT_OF_MEMORY, "the JavaScript heap is exhausted");
        return sg_error(JS_ERR_THROWN, last);
    }
    size_t len, out_len, bad;
    const char *text = duk_get_lstring(ctx, -1, &len);
    last = js_utf8(text, len, false, &out_len, &bad);
    duk_pop(ctx);
    if (last == NULL) {
        if (bad == SIZE_MAX)
            sg_abort(SG_ERR_OUT_OF_MEMORY, "the JavaScript heap is exhausted");
        static char message[160];
        snprintf(message, sizeof message, "the result has no JSON text: a string in it holds an unpaired surrogate"
                 " or bytes that are not UTF-8 (at byte %zu of its JSON)", bad);
        return sg_error(JS_ERR_RESULT, message);
    }
    return sg_json_n(last, (uint32_t)out_len);
}
