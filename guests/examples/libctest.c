/*
 * The guest the C library tests call (vmm-worker's SandboxLibcTest): one function per area of libc a
 * guest may use. Most answer with a string the test compares whole, so every name and signature here is
 * a contract with that test.
 */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <snapgate.h>

/* Results are encoded after a function returns, so they live here rather than on its stack. */
static char out[2048];

/* A NUL-terminated copy of a string argument in `in`, cut to fit. */
static char in[1024];

static const char *arg(const sg_value *v)
{
    uint32_t len = v->as.buf.len < sizeof in - 1 ? v->as.buf.len : (uint32_t)sizeof in - 1;
    memcpy(in, v->as.buf.ptr, len);
    in[len] = '\0';
    return in;
}

/* Appends to `out` with vsnprintf; `out` is cut when full. */
static size_t used;

static void append(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(out + used, sizeof out - used, format, ap);
    va_end(ap);
    if (n > 0)
        used = used + (size_t)n < sizeof out ? used + (size_t)n : sizeof out - 1;
}

static sg_value result(void)
{
    sg_value v = sg_string_n(out, (uint32_t)used);
    used = 0;
    return v;
}

/* format_f64(f64) -> string: the number through several printf conversions. */
static sg_value format_f64(const sg_value *args)
{
    double x = args[0].as.f64;
    append("%.3f|%e|%g|%10.2f|%-8.1f|%+.0f|%a", x, x, x, x, x, x, x);
    return result();
}

/* format_mixed() -> string: integers, strings, characters, widths, long double and truncation. */
static sg_value format_mixed(const sg_value *args)
{
    (void)args;
    char small[6];
    int wanted = snprintf(small, sizeof small, "%s", "truncated");
    append("%d|%5d|%-5d|%05d|%x|%#o|%llu|%ld|%c|%.2s|%5s|%%|%Lf|%s:%d|%zu", -42, 42, 42, 42, 255U, 8U,
           18446744073709551615ULL, -9000000000L, 'z', "abc", "ab", 1.5L, small, wanted, sizeof(long));
    return result();
}

/* parse_f64(string) -> string: strtod's value (%.17g) and what it left unread. */
static sg_value parse_f64(const sg_value *args)
{
    char *end;
    errno = 0;
    double x = strtod(arg(&args[0]), &end);
    append("%.17g|%s|%d", x, end, errno);
    return result();
}

/* parse_long(string, i32 base) -> string: strtol's value, what it left unread and errno. */
static sg_value parse_long(const sg_value *args)
{
    char *end;
    errno = 0;
    long x = strtol(arg(&args[0]), &end, args[1].as.i32);
    append("%ld|%s|%d", x, end, errno);
    return result();
}

