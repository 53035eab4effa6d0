/*
 * NAME: a snapgate guest. Build it, deploy it as a snapshot and call it:
 *
 *     snapgate guest build NAME.c -o NAME.elf
 *     snapgate build --tag NAME NAME.elf
 *     snapgate call NAME greet world
 *
 * <snapgate.h> is the SDK's API; the C library is musl's, and what printf writes reaches the guest log.
 */
#include <stdio.h>

#include <snapgate.h>

/* greet(string) -> string: "Hello, <who>!" */
static sg_value greet(const sg_value *args)
{
    static char text[256]; /* a result must outlive the call: static or heap memory, never the stack */
    int who_len = (int)args[0].as.buf.len;
    const char *who = (const char *)args[0].as.buf.ptr;
    int len = snprintf(text, sizeof text, "Hello, %.*s!", who_len, who);
    printf("greeting %.*s\n", who_len, who);
    return sg_string_n(text, len < (int)sizeof text ? (uint32_t)len : (uint32_t)sizeof text - 1);
}

/* Runs once, when a sandbox is built from the ELF: registers the functions callers may call. */
void snapgate_init(void)
{
    sg_register("greet", greet, SG_STRING, 1, SG_STRING);
}
