/*
 * A hostile guest: each function tries to break out of its sandbox, break
 * the node, or leave something behind for the next call or the next tenant.
 * The Java suite HostileGuestTest calls every one of them on both backends and
 * checks the answer, then that nothing survived (fingerprint() reads back the
 * architectural state a guest can see). Names and signatures are a contract
 * with that test.
 *
 * The guest runs at ring 0, so every instruction here is allowed to try.
 */
#include <snapgate.h>

#include "../sdk/runtime/runtime.h"

#define PAGE 4096u
#define PTE_PRESENT 0x1ull
#define PTE_WRITABLE 0x2ull
#define PTE_LARGE 0x80ull
#define PTE_ADDRESS 0x000FFFFFFFFFF000ull

#define CR4_FSGSBASE (1ull << 16)
#define CR4_OSXSAVE (1ull << 18)
#define XCR0_X87_SSE_AVX 7ull
#define XSAVE_HEADER 512u
#define XSAVE_AREA 4096u

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static bool has_xsave(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    return (r[2] >> 26) & 1;
}

static bool has_avx(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    return (r[2] >> 28) & 1;
}

static bool has_fsgsbase(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    if (r[0] < 7)
        return false;
    cpuid(7, 0, r);
    return r[1] & 1;
}

static bool has_rdtscp(void)
{
    uint32_t r[4];
    cpuid(0x80000001u, 0, r);
    return (r[3] >> 27) & 1;
}

static uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static uint64_t read_cr8(void) { uint64_t v; __asm__ volatile("mov %%cr8, %0" : "=r"(v)); return v; }
static void set_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static void set_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }

static sg_value unknown(const char *what)
{
    return sg_error(SG_ERR_USER, what);
}

/* write_cr(n, value): mov crN, value (n = 0, 2, 3, 4 or 8). */
static sg_value write_cr(const sg_value *args)
{
    uint64_t v = args[1].as.u64;
    switch (args[0].as.u32) {
    case 0: __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); break;
    case 2: __asm__ volatile("mov %0, %%cr2" :: "r"(v) : "memory"); break;
    case 3: __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); break;
    case 4: __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); break;
    case 8: __asm__ volatile("mov %0, %%cr8" :: "r"(v) : "memory"); break;
    default: return unknown("write_cr: no such control register");
    }
    return sg_void();
}

static sg_value read_cr(const sg_value *args)
{
    switch (args[0].as.u32) {
    case 0: return sg_u64(read_cr0());
    case 2: return sg_u64(read_cr2());
    case 3: return sg_u64(read_cr3());
    case 4: return sg_u64(read_cr4());
    case 8: return sg_u64(read_cr8());
    default: return unknown("read_cr: no such control register");
    }
}

/* write_msr(msr, value): wrmsr. */
static sg_value write_msr(const sg_value *args)
{
    uint64_t v = args[1].as.u64;
    __asm__ volatile("wrmsr" :: "c"(args[0].as.u32), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
    return sg_void();
}

static sg_value read_msr(const sg_value *args)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(args[0].as.u32));
    return sg_u64((uint64_t)hi << 32 | lo);
}

/* The reproducer of issue 13: a breakpoint on `address`, enabled in DR7, and back to the host. */
static sg_value arm_breakpoint(const sg_value *args)
{
    __asm__ volatile("mov %0, %%rax\n\tmov %%rax, %%dr0\n\tmov $3, %%rax\n\tmov %%rax, %%dr7"
                     :: "r"(args[0].as.u64) : "rax", "memory");
    return sg_void();
}

/* write_dr(n, value): mov drN, value (n = 0..3, 6 or 7). */
static sg_value write_dr(const sg_value *args)
{
    uint64_t v = args[1].as.u64;
    switch (args[0].as.u32) {
    case 0: __asm__ volatile("mov %0, %%dr0" :: "r"(v)); break;
    case 1: __asm__ volatile("mov %0, %%dr1" :: "r"(v)); break;
    case 2: __asm__ volatile("mov %0, %%dr2" :: "r"(v)); break;
    case 3: __asm__ volatile("mov %0, %%dr3" :: "r"(v)); break;
    case 6: __asm__ volatile("mov %0, %%dr6" :: "r"(v)); break;
    case 7: __asm__ volatile("mov %0, %%dr7" :: "r"(v)); break;
    default: return unknown("write_dr: no such debug register");
    }
    return sg_void();
}