/* parse_numbers(string) -> string: the other conversions of <stdlib.h> on one input. */
static sg_value parse_numbers(const sg_value *args)
{
    const char *s = arg(&args[0]);
    append("%d|%ld|%lld|%lu|%llu|%g|%g", atoi(s), atol(s), strtoll(s, NULL, 0), strtoul(s, NULL, 0),
           strtoull(s, NULL, 0), atof(s), (double)strtof(s, NULL));
    return result();
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* sort_ints(string) -> string: comma-separated integers, sorted by qsort. */
static int numbers[256];

static size_t read_ints(const char *s)
{
    size_t n = 0;
    char *end;
    while (n < sizeof numbers / sizeof numbers[0]) {
        long v = strtol(s, &end, 10);
        if (end == s)
            break;
        numbers[n++] = (int)v;
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

static sg_value sort_ints(const sg_value *args)
{
    size_t n = read_ints(arg(&args[0]));
    qsort(numbers, n, sizeof numbers[0], compare_ints);
    for (size_t i = 0; i < n; i++)
        append(i == 0 ? "%d" : ",%d", numbers[i]);
    return result();
}

/* find_int(string, i32) -> i32: bsearch's index of the key in sorted comma-separated integers, or -1. */
static sg_value find_int(const sg_value *args)
{
    size_t n = read_ints(arg(&args[0]));
    int *hit = bsearch(&args[1].as.i32, numbers, n, sizeof numbers[0], compare_ints);
    return sg_i32(hit == NULL ? -1 : (int32_t)(hit - numbers));
}

/* divide(i32, i32) -> string: div, ldiv, abs and labs. */
static sg_value divide(const sg_value *args)
{
    div_t d = div(args[0].as.i32, args[1].as.i32);
    ldiv_t l = ldiv(args[0].as.i32, args[1].as.i32);
    append("%d %d|%ld %ld|%d|%ld|%lld", d.quot, d.rem, l.quot, l.rem, abs(args[0].as.i32), labs(args[1].as.i32),
           llabs((long long)args[0].as.i32 * 1000000));
    return result();
}

/* seeded_rand(u32) -> string: three rand() values after srand(seed). */
static sg_value seeded_rand(const sg_value *args)
{
    srand(args[0].as.u32);
    int a = rand(), b = rand(), c = rand();
    append("%d,%d,%d", a, b, c);
    return result();
}

/* rand_value() -> i32: the next rand() of this sandbox. */
static sg_value rand_value(const sg_value *args)
{
    (void)args;
    return sg_i32(rand());
}

/* scan(string) -> string: sscanf of "<int> <double> <word> <hex>" and the number of fields it filled. */
static sg_value scan(const sg_value *args)
{
    int n = 0;
    double d = 0;
    char word[16] = "";
    unsigned hex = 0;
    int filled = sscanf(arg(&args[0]), "%d %lf %15s %x", &n, &d, word, &hex);
    append("%d|%d|%.3f|%s|%u", filled, n, d, word, hex);
    return result();
}

/* print_lines() -> void: writes to stdout and stderr every way; the lines reach the guest log. */
static sg_value print_lines(const sg_value *args)
{
    (void)args;
    printf("printf %d %s\n", 42, "stdout");
    puts("puts line");
    fputs("fputs ", stdout);
    putchar('+');
    fputc(' ', stdout);
    fwrite("fwrite\n", 1, 7, stdout);
    fprintf(stderr, "stderr %s", "warning");
    fprintf(stderr, " continued\n");
    write(1, "write(1) line\n", 14);
    printf("two\nlines\n");
    printf("no newline at the end");
    return sg_void();
}

/* print_long(u32 n) -> void: one line of n letters (at most 4096) on stdout. */
static sg_value print_long(const sg_value *args)
{
    for (uint32_t i = 0; i < args[0].as.u32 && i < 4096; i++)
        putchar('a' + i % 26);
    putchar('\n');
    return sg_void();
}

/* math1(string name, f64) -> f64 and math2(string name, f64, f64) -> f64: <math.h> by name. */
static const struct {
    const char *name;
    double (*fn)(double);
} unary[] = {
    { "sqrt", sqrt }, { "cbrt", cbrt }, { "sin", sin }, { "cos", cos }, { "tan", tan }, { "asin", asin },
    { "acos", acos }, { "atan", atan }, { "sinh", sinh }, { "cosh", cosh }, { "tanh", tanh }, { "exp", exp },
    { "exp2", exp2 }, { "expm1", expm1 }, { "log", log }, { "log2", log2 }, { "log10", log10 },
    { "log1p", log1p }, { "floor", floor }, { "ceil", ceil }, { "round", round }, { "trunc", trunc },
    { "fabs", fabs }, { "erf", erf }, { "tgamma", tgamma }, { "lgamma", lgamma }, { "rint", rint },
};
static const struct {
    const char *name;
    double (*fn)(double, double);
} binary[] = {
    { "pow", pow }, { "atan2", atan2 }, { "fmod", fmod }, { "hypot", hypot }, { "fmax", fmax },
    { "fmin", fmin }, { "remainder", remainder }, { "copysign", copysign },
};

static sg_value math1(const sg_value *args)
{
    const char *name = arg(&args[0]);
    for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++)
        if (strcmp(unary[i].name, name) == 0)
            return sg_f64(unary[i].fn(args[1].as.f64));
    return sg_error(SG_ERR_USER, "math1: no such function");
}

static sg_value math2(const sg_value *args)
{
    const char *name = arg(&args[0]);
    for (size_t i = 0; i < sizeof binary / sizeof binary[0]; i++)
        if (strcmp(binary[i].name, name) == 0)
            return sg_f64(binary[i].fn(args[1].as.f64, args[2].as.f64));
    return sg_error(SG_ERR_USER, "math2: no such function");
}

/* jump(i32 depth) -> string: longjmp out of `depth` nested calls; locals declared volatile survive. */
static jmp_buf env;

static int dive(int depth)
{
    if (depth < 0)
        return 0;
    if (depth == 0)
        longjmp(env, 7);
    return dive(depth - 1) + 1; /* not a tail call: the frames really nest */
}

static sg_value jump(const sg_value *args)
{
    volatile int before = 1;
    int value = setjmp(env);
    if (value == 0) {
        before = 2;
        dive(args[0].as.i32);
        return sg_error(SG_ERR_USER, "jump: longjmp did not jump");
    }
    append("setjmp returned %d, before=%d", value, before);
    return result();
}

/* What an OS call left: "ENOSYS" or the errno value, or "ok" when it did not fail. */
static const char *failure(bool failed, int error)
{
    static char text[16];
    if (!failed)
        return "ok";
    if (error == ENOSYS)
        return "ENOSYS";
    snprintf(text, sizeof text, "errno %d", error);
    return text;
}

#define CHECK(name, failed_when)                                      \
    do {                                                              \
        errno = 0;                                                    \
        bool failed_ = (failed_when);                                 \
        append("%s%s=%s", used == 0 ? "" : " ", name, failure(failed_, errno)); \
    } while (0)

static void *thread_body(void *arg)
{
    return arg;
}

static void on_signal(int sig)
{
    (void)sig;
}

/* os_calls() -> string: what needs an OS, each call's outcome. */
static sg_value os_calls(const sg_value *args)
{
    (void)args;
    char buf[16];
    pthread_t thread;
    struct timespec nap = { 0, 1000 };
    CHECK("fopen", fopen("/etc/passwd", "r") == NULL);
    CHECK("open", open("/etc/passwd", 0) < 0);
    CHECK("read", read(0, buf, sizeof buf) < 0);
    CHECK("opendir", opendir("/") == NULL);
    CHECK("remove", remove("/tmp/x") != 0);
    CHECK("socket", socket(AF_INET, SOCK_STREAM, 0) < 0);
    CHECK("fork", fork() < 0);
    CHECK("system", system("ls") != 0);
    CHECK("signal", signal(SIGINT, on_signal) == SIG_ERR);
    CHECK("raise", raise(SIGTERM) != 0);
    CHECK("nanosleep", nanosleep(&nap, NULL) != 0);
    int rc = pthread_create(&thread, NULL, thread_body, NULL);
    append(" pthread_create=%s", failure(rc != 0, rc));
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    append(" mutex=%d,%d", pthread_mutex_lock(&lock), pthread_mutex_unlock(&lock));
    append(" strerror=%s", strerror(ENOSYS));
    return result();
}

/* fopen_errno(string path) -> i32: errno after fopen(path) fails. */
static sg_value fopen_errno(const sg_value *args)
{
    errno = 0;
    FILE *f = fopen(arg(&args[0]), "r");
    if (f != NULL)
        return sg_error(SG_ERR_USER, "fopen_errno: fopen succeeded");
    return sg_i32(errno);
}

/* classify(string) -> string: <ctype.h> on every byte, and the text in upper and lower case. */
static sg_value classify(const sg_value *args)
{
    const char *s = arg(&args[0]);
    int alpha = 0, digit = 0, space = 0, punct = 0, upper = 0, xdigit = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        alpha += isalpha(*p) != 0;
        digit += isdigit(*p) != 0;
        space += isspace(*p) != 0;
        punct += ispunct(*p) != 0;
        upper += isupper(*p) != 0;
        xdigit += isxdigit(*p) != 0;
    }
    append("alpha=%d digit=%d space=%d punct=%d upper=%d xdigit=%d|", alpha, digit, space, punct, upper, xdigit);
    for (const char *p = s; *p != '\0'; p++)
        append("%c", toupper((unsigned char)*p));
    append("|");
    for (const char *p = s; *p != '\0'; p++)
        append("%c", tolower((unsigned char)*p));
    return result();
}

/* strings(string) -> string: <string.h> beyond what the SDK has. */
static sg_value strings(const sg_value *args)
{
    char *copy = strdup(arg(&args[0]));
    if (copy == NULL)
        return sg_error(SG_ERR_OUT_OF_MEMORY, "strings: out of memory");
    char *save = NULL;
    for (char *word = strtok_r(copy, " ,", &save); word != NULL; word = strtok_r(NULL, " ,", &save))
        append("[%s]", word);
    const char *s = arg(&args[0]);
    const char *comma = strchr(s, ','), *last_o = strrchr(s, 'o'), *world = strstr(s, "world");
    append("|%td|%td|%td|%zu|%zu|", comma == NULL ? -1 : comma - s, last_o == NULL ? -1 : last_o - s,
           world == NULL ? -1 : world - s, strspn(s, "abcdefghijklmnopqrstuvwxyz"), strcspn(s, ","));
    char joined[32] = "ab";
    strncat(joined, "cdef", 2);
    append("%s|%d|%d", joined, strcasecmp("HeLLo", "hello"), strncmp("abc", "abd", 2));
    free(copy);
    return result();
}

/* wall_clock() -> string: time(), gettimeofday() and clock_gettime(REALTIME) in seconds, as "t|t|t". */
static sg_value wall_clock(const sg_value *args)
{
    (void)args;
    struct timeval tv;
    struct timespec ts;
    time_t t = time(NULL);
    gettimeofday(&tv, NULL);
    clock_gettime(CLOCK_REALTIME, &ts);
    append("%lld|%lld|%lld", (long long)t, (long long)tv.tv_sec, (long long)ts.tv_sec);
    return result();
}

/* monotonic_ns(u32 spins) -> i64: monotonic nanoseconds across a busy loop of `spins` iterations. */
static sg_value monotonic_ns(const sg_value *args)
{
    struct timespec a, b;
    if (clock_gettime(CLOCK_MONOTONIC, &a) != 0)
        return sg_error(SG_ERR_USER, "clock_gettime failed");
    for (volatile uint32_t i = 0; i < args[0].as.u32; i++)
        ;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return sg_i64((int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec));
}

/* format_time(i64 seconds since 1970) -> string: gmtime_r, strftime, asctime_r and mktime's round trip. */
static sg_value format_time(const sg_value *args)
{
    time_t t = (time_t)args[0].as.i64;
    struct tm tm;
    char date[64], text[32];
    if (gmtime_r(&t, &tm) == NULL)
        return sg_error(SG_ERR_USER, "gmtime_r failed");
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %a %j", &tm);
    char *ascii = asctime_r(&tm, text);
    append("%s|%s|%lld", date, ascii == NULL ? strerror(errno) : strtok(ascii, "\n"), (long long)timegm(&tm));
    return result();
}

/* random_bytes(u32 n) -> bytes: getentropy's n (at most 256) bytes. */
static sg_value random_bytes(const sg_value *args)
{
    static unsigned char bytes[256];
    uint32_t n = args[0].as.u32 < sizeof bytes ? args[0].as.u32 : (uint32_t)sizeof bytes;
    if (getentropy(bytes, n) != 0)
        return sg_error(SG_ERR_USER, "getentropy failed");
    return sg_bytes(bytes, n);
}

/* heap_strings(u32 n) -> string: asprintf and a growing open_memstream, both on the SDK's heap. */
static sg_value heap_strings(const sg_value *args)
{
    char *formatted = NULL, *stream_text = NULL;
    size_t stream_len = 0;
    if (asprintf(&formatted, "%u squared is %u", args[0].as.u32, args[0].as.u32 * args[0].as.u32) < 0)
        return sg_error(SG_ERR_OUT_OF_MEMORY, "asprintf failed");
    FILE *stream = open_memstream(&stream_text, &stream_len);
    if (stream == NULL) {
        free(formatted);
        return sg_error(SG_ERR_OUT_OF_MEMORY, "open_memstream failed");
    }
    for (uint32_t i = 0; i < args[0].as.u32; i++)
        fprintf(stream, "%u;", i);
    fclose(stream);
    append("%s|%zu|%.20s", formatted, stream_len, stream_text);
    free(formatted);
    free(stream_text);
    return result();
}

/* call_exit(i32) -> void, call_abort() -> void, fail_assert(i32) -> i32: ways out that end in an abort. */
static sg_value call_exit(const sg_value *args)
{
    printf("exiting with %d", args[0].as.i32);
    exit(args[0].as.i32);
}

static sg_value call_abort(const sg_value *args)
{
    (void)args;
    abort();
}

static sg_value fail_assert(const sg_value *args)
{
    assert(args[0].as.i32 > 0);
    return args[0];
}

/* errno_value() -> i32: errno as a call finds it (errno persists across calls until a restore). */
static sg_value errno_value(const sg_value *args)
{
    (void)args;
    return sg_i32(errno);
}

void snapgate_init(void)
{
    printf("libctest initialised\n");
    sg_register("format_f64", format_f64, SG_STRING, 1, SG_F64);
    sg_register("format_mixed", format_mixed, SG_STRING, 0);
    sg_register("parse_f64", parse_f64, SG_STRING, 1, SG_STRING);
    sg_register("parse_long", parse_long, SG_STRING, 2, SG_STRING, SG_I32);
    sg_register("parse_numbers", parse_numbers, SG_STRING, 1, SG_STRING);
    sg_register("sort_ints", sort_ints, SG_STRING, 1, SG_STRING);
    sg_register("find_int", find_int, SG_I32, 2, SG_STRING, SG_I32);
    sg_register("divide", divide, SG_STRING, 2, SG_I32, SG_I32);
    sg_register("seeded_rand", seeded_rand, SG_STRING, 1, SG_U32);
    sg_register("rand_value", rand_value, SG_I32, 0);
    sg_register("scan", scan, SG_STRING, 1, SG_STRING);
    sg_register("print_lines", print_lines, SG_VOID, 0);
    sg_register("print_long", print_long, SG_VOID, 1, SG_U32);
    sg_register("math1", math1, SG_F64, 2, SG_STRING, SG_F64);
    sg_register("math2", math2, SG_F64, 3, SG_STRING, SG_F64, SG_F64);
    sg_register("jump", jump, SG_STRING, 1, SG_I32);
    sg_register("os_calls", os_calls, SG_STRING, 0);
    sg_register("fopen_errno", fopen_errno, SG_I32, 1, SG_STRING);
    sg_register("classify", classify, SG_STRING, 1, SG_STRING);
    sg_register("strings", strings, SG_STRING, 1, SG_STRING);
    sg_register("wall_clock", wall_clock, SG_STRING, 0);
    sg_register("monotonic_ns", monotonic_ns, SG_I64, 1, SG_U32);
    sg_register("format_time", format_time, SG_STRING, 1, SG_I64);
    sg_register("random_bytes", random_bytes, SG_BYTES, 1, SG_U32);
    sg_register("heap_strings", heap_strings, SG_STRING, 1, SG_U32);
    sg_register("call_exit", call_exit, SG_VOID, 1, SG_I32);
    sg_register("call_abort", call_abort, SG_VOID, 0);
    sg_register("fail_assert", fail_assert, SG_I32, 1, SG_I32);
    sg_register("errno_value", errno_value, SG_I32, 0);
}
