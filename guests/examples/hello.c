/* A small demo guest: strings, numbers, bytes and state that lives across calls. */
#include <snapgate.h>

/* greet(string) -> string: "Hello, <name>!" */
static sg_value greet(const sg_value *args)
{
    static char *last; /* the previous greeting, freed on the next call */
    static const char hello[] = "Hello, ";
    uint32_t name_len = args[0].as.buf.len;
    uint32_t len = (uint32_t)(sizeof hello - 1) + name_len + 1;
    char *s = malloc(len);
    if (s == NULL)
        return sg_error(SG_ERR_OUT_OF_MEMORY, "greet: out of memory");
    memcpy(s, hello, sizeof hello - 1);
    memcpy(s + sizeof hello - 1, args[0].as.buf.ptr, name_len);
    s[len - 1] = '!';
    free(last);
    last = s;
    return sg_string_n(s, len);
}

/* add(i32, i32) -> i32, wrapping on overflow. */
static sg_value add(const sg_value *args)
{
    return sg_i32((int32_t)((uint32_t)args[0].as.i32 + (uint32_t)args[1].as.i32));
}

/* fib(u32) -> u64: the n-th Fibonacci number (wraps past fib(93)). */
static sg_value fib(const sg_value *args)
{
    uint64_t a = 0, b = 1;
    for (uint32_t i = 0; i < args[0].as.u32; i++) {
        uint64_t next = a + b;
        a = b;
        b = next;
    }
    return sg_u64(a);
}

/* reverse(bytes) -> bytes */
static sg_value reverse(const sg_value *args)
{
    static uint8_t *last;
    uint32_t len = args[0].as.buf.len;
    uint8_t *out = malloc(len);
    if (out == NULL)
        return sg_error(SG_ERR_OUT_OF_MEMORY, "reverse: out of memory");
    for (uint32_t i = 0; i < len; i++)
        out[i] = args[0].as.buf.ptr[len - 1 - i];
    free(last);
    last = out;
    return sg_bytes(out, len);
}

/* count(i32) -> i32: adds to a counter kept across calls (until a restore). */
static sg_value count(const sg_value *args)
{
    static int32_t counter;
    counter += args[0].as.i32;
    return sg_i32(counter);
}

void snapgate_init(void)
{
    sg_register("greet", greet, SG_STRING, 1, SG_STRING);
    sg_register("add", add, SG_I32, 2, SG_I32, SG_I32);
    sg_register("fib", fib, SG_U64, 1, SG_U32);
    sg_register("reverse", reverse, SG_BYTES, 1, SG_BYTES);
    sg_register("count", count, SG_I32, 1, SG_I32);
}