/* xsetbv(xcr0): turns CR4.OSXSAVE on and loads XCR0. */
static sg_value xsetbv(const sg_value *args)
{
    if (!has_xsave())
        return unknown("xsetbv: no XSAVE");
    uint64_t v = args[0].as.u64;
    set_cr4(read_cr4() | CR4_OSXSAVE);
    __asm__ volatile("xsetbv" :: "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
    return sg_void();
}

static uint8_t xsave_area[XSAVE_AREA] __attribute__((aligned(64)));

/* The standard-format offset of the AVX state (the upper halves of YMM0-15) in an XSAVE area; 0 if none. */
static uint32_t avx_offset(void)
{
    uint32_t r[4];
    cpuid(0xD, 2, r);
    return r[0] == 256 && r[1] >= XSAVE_HEADER + 64 && r[1] + 256 <= XSAVE_AREA ? r[1] : 0;
}

/*
 * load_avx_state(pattern): enables AVX (CR4.OSXSAVE, XCR0 = x87|SSE|AVX) and loads the pattern into the
 * upper halves of every YMM register with XRSTOR, which is not a VEX instruction (the SDK's build refuses
 * those), then returns with the state loaded.
 */
static sg_value load_avx_state(const sg_value *args)
{
    uint32_t offset = has_xsave() && has_avx() ? avx_offset() : 0;
    if (offset == 0)
        return unknown("load_avx_state: no AVX");
    set_cr4(read_cr4() | CR4_OSXSAVE);
    __asm__ volatile("xsetbv" :: "c"(0), "a"((uint32_t)XCR0_X87_SSE_AVX), "d"(0) : "memory");
    memset(xsave_area, 0, sizeof xsave_area);
    __asm__ volatile("xsave64 %0" : "=m"(*(uint8_t(*)[XSAVE_AREA])xsave_area) : "a"(7), "d"(0));
    uint64_t *avx = (uint64_t *)(xsave_area + offset);
    for (int i = 0; i < 32; i++)
        avx[i] = args[0].as.u64;
    xsave_area[XSAVE_HEADER] |= 4; /* XSTATE_BV: the AVX state is in the area, not in its initial state */
    __asm__ volatile("xrstor64 %0" :: "m"(*(uint8_t(*)[XSAVE_AREA])xsave_area), "a"(7), "d"(0) : "memory");
    return sg_void();
}

/* Loads GDTR or IDTR with (base, limit); with `fault`, then reloads DS (GDT) or runs ud2 (IDT). */
static sg_value load_gdt(const sg_value *args)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } d = { (uint16_t)args[1].as.u32, args[0].as.u64 };
    __asm__ volatile("lgdt %0" :: "m"(d) : "memory");
    if (args[2].as.b)
        __asm__ volatile("mov $0x10, %%ax\n\tmov %%ax, %%ds" ::: "rax", "memory");
    return sg_void();
}

static sg_value load_idt(const sg_value *args)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } d = { (uint16_t)args[1].as.u32, args[0].as.u64 };
    __asm__ volatile("lidt %0" :: "m"(d) : "memory");
    if (args[2].as.b)
        __asm__ volatile("ud2");
    return sg_void();
}

/* load_segment(which, selector): 0 ds, 1 es, 2 fs, 3 gs, 4 ss, 5 ltr, 6 lldt. */
static sg_value load_segment(const sg_value *args)
{
    uint16_t s = (uint16_t)args[1].as.u32;
    switch (args[0].as.u32) {
    case 0: __asm__ volatile("mov %0, %%ds" :: "r"(s) : "memory"); break;
    case 1: __asm__ volatile("mov %0, %%es" :: "r"(s) : "memory"); break;
    case 2: __asm__ volatile("mov %0, %%fs" :: "r"(s) : "memory"); break;
    case 3: __asm__ volatile("mov %0, %%gs" :: "r"(s) : "memory"); break;
    case 4: __asm__ volatile("mov %0, %%ss" :: "r"(s) : "memory"); break;
    case 5: __asm__ volatile("ltr %0" :: "r"(s) : "memory"); break;
    case 6: __asm__ volatile("lldt %0" :: "r"(s) : "memory"); break;
    default: return unknown("load_segment: no such segment register");
    }
    return sg_void();
}

