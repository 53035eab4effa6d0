/*
 * The guest the Java tests and benchmarks run. Every function name and
 * signature here is a contract with them; several functions misbehave on
 * purpose (faults, aborts, corrupt frames) to test how the host copes.
 */
#include <snapgate.h>

/* The raw exit and the output buffer, for the functions that forge frames. */
#include "../sdk/runtime/runtime.h"

/*
 * Eight bytes in the code that never run: the gateway's tests make variants of
 * this guest with code digests of their own by overwriting them (GuestVariants
 * finds them by this value), so many tenants' distinct guests need no compiler.
 */
__asm__(".pushsection .text.variant_slot, \"axR\", @progbits\n" /* R: kept by --gc-sections */
        ".balign 8\n"
        "variant_slot: .quad 0x544f4c53544e4156\n" /* "VANTSLOT" */
        ".popsection");

/* echo_<t>(t) -> t: returns its argument. */
static sg_value echo(const sg_value *args)
{
    return args[0];
}

static sg_value noop(const sg_value *args)
{
    (void)args;
    return sg_void();
}

/* State across calls: reset only by a restore. */
static int32_t static_value;

static sg_value add_to_static(const sg_value *args)
{
    static_value += args[0].as.i32;
    return sg_i32(static_value);
}

static sg_value get_static(const sg_value *args)
{
    (void)args;
    return sg_i32(static_value);
}

/* Changes state, then fails: the error must not poison the sandbox. */
static sg_value add_to_static_and_fail(const sg_value *args)
{
    static_value += args[0].as.i32;
    return sg_error(SG_ERR_USER, "add_to_static_and_fail failed on purpose");
}

static sg_value print_output(const sg_value *args)
{
    return sg_call_host_array("print", SG_I32, 1, args);
}

static sg_value add(const sg_value *args)
{
    return sg_call_host_array("host_add", SG_I32, 2, args);
}

