/*
 * snapgate guest SDK: the public API for functions that run inside a snapgate
 * micro-VM. No OS: the C library is musl with the SDK underneath (guests/README.md
 * says what works). The wire format and exits behind this API are specified in
 * docs/abi.md.
 */
#ifndef SNAPGATE_H
#define SNAPGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Value types; the codes are the ABI's type codes. SG_ERROR is SDK-only. */
typedef enum {
    SG_VOID = 0,   /* return type only */
    SG_I32 = 1,
    SG_U32 = 2,
    SG_I64 = 3,
    SG_U64 = 4,
    SG_F32 = 5,
    SG_F64 = 6,
    SG_BOOL = 7,
    SG_STRING = 8, /* UTF-8 */
    SG_BYTES = 9,
    SG_JSON = 10,  /* one JSON text (RFC 8259), UTF-8: any JSON value; the host checks it both ways */
    SG_ERROR = 255 /* an error in place of a value (see sg_error) */
} sg_type;

/* Error codes of `[1, [code, message]]` results and of SG_ERROR values. */
enum {
    SG_ERR_FUNCTION_NOT_FOUND = 1,
    SG_ERR_WRONG_ARGUMENT_COUNT = 2,
    SG_ERR_ARGUMENT_TYPE_MISMATCH = 3,
    SG_ERR_OUT_OF_MEMORY = 4,
    SG_ERR_HOST_FUNCTION_ERROR = 5,
    SG_ERR_MALFORMED_FRAME = 6,
    SG_ERR_RESULT_TOO_LARGE = 7,
    SG_ERR_USER = 64 /* first code free for guests */
};

/* Log levels for sg_log. */
enum {
    SG_LOG_TRACE = 0,
    SG_LOG_DEBUG = 1,
    SG_LOG_INFO = 2,
    SG_LOG_WARN = 3,
    SG_LOG_ERROR = 4
};

/*
 * A typed value. Strings and bytes are (pointer, length) views, never
 * NUL-terminated. Arguments point into the input buffer and stay valid for the
 * whole call; string/bytes results of sg_call_host stay valid until the next
 * host call. A function's result is encoded after it returns, so what it
 * points to must not live on the function's stack: use static or heap memory,
 * or the arguments.
 */
typedef struct sg_value {
    sg_type type;
    union {
        int32_t i32;
        uint32_t u32;
        int64_t i64;
        uint64_t u64;
        float f32;
        double f64;
        bool b;
        struct {
            const uint8_t *ptr;
            uint32_t len;
        } buf; /* SG_STRING, SG_BYTES and SG_JSON */
        struct {
            int32_t code;
            const char *message; /* not NUL-terminated: use len */
            uint32_t len;
        } error; /* SG_ERROR */
    } as;
} sg_value;

/* A guest function: args holds exactly the registered parameters, already type-checked. */
typedef sg_value (*sg_function)(const sg_value *args);

/* Provided by the guest: called once at init to register its functions. */
void snapgate_init(void);

/* The most functions a guest registers, and the most parameters of one (a host function's too). */
#define SG_MAX_FUNCTIONS 128
#define SG_MAX_PARAMS 16

/*
 * Registers fn under name (which must stay valid: a string literal is fine),
 * with nparams (at most SG_MAX_PARAMS) parameter types passed as sg_type varargs.
 * Only allowed inside snapgate_init. Returns 0, or -1 on a full table (of
 * SG_MAX_FUNCTIONS), a duplicate name, a bad type or a call after init.
 */
int sg_register(const char *name, sg_function fn, sg_type ret, int nparams, ...);

/*
 * Calls the host function name with nargs (at most SG_MAX_PARAMS) sg_value varargs and waits for its
 * reply. Returns a value of type ret, or an SG_ERROR value: the host's error,
 * SG_ERR_HOST_FUNCTION_ERROR when the reply has another type, and
 * SG_ERR_RESULT_TOO_LARGE when the call does not fit the output buffer.
 */
sg_value sg_call_host(const char *name, sg_type ret, int nargs, ...);
/* The same with the nargs arguments in an array: cheaper, as no argument is copied. */
sg_value sg_call_host_array(const char *name, sg_type ret, int nargs, const sg_value *args);

/* An error result: a function returns it to fail the call without crashing. */
sg_value sg_error(int32_t code, const char *message);

/* Ends the call and poisons the sandbox; message is truncated to fit the output buffer. */
_Noreturn void sg_abort(int32_t code, const char *message);

/* Sends a log line to the host (level SG_LOG_TRACE..SG_LOG_ERROR) and continues. */
void sg_log(int level, const char *message);

/* The next number of the sandbox's random stream (reseeded by the host on every restore). */
uint64_t sg_next_random(void);

/*
 * The init input: bytes the host hands the guest's init (a script a runtime guest evaluates, for
 * example), len set to their count. NULL when the build gave none, and outside snapgate_init.
 */
const uint8_t *sg_init_input(uint32_t *len);

/*
 * The name of the function being called (len bytes, not NUL-terminated; valid until the call
 * returns): lets one C function serve many registered names. NULL outside a call.
 */
const char *sg_function_name(uint32_t *len);

/*
 * Bytes of stack left below the caller's frame, down to the guard page under the stack (docs/abi.md):
 * a deep recursion checks it to fail with an error of its own instead of faulting on the guard page,
 * which aborts the call.
 */
size_t sg_stack_left(void);

/*
 * malloc, free, calloc and realloc (<stdlib.h>) are the SDK's heap over the region the host reserved:
 * malloc returns NULL when it is exhausted. memcpy, memmove, memset, memcmp, strlen, strcmp and strncmp
 * (<string.h>) are the SDK's too, tuned for the emulated vCPU; the rest of the C library is musl's.
 */

/* Value constructors. */
static inline sg_value sg_void(void) { return (sg_value){ .type = SG_VOID }; }
static inline sg_value sg_i32(int32_t x) { return (sg_value){ .type = SG_I32, .as.i32 = x }; }
static inline sg_value sg_u32(uint32_t x) { return (sg_value){ .type = SG_U32, .as.u32 = x }; }
static inline sg_value sg_i64(int64_t x) { return (sg_value){ .type = SG_I64, .as.i64 = x }; }
static inline sg_value sg_u64(uint64_t x) { return (sg_value){ .type = SG_U64, .as.u64 = x }; }
static inline sg_value sg_f32(float x) { return (sg_value){ .type = SG_F32, .as.f32 = x }; }
static inline sg_value sg_f64(double x) { return (sg_value){ .type = SG_F64, .as.f64 = x }; }
static inline sg_value sg_bool(bool x) { return (sg_value){ .type = SG_BOOL, .as.b = x }; }

/* A string of len bytes at ptr (UTF-8, no terminator needed). */
static inline sg_value sg_string_n(const char *ptr, uint32_t len)
{
    return (sg_value){ .type = SG_STRING, .as.buf = { (const uint8_t *)ptr, len } };
}

/* A string from a NUL-terminated C string (the terminator is not sent). */
static inline sg_value sg_string(const char *s) { return sg_string_n(s, (uint32_t)strlen(s)); }

static inline sg_value sg_bytes(const void *ptr, uint32_t len)
{
    return (sg_value){ .type = SG_BYTES, .as.buf = { (const uint8_t *)ptr, len } };
}

/* A JSON text of len bytes at ptr; the host refuses one that is not valid JSON in UTF-8. */
static inline sg_value sg_json_n(const char *ptr, uint32_t len)
{
    return (sg_value){ .type = SG_JSON, .as.buf = { (const uint8_t *)ptr, len } };
}

#endif