/* set_kernel_gs_base(value): GS base via WRGSBASE, then SWAPGS moves it into KERNEL_GS_BASE (no WRMSR). */
static sg_value set_kernel_gs_base(const sg_value *args)
{
    if (!has_fsgsbase())
        return unknown("set_kernel_gs_base: no FSGSBASE");
    set_cr4(read_cr4() | CR4_FSGSBASE);
    __asm__ volatile("wrgsbase %0\n\tswapgs" :: "r"(args[0].as.u64) : "memory");
    return sg_void();
}

static sg_value cli_hlt(const sg_value *args)
{
    (void)args;
    __asm__ volatile("cli\n\thlt" ::: "memory");
    return sg_void();
}

static _Noreturn void halt_forever(void)
{
    for (;;)
        __asm__ volatile("xor %%edx, %%edx\n\thlt" ::: "rdx", "memory");
}

static sg_value hlt_loop(const sg_value *args)
{
    (void)args;
    halt_forever();
}

static sg_value cli_spin(const sg_value *args)
{
    (void)args;
    __asm__ volatile("cli\n\t1: jmp 1b" ::: "memory");
    return sg_void();
}

/* software_interrupt(which): 0 int3, 1 int1 (icebp), 2 int $2, 3 int $8, 4 int $0x80, 5 int $0xff, 6 into. */
static sg_value software_interrupt(const sg_value *args)
{
    switch (args[0].as.u32) {
    case 0: __asm__ volatile("int3" ::: "memory"); break;
    case 1: __asm__ volatile(".byte 0xf1" ::: "memory"); break;
    case 2: __asm__ volatile("int $2" ::: "memory"); break;
    case 3: __asm__ volatile("int $8" ::: "memory"); break;
    case 4: __asm__ volatile("int $0x80" ::: "memory"); break;
    case 5: __asm__ volatile("int $0xff" ::: "memory"); break;
    case 6: __asm__ volatile(".byte 0xce" ::: "memory"); break; /* into: invalid in 64-bit mode */
    default: return unknown("software_interrupt: no such case");
    }
    return sg_void();
}

/* system_call(which): 0 syscall, 1 sysenter, 2 sysret, 3 sysexit, 4 vmcall, 5 vmmcall, 6 rsm. */
static sg_value system_call(const sg_value *args)
{
    switch (args[0].as.u32) {
    case 0: __asm__ volatile("syscall" ::: "rcx", "r11", "memory"); break;
    case 1: __asm__ volatile("sysenter" ::: "memory"); break;
    case 2: __asm__ volatile("sysretq" ::: "memory"); break;
    case 3: __asm__ volatile("sysexitq" ::: "memory"); break;
    case 4: __asm__ volatile("vmcall" :: "a"(0) : "memory"); break;
    case 5: __asm__ volatile("vmmcall" :: "a"(0) : "memory"); break;
    case 6: __asm__ volatile("rsm" ::: "memory"); break;
    default: return unknown("system_call: no such case");
    }
    return sg_void();
}

/* port_out(port, value): `out dx, eax` with no `hlt` after it. */
static sg_value port_out(const sg_value *args)
{
    __asm__ volatile("out %%eax, %%dx" :: "d"((uint16_t)args[0].as.u32), "a"(args[1].as.u32) : "memory");
    return sg_void();
}

static sg_value port_in(const sg_value *args)
{
    uint32_t v;
    __asm__ volatile("in %%dx, %%eax" : "=a"(v) : "d"((uint16_t)args[0].as.u32) : "memory");
    return sg_u32(v);
}

/* port_exit(port, value): the ABI's exit shape, `out dx, eax; hlt`, on any port; returns if resumed. */
static sg_value port_exit(const sg_value *args)
{
    sg_exit(args[0].as.u32, args[1].as.u32);
    return sg_void();
}