/* roundtrip_<t>(t) -> t: host_echo_<t>(arg), so the value crosses the boundary twice more. */
#define ROUNDTRIP(t, type)                                                                  \
    static sg_value roundtrip_##t(const sg_value *args)                                     \
    {                                                                                       \
        return sg_call_host_array("host_echo_" #t, type, 1, args);                             \
    }
ROUNDTRIP(i32, SG_I32)
ROUNDTRIP(u32, SG_U32)
ROUNDTRIP(i64, SG_I64)
ROUNDTRIP(u64, SG_U64)
ROUNDTRIP(f32, SG_F32)
ROUNDTRIP(f64, SG_F64)
ROUNDTRIP(bool, SG_BOOL)
ROUNDTRIP(string, SG_STRING)
ROUNDTRIP(bytes, SG_BYTES)

/* Appends to a fixed buffer, dropping what does not fit. */
typedef struct {
    char buf[1024];
    uint32_t len;
} text;

static void append(text *t, const void *ptr, uint32_t len)
{
    if (len > sizeof t->buf - t->len)
        len = (uint32_t)sizeof t->buf - t->len;
    memcpy(t->buf + t->len, ptr, len);
    t->len += len;
}

static void append_str(text *t, const char *s)
{
    append(t, s, (uint32_t)strlen(s));
}

static void append_int(text *t, int64_t v)
{
    char digits[20];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        append_str(t, "-");
    append(t, digits + sizeof digits - n, (uint32_t)n);
}

/* Calls a host function expected to fail and describes its error: "host error <code>: <message>". */
static sg_value describe_host_failure(const char *name)
{
    static text t;
    sg_value r = sg_call_host(name, SG_I32, 0);
    if (r.type != SG_ERROR)
        return sg_string("no error");
    t.len = 0;
    append_str(&t, "host error ");
    append_int(&t, r.as.error.code);
    append_str(&t, ": ");
    append(&t, r.as.error.message, r.as.error.len);
    return sg_string_n(t.buf, t.len);
}

static sg_value call_failing_host(const sg_value *args)
{
    (void)args;
    return describe_host_failure("host_fail");
}

static sg_value call_missing_host(const sg_value *args)
{
    (void)args;
    return describe_host_failure("no_such_host_function");
}

static sg_value abort_with_code(const sg_value *args)
{
    sg_abort(args[0].as.i32, "");
}

/* A NUL-terminated copy of a string argument, or NULL when the heap is exhausted. */
static char *copy_string(const sg_value *v)
{
    char *s = malloc(v->as.buf.len + (size_t)1);
    if (s != NULL) {
        memcpy(s, v->as.buf.ptr, v->as.buf.len);
        s[v->as.buf.len] = '\0';
    }
    return s;
}

static sg_value abort_with_message(const sg_value *args)
{
    char *message = copy_string(&args[1]);
    sg_abort(args[0].as.i32, message != NULL ? message : "abort_with_message: out of memory");
}

static _Noreturn void spin_forever(void)
{
    for (;;)
        __asm__ volatile("" ::: "memory"); /* keeps the loop from being optimised away */
}

static sg_value spin(const sg_value *args)
{
    (void)args;
    spin_forever();
}

/* Spins until host_clock_ms() has advanced by the argument; returns the number of polls. */
static sg_value spin_for_ms(const sg_value *args)
{
    sg_value start = sg_call_host("host_clock_ms", SG_U64, 0);
    if (start.type == SG_ERROR)
        return start;
    uint64_t polls = 0;
    for (;;) {
        for (volatile uint32_t i = 0; i < 100000; i++)
            ;
        sg_value now = sg_call_host("host_clock_ms", SG_U64, 0);
        if (now.type == SG_ERROR)
            return now;
        polls++;
        if (now.as.u64 - start.as.u64 >= args[0].as.u64)
            return sg_u64(polls);
    }
}

static sg_value call_host_spin(const sg_value *args)
{
    (void)args;
    return sg_call_host("host_spin", SG_I32, 0);
}

/*
 * Recurses until the stack runs into its guard page. The volatile frame is
 * used after the recursive call, so it can be neither a loop nor a tail call;
 * noinline keeps gcc from unrolling the recursion into bigger frames.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static int32_t recurse(int32_t depth)
{
    volatile uint8_t frame[1024];
    frame[0] = (uint8_t)depth;
    return recurse(depth + 1) + frame[0];
}
#pragma GCC diagnostic pop

static sg_value stack_overflow(const sg_value *args)
{
    return sg_i32(recurse(args[0].as.i32));
}

/* recurse's frames, but only while sg_stack_left() says more than margin bytes are left: the depth reached. */
__attribute__((noinline)) static int32_t recurse_to_margin(int32_t depth, uint32_t margin)
{
    volatile uint8_t frame[1024];
    frame[0] = 0;
    if (sg_stack_left() < margin)
        return depth;
    return recurse_to_margin(depth + 1, margin) + frame[0];
}

static sg_value stack_left_recursion(const sg_value *args)
{
    return sg_i32(recurse_to_margin(0, args[0].as.u32));
}

/* Allocates 64 KiB blocks until malloc fails, keeps them all, and reports how far it got. */
static sg_value exhaust_heap(const sg_value *args)
{
    (void)args;
    static text t; /* static: the heap has no room left for the message */
    uint64_t total = 0;
    while (malloc(64 * 1024) != NULL)
        total += 64 * 1024;
    t.len = 0;
    append_str(&t, "heap exhausted after ");
    append_int(&t, (int64_t)total);
    append_str(&t, " bytes");
    append(&t, "", 1); /* sg_error takes a NUL-terminated message */
    return sg_error(SG_ERR_OUT_OF_MEMORY, t.buf);
}

static sg_value malloc_and_free(const sg_value *args)
{
    uint32_t n = args[0].as.u32;
    void *p = malloc(n);
    if (p == NULL)
        return sg_error(SG_ERR_OUT_OF_MEMORY, "malloc_and_free: malloc failed");
    memset(p, 0xab, n);
    free(p);
    return sg_u32(n);
}

/*
 * Arms a data breakpoint on a variable and then writes it: issue 13's reproducer. Unicorn 2.0.1 dies with
 * SIGSEGV inside uc_emu_start on it, which the emulated backend's emulator process contains; on KVM the guest's
 * #DB is a CPU exception like any other.
 */
static sg_value arm_debug_registers(const sg_value *args)
{
    static volatile uint64_t watched;
    (void)args;
    __asm__ volatile("mov %0, %%rax\n\tmov %%rax, %%dr0\n\tmov $3, %%rax\n\tmov %%rax, %%dr7"
                     : : "r"(&watched) : "rax", "memory");
    watched = 1;
    return sg_void();
}

static sg_value invalid_instruction(const sg_value *args)
{
    (void)args;
    __asm__ volatile("ud2");
    return sg_void();
}

static sg_value divide_by_zero(const sg_value *args)
{
    volatile int32_t divisor = args[0].as.i32; /* volatile: the compiler must emit the idiv */
    return sg_i32(100 / divisor);
}

static sg_value read_address(const sg_value *args)
{
    return sg_u64(*(volatile uint64_t *)(uintptr_t)args[0].as.u64);
}

static sg_value write_address(const sg_value *args)
{
    *(volatile uint64_t *)(uintptr_t)args[0].as.u64 = 0x5a;
    return sg_void();
}

static sg_value write_to_code(const sg_value *args)
{
    (void)args;
    *(volatile uint8_t *)(uintptr_t)&write_to_code = 0xc3;
    return sg_void();
}

/* Leaves through port 0x99, which the ABI does not define. */
static sg_value out_unknown_port(const sg_value *args)
{
    (void)args;
    sg_exit(0x99, 0);
    return sg_void();
}

static sg_value big_in(const sg_value *args)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < args[0].as.buf.len; i++)
        sum += args[0].as.buf.ptr[i];
    return sg_u64(sum);
}