/* Writes a byte to every port, 0 to 0xffff; returns how many writes went by. */
static sg_value every_port_out(const sg_value *args)
{
    (void)args;
    uint32_t n = 0;
    for (uint32_t port = 0; port <= 0xFFFF; port++, n++)
        __asm__ volatile("out %%al, %%dx" :: "d"((uint16_t)port), "a"(0xA5) : "memory");
    return sg_u32(n);
}

static sg_value every_port_in(const sg_value *args)
{
    (void)args;
    uint32_t sum = 0;
    for (uint32_t port = 0; port <= 0xFFFF; port++) {
        uint8_t v;
        __asm__ volatile("in %%dx, %%al" : "=a"(v) : "d"((uint16_t)port) : "memory");
        sum += v;
    }
    return sg_u32(sum);
}

static sg_value jump_to(const sg_value *args)
{
    __asm__ volatile("jmp *%0" :: "r"(args[0].as.u64) : "memory");
    return sg_void();
}

/* Writes `ret` at `where` and calls it: data must not execute (W^X). */
static sg_value execute(volatile uint8_t *where)
{
    where[0] = 0xC3;
    ((void (*)(void))(uintptr_t)where)();
    return sg_string("executed");
}

static uint8_t static_code[16];

static sg_value exec_heap(const sg_value *args)
{
    (void)args;
    uint8_t *p = malloc(16);
    return p == NULL ? unknown("exec_heap: no heap") : execute(p);
}

static sg_value exec_stack(const sg_value *args)
{
    (void)args;
    volatile uint8_t on_stack[16];
    return execute(on_stack);
}

static sg_value exec_static(const sg_value *args)
{
    (void)args;
    return execute(static_code);
}

static sg_value exec_at(const sg_value *args)
{
    return execute((volatile uint8_t *)(uintptr_t)args[0].as.u64);
}

static sg_value read_u64(const sg_value *args)
{
    return sg_u64(*(volatile uint64_t *)(uintptr_t)args[0].as.u64);
}

static sg_value write_u64(const sg_value *args)
{
    *(volatile uint64_t *)(uintptr_t)args[0].as.u64 = args[1].as.u64;
    return sg_void();
}

/* Writes its own code: self-modifying code must fault. */
static sg_value write_own_code(const sg_value *args)
{
    (void)args;
    *(volatile uint8_t *)(uintptr_t)&write_own_code = 0x90;
    return sg_string("code written");
}

/* smash(start, step, pattern): writes the pattern every `step` bytes from start on (step < 0: down) until a fault. */
static _Noreturn void smash_until_fault(volatile uint64_t *p, int64_t step, uint64_t pattern)
{
    for (;;) {
        *p = pattern;
        p += step;
    }
}

static sg_value smash(const sg_value *args)
{
    smash_until_fault((volatile uint64_t *)(uintptr_t)args[0].as.u64, args[1].as.i64 / 8, args[2].as.u64);
}

/* Overwrites the stack from here to its top, return addresses included, then returns into the pattern. */
static sg_value smash_own_stack(const sg_value *args)
{
    uint64_t top;
    memcpy(&top, sg_layout.control + 0x40, sizeof top);
    volatile uint64_t *p;
    __asm__ volatile("mov %%rsp, %0" : "=r"(p));
    while ((uint64_t)(uintptr_t)p < top)
        *p++ = args[0].as.u64;
    return sg_void();
}

/* Fills the control page with the pattern, logs and returns: the host keeps its own copy of the layout. */
static sg_value write_control_page(const sg_value *args)
{
    volatile uint64_t *control = (volatile uint64_t *)sg_layout.control;
    for (uint32_t i = 0; i < PAGE / 8; i++)
        control[i] = args[0].as.u64;
    sg_log(SG_LOG_INFO, "control page overwritten");
    return sg_string("control page overwritten");
}

/*
 * Page tables of the guest's own, in its writable memory: the first GiB identity-mapped with 2 MiB pages (its
 * code, data and stack), a window of 4 KiB pages at WINDOW onto any physical address, and PML4 entry 511 copied
 * from the tables the host gave it (they hold the KVM backend's exception pages).
 */
#define WINDOW 0x40000000ull
static uint64_t own_pml4[512] __attribute__((aligned(PAGE)));
static uint64_t own_pdpt[512] __attribute__((aligned(PAGE)));
static uint64_t own_pd[512] __attribute__((aligned(PAGE)));
static uint64_t own_window_pd[512] __attribute__((aligned(PAGE)));
static uint64_t own_window_pt[512] __attribute__((aligned(PAGE)));

static void map_window(uint64_t physical, uint32_t pages)
{
    for (uint32_t i = 0; i < 512; i++)
        own_window_pt[i] = i < pages ? ((physical & PTE_ADDRESS) + (uint64_t)i * PAGE) | PTE_PRESENT | PTE_WRITABLE
                                     : 0;
    __asm__ volatile("mov %%cr3, %%rax\n\tmov %%rax, %%cr3" ::: "rax", "memory"); /* flush the window */
}

/* Switches to the guest's own tables; returns false when `pages` do not fit the window. */
static bool own_tables(uint32_t pages)
{
    if (pages > 512)
        return false;
    uint64_t host_cr3 = read_cr3();
    for (uint32_t i = 0; i < 512; i++)
        own_pd[i] = (uint64_t)i << 21 | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE;
    own_window_pd[0] = (uint64_t)(uintptr_t)own_window_pt | PTE_PRESENT | PTE_WRITABLE;
    own_pdpt[0] = (uint64_t)(uintptr_t)own_pd | PTE_PRESENT | PTE_WRITABLE;
    own_pdpt[1] = (uint64_t)(uintptr_t)own_window_pd | PTE_PRESENT | PTE_WRITABLE;
    own_pml4[0] = (uint64_t)(uintptr_t)own_pdpt | PTE_PRESENT | PTE_WRITABLE;
    set_cr3((uint64_t)(uintptr_t)own_pml4);
    map_window(host_cr3, 1);
    own_pml4[511] = ((volatile uint64_t *)(uintptr_t)WINDOW)[511];
    set_cr3((uint64_t)(uintptr_t)own_pml4);
    return true;
}

/*
 * scribble_physical(address, pages, pattern): maps physical memory the guest's tables do not reach (the KVM
 * backend's own pages sit at 16 GiB) and fills it with the pattern; returns the pages written. The guest stays
 * on its own tables until the call ends.
 */
static sg_value scribble_physical(const sg_value *args)
{
    uint32_t pages = args[1].as.u32;
    if (!own_tables(pages))
        return unknown("scribble_physical: at most 512 pages");
    map_window(args[0].as.u64, pages);
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)WINDOW;
    for (uint32_t i = 0; i < pages * (PAGE / 8); i++)
        p[i] = args[2].as.u64;
    return sg_u32(pages);
}

/* count_physical(address, pages, pattern): how many 8-byte words of that physical memory hold the pattern. */
static sg_value count_physical(const sg_value *args)
{
    uint32_t pages = args[1].as.u32;
    if (!own_tables(pages))
        return unknown("count_physical: at most 512 pages");
    map_window(args[0].as.u64, pages);
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)WINDOW;
    uint32_t n = 0;
    for (uint32_t i = 0; i < pages * (PAGE / 8); i++)
        n += p[i] == args[2].as.u64;
    return sg_u32(n);
}

/* Maps its own code writable through its own tables and writes it: the memory itself must refuse. */
static sg_value remap_code_writable(const sg_value *args)
{
    (void)args;
    own_tables(1);
    uint64_t code = (uint64_t)(uintptr_t)&remap_code_writable;
    map_window(code, 1);
    ((volatile uint8_t *)(uintptr_t)WINDOW)[code & (PAGE - 1)] = 0x90;
    return sg_string("code written through an alias");
}

/* pivot_stack(rsp, fault): moves RSP there, pushes, pops and logs; with `fault`, runs ud2 on that stack. */
static sg_value pivot_stack(const sg_value *args)
{
    uint64_t rsp = args[0].as.u64;
    bool fault = args[1].as.b;
    __asm__ volatile(
        "mov %%rsp, %%rbx\n\t"
        "mov %0, %%rsp\n\t"
        "push $0x5a5a5a5a\n\t"
        "pop %%rax\n\t"
        "test %1, %1\n\t"
        "jz 1f\n\t"
        "ud2\n"
        "1:\n\t"
        "mov %%rbx, %%rsp"
        :: "r"(rsp), "r"((uint64_t)fault) : "rax", "rbx", "memory");
    return sg_string("pivoted and back");
}