/* big_out(n) -> n bytes where byte i is (i * 7) & 0xff. */
static sg_value big_out(const sg_value *args)
{
    static uint8_t *last; /* the previous result, freed on the next call */
    uint32_t n = args[0].as.u32;
    uint8_t *out = malloc(n);
    if (out == NULL)
        return sg_error(SG_ERR_OUT_OF_MEMORY, "big_out: malloc failed");
    for (uint32_t i = 0; i < n; i++)
        out[i] = (uint8_t)(i * 7);
    free(last);
    last = out;
    return sg_bytes(out, n);
}

/* Ends the call with a raw result frame, bypassing the encoder. */
static void exit_with_frame(uint32_t len, const uint8_t *payload, uint32_t payload_len)
{
    memcpy(sg_layout.output, &len, sizeof len);
    memcpy(sg_layout.output + SG_FRAME_HEADER, payload, payload_len);
    sg_exit(SG_PORT_DONE, 0);
}

static sg_value corrupt_result_length(const sg_value *args)
{
    (void)args;
    exit_with_frame(0xFFFFFFF0u, (const uint8_t *)"", 0);
    return sg_void();
}

static sg_value corrupt_result_payload(const sg_value *args)
{
    (void)args;
    static const uint8_t never_used[] = { 0xc1, 0xc1, 0xc1 };
    exit_with_frame(sizeof never_used, never_used, sizeof never_used);
    return sg_void();
}

static sg_value next_random(const sg_value *args)
{
    (void)args;
    return sg_u64(sg_next_random());
}

static sg_value log_message(const sg_value *args)
{
    char *message = copy_string(&args[1]);
    if (message == NULL)
        return sg_error(SG_ERR_OUT_OF_MEMORY, "log_message: out of memory");
    sg_log(args[0].as.i32, message);
    free(message);
    return sg_void();
}