/* iretq_frame(rip, cs, rflags, rsp, ss): iretq with that frame; rip 0: the instruction after it, rsp 0: the current. */
static sg_value iretq_frame(const sg_value *args)
{
    uint64_t rip = args[0].as.u64, rsp = args[3].as.u64;
    __asm__ volatile(
        "mov %%rsp, %%rbx\n\t"
        "test %0, %0\n\t"
        "jnz 1f\n\t"
        "lea 2f(%%rip), %0\n"
        "1:\n\t"
        "test %1, %1\n\t"
        "jnz 3f\n\t"
        "mov %%rsp, %1\n"
        "3:\n\t"
        "push %4\n\t"
        "push %1\n\t"
        "push %3\n\t"
        "push %2\n\t"
        "push %0\n\t"
        "iretq\n"
        "2:\n\t"
        "mov %%rbx, %%rsp"
        : "+r"(rip), "+r"(rsp)
        : "r"(args[1].as.u64), "r"(args[2].as.u64), "r"(args[4].as.u64)
        : "rbx", "memory", "cc");
    return sg_string("iretq came back");
}

/* Sets RFLAGS.TF: the next instruction traps with #DB. */
static sg_value single_step(const sg_value *args)
{
    (void)args;
    __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop" ::: "memory", "cc");
    return sg_void();
}

/* huge_result(n): n bytes, more than the output buffer holds when n is large. */
static sg_value huge_result(const sg_value *args)
{
    uint8_t *p = malloc(args[0].as.u32);
    if (p == NULL)
        return unknown("huge_result: no heap");
    memset(p, 0x5a, args[0].as.u32);
    return sg_bytes(p, args[0].as.u32);
}

/* result_from(address, length): a bytes result pointing anywhere. */
static sg_value result_from(const sg_value *args)
{
    return sg_bytes((const void *)(uintptr_t)args[0].as.u64, args[1].as.u32);
}

/* forge_result(length, payload): a result frame with any length header, then DONE. */
static sg_value forge_result(const sg_value *args)
{
    uint32_t len = args[0].as.u32;
    uint32_t n = args[1].as.buf.len;
    if (n > sg_layout.output_size - SG_FRAME_HEADER)
        n = sg_layout.output_size - SG_FRAME_HEADER;
    memcpy(sg_layout.output, &len, sizeof len);
    memcpy(sg_layout.output + SG_FRAME_HEADER, args[1].as.buf.ptr, n);
    sg_exit(SG_PORT_DONE, 0);
    return sg_void();
}

/* Floods of host work; limits are another part of the node's defences (issue 13, point 5). */
static sg_value log_flood(const sg_value *args)
{
    for (uint32_t i = 0; i < args[0].as.u32; i++)
        sg_log(SG_LOG_ERROR, "log flood");
    return sg_u32(args[0].as.u32);
}

static sg_value host_call_flood(const sg_value *args)
{
    uint32_t errors = 0;
    for (uint32_t i = 0; i < args[0].as.u32; i++)
        errors += sg_call_host("no_such_host_function", SG_I32, 0).type == SG_ERROR;
    return sg_u32(errors);
}

/*
 * Everything a guest can read of the vCPU's architectural state without changing it for good: control, debug
 * and descriptor-table registers, selectors, RFLAGS, the x87/SSE image, XCR0 and the AVX registers (read with
 * CR4.OSXSAVE and XCR0's AVX bit on, then put back), FS/GS/KERNEL_GS bases (likewise with CR4.FSGSBASE) and
 * TSC_AUX. Not XSTATE_BV: which components a CPU reports in use is its own choice. Two vCPUs in the same state
 * give the same bytes. Layout: see Fingerprint.java in vmm-worker's tests.
 */
static struct {
    uint64_t cr0, cr2, cr3, cr4, cr8;
    uint64_t dr0, dr1, dr2, dr3, dr6, dr7;
    uint64_t gdt_base, gdt_limit, idt_base, idt_limit, ldtr, tr;
    uint64_t cs, ds, es, fs, gs, ss, rflags;
    uint64_t xcr0, fs_base, gs_base, kernel_gs_base, tsc_aux, zero; /* zero: fxsave starts 16-byte aligned */
    uint8_t fxsave[512] __attribute__((aligned(16)));
    uint8_t avx[256];
} fp;

static sg_value fingerprint(const sg_value *args)
{
    (void)args;
    memset(&fp, 0, sizeof fp);
    /* first of all, before the runtime's code uses more x87/SSE state */
    __asm__ volatile("fxsave64 %0" : "=m"(fp.fxsave));
    fp.cr0 = read_cr0();
    fp.cr2 = read_cr2();
    fp.cr3 = read_cr3();
    fp.cr4 = read_cr4();
    fp.cr8 = read_cr8();
    __asm__ volatile("mov %%dr0, %0" : "=r"(fp.dr0));
    __asm__ volatile("mov %%dr1, %0" : "=r"(fp.dr1));
    __asm__ volatile("mov %%dr2, %0" : "=r"(fp.dr2));
    __asm__ volatile("mov %%dr3, %0" : "=r"(fp.dr3));
    __asm__ volatile("mov %%dr6, %0" : "=r"(fp.dr6));
    __asm__ volatile("mov %%dr7, %0" : "=r"(fp.dr7));
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } d;
    __asm__ volatile("sgdt %0" : "=m"(d));
    fp.gdt_base = d.base;
    fp.gdt_limit = d.limit;
    __asm__ volatile("sidt %0" : "=m"(d));
    fp.idt_base = d.base;
    fp.idt_limit = d.limit;
    uint16_t s;
    __asm__ volatile("sldt %0" : "=r"(s)); fp.ldtr = s;
    __asm__ volatile("str %0" : "=r"(s)); fp.tr = s;
    __asm__ volatile("mov %%cs, %0" : "=r"(s)); fp.cs = s;
    __asm__ volatile("mov %%ds, %0" : "=r"(s)); fp.ds = s;
    __asm__ volatile("mov %%es, %0" : "=r"(s)); fp.es = s;
    __asm__ volatile("mov %%fs, %0" : "=r"(s)); fp.fs = s;
    __asm__ volatile("mov %%gs, %0" : "=r"(s)); fp.gs = s;
    __asm__ volatile("mov %%ss, %0" : "=r"(s)); fp.ss = s;
    __asm__ volatile("pushfq\n\tpop %0" : "=r"(fp.rflags));
    uint64_t cr4 = fp.cr4;
    uint32_t offset = has_xsave() && has_avx() ? avx_offset() : 0;
    if (has_xsave()) {
        set_cr4(cr4 | CR4_OSXSAVE);
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        fp.xcr0 = (uint64_t)hi << 32 | lo;
        /* with AVX on for the reading, so AVX state left under an XCR0 without it shows too */
        uint64_t mask = offset != 0 ? XCR0_X87_SSE_AVX : fp.xcr0;
        __asm__ volatile("xsetbv" :: "c"(0), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)) : "memory");
        memset(xsave_area, 0, sizeof xsave_area);
        __asm__ volatile("xsave64 %0" : "=m"(*(uint8_t(*)[XSAVE_AREA])xsave_area) : "a"((uint32_t)mask), "d"(0));
        if (offset != 0)
            memcpy(fp.avx, xsave_area + offset, sizeof fp.avx);
        __asm__ volatile("xsetbv" :: "c"(0), "a"(lo), "d"(hi) : "memory");
    }
    if (has_fsgsbase()) {
        set_cr4(cr4 | CR4_FSGSBASE);
        __asm__ volatile("rdfsbase %0\n\trdgsbase %1\n\tswapgs\n\trdgsbase %2\n\tswapgs"
                         : "=r"(fp.fs_base), "=r"(fp.gs_base), "=r"(fp.kernel_gs_base));
    }
    set_cr4(cr4);
    if (has_rdtscp()) {
        uint32_t aux;
        __asm__ volatile("rdtscp" : "=c"(aux) :: "rax", "rdx");
        fp.tsc_aux = aux;
    }
    return sg_bytes(&fp, sizeof fp);
}