/* Calls host_add(n, 1) n times; returns the last result (0 when n <= 0). */
static sg_value host_call_count(const sg_value *args)
{
    int32_t n = args[0].as.i32;
    sg_value last = sg_i32(0);
    for (int32_t i = 0; i < n; i++) {
        last = sg_call_host("host_add", SG_I32, 2, sg_i32(n), sg_i32(1));
        if (last.type == SG_ERROR)
            break;
    }
    return last;
}

/* 1 MiB of zeroed pages that dirty_pages and dirty_memory write. */
static uint8_t pages[256][4096];

/* Writes one byte in each of n distinct pages (at most 256) of pages. */
static sg_value dirty_pages(const sg_value *args)
{
    uint32_t n = args[0].as.u32 < 256 ? args[0].as.u32 : 256;
    for (uint32_t i = 0; i < n; i++)
        ((volatile uint8_t *)pages[i])[0]++;
    return sg_u32(n);
}

/* log_flood(n, len): n ERROR lines of len bytes (at most 4095) each, as fast as the guest can; returns n. */
static sg_value log_flood(const sg_value *args)
{
    static char line[4096];
    uint32_t len = args[1].as.u32 < sizeof line ? args[1].as.u32 : (uint32_t)sizeof line - 1;
    memset(line, 'x', len);
    line[len] = '\0';
    for (uint32_t i = 0; i < args[0].as.u32; i++)
        sg_log(SG_LOG_ERROR, line);
    return sg_u32(args[0].as.u32);
}

/* print_flood(n, len): the same through the host function print; returns the bytes print reported. */
static sg_value print_flood(const sg_value *args)
{
    static char line[4096];
    uint32_t len = args[1].as.u32 < sizeof line ? args[1].as.u32 : (uint32_t)sizeof line;
    memset(line, 'p', len);
    uint64_t total = 0;
    for (uint32_t i = 0; i < args[0].as.u32; i++) {
        sg_value r = sg_call_host("print", SG_I32, 1, sg_string_n(line, len));
        if (r.type == SG_ERROR)
            return r;
        total += (uint64_t)r.as.i32;
    }
    return sg_u64(total);
}

/*
 * Writes every page of guest memory it can reach: every heap page (allocated
 * in blocks until malloc fails, then freed again, so the heap stays usable)
 * and every page of pages. Returns the bytes written.
 */
static sg_value dirty_memory(const sg_value *args)
{
    (void)args;
    uint64_t written = 0;
    void *blocks = NULL; /* the allocated blocks, chained through their first word */
    for (size_t size = 64 * 1024; size >= 64; size /= 4) {
        void *p;
        while ((p = malloc(size)) != NULL) {
            memset(p, 0xd1, size);
            *(void **)p = blocks;
            blocks = p;
            written += size;
        }
    }
    while (blocks != NULL) {
        void *next = *(void **)blocks;
        free(blocks);
        blocks = next;
    }
    for (uint32_t i = 0; i < 256; i++)
        ((volatile uint8_t *)pages[i])[0]++;
    return sg_u64(written + sizeof pages);
}

void snapgate_init(void)
{
    sg_register("echo_i32", echo, SG_I32, 1, SG_I32);
    sg_register("echo_u32", echo, SG_U32, 1, SG_U32);
    sg_register("echo_i64", echo, SG_I64, 1, SG_I64);
    sg_register("echo_u64", echo, SG_U64, 1, SG_U64);
    sg_register("echo_f32", echo, SG_F32, 1, SG_F32);
    sg_register("echo_f64", echo, SG_F64, 1, SG_F64);
    sg_register("echo_bool", echo, SG_BOOL, 1, SG_BOOL);
    sg_register("echo_string", echo, SG_STRING, 1, SG_STRING);
    sg_register("echo_bytes", echo, SG_BYTES, 1, SG_BYTES);
    sg_register("noop", noop, SG_VOID, 0);

    sg_register("add_to_static", add_to_static, SG_I32, 1, SG_I32);
    sg_register("get_static", get_static, SG_I32, 0);
    sg_register("add_to_static_and_fail", add_to_static_and_fail, SG_I32, 1, SG_I32);

    sg_register("print_output", print_output, SG_I32, 1, SG_STRING);
    sg_register("add", add, SG_I32, 2, SG_I32, SG_I32);
    sg_register("roundtrip_i32", roundtrip_i32, SG_I32, 1, SG_I32);
    sg_register("roundtrip_u32", roundtrip_u32, SG_U32, 1, SG_U32);
    sg_register("roundtrip_i64", roundtrip_i64, SG_I64, 1, SG_I64);
    sg_register("roundtrip_u64", roundtrip_u64, SG_U64, 1, SG_U64);
    sg_register("roundtrip_f32", roundtrip_f32, SG_F32, 1, SG_F32);
    sg_register("roundtrip_f64", roundtrip_f64, SG_F64, 1, SG_F64);
    sg_register("roundtrip_bool", roundtrip_bool, SG_BOOL, 1, SG_BOOL);
    sg_register("roundtrip_string", roundtrip_string, SG_STRING, 1, SG_STRING);
    sg_register("roundtrip_bytes", roundtrip_bytes, SG_BYTES, 1, SG_BYTES);
    sg_register("call_failing_host", call_failing_host, SG_STRING, 0);
    sg_register("call_missing_host", call_missing_host, SG_STRING, 0);

    sg_register("abort_with_code", abort_with_code, SG_VOID, 1, SG_I32);
    sg_register("abort_with_message", abort_with_message, SG_VOID, 2, SG_I32, SG_STRING);
    sg_register("spin", spin, SG_VOID, 0);
    sg_register("spin_for_ms", spin_for_ms, SG_U64, 1, SG_U64);
    sg_register("call_host_spin", call_host_spin, SG_I32, 0);
    sg_register("stack_overflow", stack_overflow, SG_I32, 1, SG_I32);
    sg_register("stack_left_recursion", stack_left_recursion, SG_I32, 1, SG_U32);
    sg_register("exhaust_heap", exhaust_heap, SG_U64, 0);
    sg_register("malloc_and_free", malloc_and_free, SG_U32, 1, SG_U32);
    sg_register("invalid_instruction", invalid_instruction, SG_VOID, 0);
    sg_register("arm_debug_registers", arm_debug_registers, SG_VOID, 0);
    sg_register("divide_by_zero", divide_by_zero, SG_I32, 1, SG_I32);
    sg_register("read_address", read_address, SG_U64, 1, SG_U64);
    sg_register("write_address", write_address, SG_VOID, 1, SG_U64);
    sg_register("write_to_code", write_to_code, SG_VOID, 0);
    sg_register("out_unknown_port", out_unknown_port, SG_VOID, 0);

    sg_register("big_in", big_in, SG_U64, 1, SG_BYTES);
    sg_register("big_out", big_out, SG_BYTES, 1, SG_U32);
    sg_register("corrupt_result_length", corrupt_result_length, SG_VOID, 0);
    sg_register("corrupt_result_payload", corrupt_result_payload, SG_VOID, 0);
    sg_register("next_random", next_random, SG_U64, 0);
    sg_register("log_message", log_message, SG_VOID, 2, SG_I32, SG_STRING);
    sg_register("host_call_count", host_call_count, SG_I32, 1, SG_I32);
    sg_register("dirty_pages", dirty_pages, SG_U32, 1, SG_U32);
    sg_register("log_flood", log_flood, SG_U32, 2, SG_U32, SG_U32);
    sg_register("print_flood", print_flood, SG_U64, 2, SG_U32, SG_U32);
    sg_register("dirty_memory", dirty_memory, SG_U64, 0);
}