void snapgate_init(void)
{
    sg_register("write_cr", write_cr, SG_VOID, 2, SG_U32, SG_U64);
    sg_register("read_cr", read_cr, SG_U64, 1, SG_U32);
    sg_register("write_msr", write_msr, SG_VOID, 2, SG_U32, SG_U64);
    sg_register("read_msr", read_msr, SG_U64, 1, SG_U32);
    sg_register("arm_breakpoint", arm_breakpoint, SG_VOID, 1, SG_U64);
    sg_register("write_dr", write_dr, SG_VOID, 2, SG_U32, SG_U64);
    sg_register("xsetbv", xsetbv, SG_VOID, 1, SG_U64);
    sg_register("load_avx_state", load_avx_state, SG_VOID, 1, SG_U64);
    sg_register("load_gdt", load_gdt, SG_VOID, 3, SG_U64, SG_U32, SG_BOOL);
    sg_register("load_idt", load_idt, SG_VOID, 3, SG_U64, SG_U32, SG_BOOL);
    sg_register("load_segment", load_segment, SG_VOID, 2, SG_U32, SG_U32);
    sg_register("set_kernel_gs_base", set_kernel_gs_base, SG_VOID, 1, SG_U64);
    sg_register("cli_hlt", cli_hlt, SG_VOID, 0);
    sg_register("hlt_loop", hlt_loop, SG_VOID, 0);
    sg_register("cli_spin", cli_spin, SG_VOID, 0);
    sg_register("software_interrupt", software_interrupt, SG_VOID, 1, SG_U32);
    sg_register("system_call", system_call, SG_VOID, 1, SG_U32);
    sg_register("port_out", port_out, SG_VOID, 2, SG_U32, SG_U32);
    sg_register("port_in", port_in, SG_U32, 1, SG_U32);
    sg_register("port_exit", port_exit, SG_VOID, 2, SG_U32, SG_U32);
    sg_register("every_port_out", every_port_out, SG_U32, 0);
    sg_register("every_port_in", every_port_in, SG_U32, 0);
    sg_register("jump_to", jump_to, SG_VOID, 1, SG_U64);
    sg_register("exec_heap", exec_heap, SG_STRING, 0);
    sg_register("exec_stack", exec_stack, SG_STRING, 0);
    sg_register("exec_static", exec_static, SG_STRING, 0);
    sg_register("exec_at", exec_at, SG_STRING, 1, SG_U64);
    sg_register("read_u64", read_u64, SG_U64, 1, SG_U64);
    sg_register("write_u64", write_u64, SG_VOID, 2, SG_U64, SG_U64);
    sg_register("write_own_code", write_own_code, SG_STRING, 0);
    sg_register("smash", smash, SG_VOID, 3, SG_U64, SG_I64, SG_U64);
    sg_register("smash_own_stack", smash_own_stack, SG_VOID, 1, SG_U64);
    sg_register("write_control_page", write_control_page, SG_STRING, 1, SG_U64);
    sg_register("scribble_physical", scribble_physical, SG_U32, 3, SG_U64, SG_U32, SG_U64);
    sg_register("count_physical", count_physical, SG_U32, 3, SG_U64, SG_U32, SG_U64);
    sg_register("remap_code_writable", remap_code_writable, SG_STRING, 0);
    sg_register("pivot_stack", pivot_stack, SG_STRING, 2, SG_U64, SG_BOOL);
    sg_register("iretq_frame", iretq_frame, SG_STRING, 5, SG_U64, SG_U64, SG_U64, SG_U64, SG_U64);
    sg_register("single_step", single_step, SG_VOID, 0);
    sg_register("huge_result", huge_result, SG_BYTES, 1, SG_U32);
    sg_register("result_from", result_from, SG_BYTES, 2, SG_U64, SG_U32);
    sg_register("forge_result", forge_result, SG_BYTES, 2, SG_U32, SG_BYTES);
    sg_register("log_flood", log_flood, SG_U32, 1, SG_U32);
    sg_register("host_call_flood", host_call_flood, SG_U32, 1, SG_U32);
    sg_register("fingerprint", fingerprint, SG_BYTES, 0);
}
