package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.RAX;
import static io.snapgate.vmm.fuzz.Asm.RCX;
import static io.snapgate.vmm.fuzz.Asm.RDX;
import static io.snapgate.vmm.fuzz.Asm.op;
import static io.snapgate.vmm.fuzz.Category.CONTROL_REGISTER;
import static io.snapgate.vmm.fuzz.Category.DEBUG_REGISTER;
import static io.snapgate.vmm.fuzz.Category.DESCRIPTOR_TABLE;
import static io.snapgate.vmm.fuzz.Category.MSR;
import static io.snapgate.vmm.fuzz.Category.PORT_IO;
import static io.snapgate.vmm.fuzz.Category.SEGMENT;
import static io.snapgate.vmm.fuzz.Category.SYSTEM;

import io.snapgate.vmm.vcpu.CpuState;

/**
 * Privileged and system instructions, with the values that make them interesting: control, debug and model-specific
 * registers, descriptor tables and selectors, system calls and interrupts, virtualisation and port I/O.
 */
final class SystemInstructions {
    /** The MSRs a guest might write: syscall and sysenter, segment bases, APIC, PAT, MTRRs, x2APIC, garbage. */
    static final long[] MSRS = {0xC000_0080L, 0xC000_0081L, 0xC000_0082L, 0xC000_0083L, 0xC000_0084L, 0xC000_0100L,
        0xC000_0101L, 0xC000_0102L, 0xC000_0103L, 0x10, 0x1B, 0x3A, 0x3B, 0x48, 0x49, 0x8B, 0xE7, 0xE8, 0x10A, 0x174,
        0x175, 0x176, 0x179, 0x17A, 0x1A0, 0x1D9, 0x200, 0x201, 0x250, 0x277, 0x2FF, 0x345, 0x38F, 0x400, 0x401,
        0x480, 0x6E0, 0x800, 0x802, 0x80F, 0x830, 0x838, 0xD90, 0xDA0, 0x4000_0000L, 0x4000_0001L, 0xC001_0000L,
        0xC001_0015L, 0xC001_0114L, 0xC001_1029L, 0, 1, 0x8000_0000L, 0xFFFF_FFFFL};
    static final int[] SELECTORS = {0, 3, 8, 0xB, 0x10, 0x13, 0x18, 0x1B, 0x20, 0x23, 0x28, 0x2B, 0x33, 0x38, 0xFFF8,
        0xFFFF, 0x7FFF};
    private static final String[] SEGMENT_REGISTERS = {"es", "cs", "ss", "ds", "fs", "gs", "seg6", "seg7"};
    /** CR0 bits: PE, MP, EM, TS, ET, NE, WP, AM, NW, CD, PG. */
    private static final int[] CR0_BITS = {0, 1, 2, 3, 4, 5, 16, 18, 29, 30, 31};
    private static final long EFER = 0xC000_0080L;

    private SystemInstructions() {
    }

    static void controlRegister(Step s) {
        int cr = s.chance(85) ? s.pick(0, 0, 2, 3, 4, 4, 8) : s.random.nextInt(16);
        switch (s.random.nextInt(6)) {
            case 0 -> s.add(Asm.reg(CONTROL_REGISTER, "mov rax, cr" + cr, op(0x0F, 0x20), cr, RAX));
            case 1 -> flipBit(s, cr, cr == 0 ? s.pick(CR0_BITS) : s.random.nextInt(cr == 4 ? 25 : 64));
            case 2 -> s.add(Asm.raw(CONTROL_REGISTER, "clts", 0x0F, 0x06));
            case 3 -> s.set(RAX, s.value()).add(Asm.reg(CONTROL_REGISTER, "lmsw ax", op(0x0F, 0x01), 6, RAX));
            default -> s.set(RAX, controlValue(s, cr))
                    .add(Asm.reg(CONTROL_REGISTER, "mov cr" + cr + ", rax", op(0x0F, 0x22), cr, RAX));
        }
    }

    /** {@code mov rax, crN; btc rax, bit; mov crN, rax}: the entry value with one bit flipped. */
    static void flipBit(Step s, int cr, int bit) {
        s.add(Asm.reg(CONTROL_REGISTER, "mov rax, cr" + cr, op(0x0F, 0x20), cr, RAX));
        s.add(Asm.reg(CONTROL_REGISTER, "btc rax, " + bit, op(), true, op(0x0F, 0xBA), 7, RAX, bit));
        s.add(Asm.reg(CONTROL_REGISTER, "mov cr" + cr + ", rax", op(0x0F, 0x22), cr, RAX));
    }

    private static long controlValue(Step s, int cr) {
        return switch (cr) {
            case 0 -> s.chance(70) ? CpuState.CR0 ^ 1L << s.pick(CR0_BITS) : s.value();
            case 3 -> s.chance(70) ? s.address() & -4096L | s.random.nextInt(4096) : s.value();
            case 4 -> s.chance(70) ? CpuState.CR4 ^ 1L << s.random.nextInt(25) : s.value();
            case 8 -> s.chance(70) ? s.random.nextInt(17) : s.value();
            default -> s.value();
        };
    }

    static void msr(Step s) {
        long msr = s.chance(90) ? s.pickLong(MSRS) : s.random.nextInt() & 0xFFFF_FFFFL;
        s.set(RCX, msr);
        switch (s.random.nextInt(4)) {
            case 0 -> s.add(Asm.raw(MSR, "rdmsr", 0x0F, 0x32));
            case 1 -> {
                int bit = msr == EFER ? s.pick(0, 8, 10, 11, 12, 14, 15) : s.random.nextInt(32);
                s.add(Asm.raw(MSR, "rdmsr", 0x0F, 0x32));
                s.add(Asm.reg(MSR, "btc eax, " + bit, op(), false, op(0x0F, 0xBA), 7, RAX, bit));
                s.add(Asm.raw(MSR, "wrmsr", 0x0F, 0x30));
            }
            default -> {
                long value = msr == EFER && s.chance(60) ? CpuState.EFER ^ 1L << s.pick(0, 8, 10, 11, 12, 14, 15)
                        : s.value();
                s.set(RAX, value & 0xFFFF_FFFFL).set(RDX, value >>> 32).add(Asm.raw(MSR, "wrmsr", 0x0F, 0x30));
            }
        }
    }

    static void descriptorTable(Step s) {
        String[] names = {"sgdt", "sidt", "lgdt", "lidt"};
        switch (s.random.nextInt(6)) {
            case 0, 1 -> {
                int which = s.random.nextInt(4);
                s.add(Asm.mem(DESCRIPTOR_TABLE, names[which] + " M", s.chance(20), op(0x0F, 0x01), which,
                        s.memory()));
            }
            case 2 -> {
                // a table register pointing at garbage: an interesting base and limit
                long at = s.scratch();
                long base = s.chance(50) ? s.address() : s.scratch();
                int limit = s.pick(0, 7, 0xF, 0x17, 0xFF, 0xFFF, 0xFFFF, s.random.nextInt(0x10000));
                s.store(at, limit & 0xFFFF | base << 16).store(at + 8, base >>> 48);
                int which = s.pick(2, 3);
                s.add(Asm.mem(DESCRIPTOR_TABLE, names[which] + " M", false, op(0x0F, 0x01), which, Mem.at(Asm.R11,
                        -8)));
            }
            case 3 -> {
                int which = s.random.nextInt(6); // sldt, str, lldt, ltr, verr, verw
                String[] forms = {"sldt ax", "str ax", "lldt ax", "ltr ax", "verr ax", "verw ax"};
                s.set(RAX, s.pick(SELECTORS)).add(Asm.reg(DESCRIPTOR_TABLE, forms[which], op(0x0F, 0x00), which,
                        RAX));
            }
            case 4 -> {
                int which = s.pick(2, 3);
                s.add(Asm.mem(DESCRIPTOR_TABLE, which == 2 ? "lldt M" : "ltr M", false, op(0x0F, 0x00), which,
                        s.memory()));
            }
            default -> s.set(RCX, s.pick(SELECTORS)).add(s.chance(50)
                    ? Asm.reg(DESCRIPTOR_TABLE, "lar eax, ecx", op(0x0F, 0x02), RAX, RCX)
                    : Asm.reg(DESCRIPTOR_TABLE, "lsl eax, ecx", op(0x0F, 0x03), RAX, RCX));
        }
    }

    static void segment(Step s) {
        int sreg = s.chance(90) ? s.pick(0, 2, 3, 4, 5) : s.pick(1, 6, 7);
        switch (s.random.nextInt(7)) {
            case 0 -> s.set(RAX, s.pick(SELECTORS)).add(Asm.reg(SEGMENT,
                    "mov " + SEGMENT_REGISTERS[sreg] + ", ax", op(0x8E), sreg, RAX));
            case 1 -> s.set(RAX, s.pick(SELECTORS)).add(Asm.raw(SEGMENT, "push rax", 0x50))
                    .add(s.chance(50) ? Asm.raw(SEGMENT, "pop fs", 0x0F, 0xA1)
                            : Asm.raw(SEGMENT, "pop gs", 0x0F, 0xA9));
            case 2 -> {
                int[] opcodes = {0xB2, 0xB4, 0xB5};
                String[] names = {"lss", "lfs", "lgs"};
                int which = s.random.nextInt(3);
                s.add(Asm.mem(SEGMENT, names[which] + " rax, M", s.chance(50), op(0x0F, opcodes[which]), RAX,
                        s.memory()));
            }
            case 3 -> {
                int which = s.random.nextInt(4); // rdfsbase, rdgsbase, wrfsbase, wrgsbase
                String[] names = {"rdfsbase rax", "rdgsbase rax", "wrfsbase rax", "wrgsbase rax"};
                s.set(RAX, s.value()).add(Asm.reg(SEGMENT, names[which], op(0xF3), true, op(0x0F, 0xAE), which,
                        RAX));
            }
            case 4 -> s.add(Asm.raw(SEGMENT, "swapgs", 0x0F, 0x01, 0xF8));
            case 5 -> s.add(Asm.reg(SEGMENT, "mov eax, " + SEGMENT_REGISTERS[sreg], op(0x8C), sreg, RAX));
            default -> {
                int prefix = s.pick(0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65);
                s.add(Asm.mem(SEGMENT, String.format("mov rax, [%02x] M", prefix), op(prefix), true, op(0x8B), RAX,
                        s.memory(), 0, 0));
            }
        }
    }

    static void debugRegister(Step s) {
        int dr = s.chance(90) ? s.random.nextInt(8) : 8 + s.random.nextInt(8);
        if (s.chance(20)) {
            s.add(Asm.reg(DEBUG_REGISTER, "mov rax, dr" + dr, op(0x0F, 0x21), dr, RAX));
            return;
        }
        if (s.chance(40)) {
            // a breakpoint: an address in DR0-3, then DR7 enabling it
            int slot = s.random.nextInt(4);
            s.set(RAX, s.address()).add(Asm.reg(DEBUG_REGISTER, "mov dr" + slot + ", rax", op(0x0F, 0x23), slot,
                    RAX));
            dr = 7;
        }
        long value = switch (dr) {
            case 7, 5 -> s.chance(80) ? s.random.nextInt(0x100) | (long) s.random.nextInt(0x10000) << 16
                    | (s.chance(20) ? 1 << 13 : 0) : s.value();
            case 6, 4 -> s.value();
            default -> s.address();
        };
        s.set(RAX, value).add(Asm.reg(DEBUG_REGISTER, "mov dr" + dr + ", rax", op(0x0F, 0x23), dr, RAX));
    }

    static void system(Step s) {
        switch (s.random.nextInt(12)) {
            case 0 -> s.set(RCX, s.value()).add(s.pickAny(
                    Asm.raw(SYSTEM, "syscall", 0x0F, 0x05), Asm.raw(SYSTEM, "sysret", 0x0F, 0x07),
                    Asm.raw(SYSTEM, "sysretq", 0x48, 0x0F, 0x07)));
            case 1 -> s.set(RCX, s.address()).set(RDX, s.address()).add(s.pickAny(
                    Asm.raw(SYSTEM, "sysenter", 0x0F, 0x34), Asm.raw(SYSTEM, "sysexit", 0x0F, 0x35),
                    Asm.raw(SYSTEM, "sysexitq", 0x48, 0x0F, 0x35)));
            case 2 -> {
                int vector = s.random.nextInt(256);
                s.add(s.pickAny(Asm.raw(SYSTEM, "int 0x" + Integer.toHexString(vector), 0xCD, vector),
                        Asm.raw(SYSTEM, "int3", 0xCC), Asm.raw(SYSTEM, "int1", 0xF1), Asm.raw(SYSTEM, "into", 0xCE)));
            }
            case 3 -> s.add(s.pickAny(Asm.raw(SYSTEM, "ud2", 0x0F, 0x0B),
                    Asm.raw(SYSTEM, "ud1 eax, eax", 0x0F, 0xB9, 0xC0),
                    Asm.raw(SYSTEM, "ud0 eax, eax", 0x0F, 0xFF, 0xC0), Asm.raw(SYSTEM, "hlt", 0xF4),
                    Asm.raw(SYSTEM, "cli", 0xFA), Asm.raw(SYSTEM, "sti", 0xFB)));
            case 4 -> s.set(RAX, s.chance(70) ? s.pickLong(0, 1, 2, 4, 6, 7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14,
                    0x8000_0000L, 0x8000_0001L, 0x8000_0008L, 0x8000_001FL, 0x4000_0000L) : s.value())
                    .set(RCX, s.random.nextInt(4)).add(Asm.raw(SYSTEM, "cpuid", 0x0F, 0xA2));
            case 5 -> s.set(RCX, s.value()).add(s.pickAny(Asm.raw(SYSTEM, "rdtsc", 0x0F, 0x31),
                    Asm.raw(SYSTEM, "rdtscp", 0x0F, 0x01, 0xF9), Asm.raw(SYSTEM, "rdpmc", 0x0F, 0x33),
                    Asm.raw(SYSTEM, "rdrand rax", 0x48, 0x0F, 0xC7, 0xF0),
                    Asm.raw(SYSTEM, "rdseed eax", 0x0F, 0xC7, 0xF8),
                    Asm.raw(SYSTEM, "rdpid rax", 0xF3, 0x0F, 0xC7, 0xF8),
                    Asm.raw(SYSTEM, "rdpkru", 0x0F, 0x01, 0xEE), Asm.raw(SYSTEM, "wrpkru", 0x0F, 0x01, 0xEF)));
            case 6 -> {
                long value = s.chance(70) ? s.pick(0, 1, 3, 7, 0xE7, 0x207, 0x2FF, 0x6, 0x2) : s.value();
                s.set(RCX, s.chance(80) ? s.random.nextInt(2) : s.value()).set(RAX, value & 0xFFFF_FFFFL)
                        .set(RDX, value >>> 32).add(s.chance(70) ? Asm.raw(SYSTEM, "xsetbv", 0x0F, 0x01, 0xD1)
                                : Asm.raw(SYSTEM, "xgetbv", 0x0F, 0x01, 0xD0));
            }
            case 7 -> s.set(RAX, s.address()).add(s.pickAny(Asm.raw(SYSTEM, "monitor", 0x0F, 0x01, 0xC8),
                    Asm.raw(SYSTEM, "mwait", 0x0F, 0x01, 0xC9), Asm.raw(SYSTEM, "invd", 0x0F, 0x08),
                    Asm.raw(SYSTEM, "wbinvd", 0x0F, 0x09), Asm.raw(SYSTEM, "rsm", 0x0F, 0xAA),
                    Asm.raw(SYSTEM, "getsec", 0x0F, 0x37), Asm.raw(SYSTEM, "clac", 0x0F, 0x01, 0xCA),
                    Asm.raw(SYSTEM, "stac", 0x0F, 0x01, 0xCB), Asm.raw(SYSTEM, "encls", 0x0F, 0x01, 0xCF),
                    Asm.raw(SYSTEM, "xtest", 0x0F, 0x01, 0xD6), Asm.raw(SYSTEM, "xend", 0x0F, 0x01, 0xD5),
                    Asm.raw(SYSTEM, "xbegin +0", 0xC7, 0xF8, 0, 0, 0, 0),
                    Asm.raw(SYSTEM, "serialize", 0x0F, 0x01, 0xE8)));
            case 8 -> s.add(s.pickAny(Asm.raw(SYSTEM, "vmcall", 0x0F, 0x01, 0xC1),
                    Asm.raw(SYSTEM, "vmlaunch", 0x0F, 0x01, 0xC2), Asm.raw(SYSTEM, "vmresume", 0x0F, 0x01, 0xC3),
                    Asm.raw(SYSTEM, "vmxoff", 0x0F, 0x01, 0xC4), Asm.raw(SYSTEM, "vmrun", 0x0F, 0x01, 0xD8),
                    Asm.raw(SYSTEM, "vmmcall", 0x0F, 0x01, 0xD9), Asm.raw(SYSTEM, "vmload", 0x0F, 0x01, 0xDA),
                    Asm.raw(SYSTEM, "stgi", 0x0F, 0x01, 0xDC), Asm.raw(SYSTEM, "skinit", 0x0F, 0x01, 0xDE),
                    Asm.raw(SYSTEM, "invlpga", 0x0F, 0x01, 0xDF), Asm.raw(SYSTEM, "vmfunc", 0x0F, 0x01, 0xD4),
                    Asm.reg(SYSTEM, "vmread rax, rcx", op(0x0F, 0x78), RCX, RAX)));
            case 9 -> {
                int[][] forms = {{0x0F, 0x01}, {0x0F, 0xC7}, {0xF3, 0x0F, 0xC7}, {0x66, 0x0F, 0xC7}};
                String[] names = {"invlpg M", "vmptrld M", "vmxon M", "vmclear M"};
                int which = s.random.nextInt(4);
                int[] form = forms[which];
                int[] prefix = form.length == 3 ? op(form[0]) : op();
                int[] opcode = form.length == 3 ? op(form[1], form[2]) : form;
                s.add(Asm.mem(SYSTEM, names[which], prefix, false, opcode, which == 0 ? 7 : 6, s.memory(), 0, 0));
            }
            case 10 -> s.set(RAX, s.random.nextInt(5)).add(Asm.mem(SYSTEM, "invpcid rax, M", op(0x66), false,
                    op(0x0F, 0x38, 0x82), RAX, s.memory(), 0, 0));
            default -> s.add(s.pickAny(Asm.raw(SYSTEM, "sti; hlt", 0xFB, 0xF4), Asm.raw(SYSTEM, "cli; hlt", 0xFA, 0xF4),
                    Asm.raw(SYSTEM, "pause", 0xF3, 0x90), Asm.raw(SYSTEM, "lfence", 0x0F, 0xAE, 0xE8),
                    Asm.raw(SYSTEM, "mfence", 0x0F, 0xAE, 0xF0), Asm.raw(SYSTEM, "xabort 1", 0xC6, 0xF8, 1)));
        }
    }

    static void portIo(Step s) {
        int port = s.chance(50) ? s.pick(0, 0x20, 0x21, 0x40, 0x60, 0x64, 0x70, 0x71, 0x80, 0x92, 0xCF8, 0xCFC,
                0x3F8, 0x100, 0x101, 0x102, 0x103, 0xFFFF) : s.random.nextInt(0x10000);
        s.set(RDX, port).set(RAX, s.value());
        if (s.chance(25)) {
            s.set(RCX, s.pickLong(0, 1, 2, 16, 0x1000, s.value())).set(Asm.RSI, s.address()).set(Asm.RDI, s.address());
            int opcode = s.pick(0x6C, 0x6D, 0x6E, 0x6F);
            s.add(Asm.raw(PORT_IO, "rep " + (opcode < 0x6E ? "ins" : "outs") + (opcode % 2 == 0 ? "b" : "d"), 0xF3,
                    opcode));
            return;
        }
        int imm = port & 0xFF;
        s.add(s.pickAny(Asm.raw(PORT_IO, "in al, dx", 0xEC), Asm.raw(PORT_IO, "in eax, dx", 0xED),
                Asm.raw(PORT_IO, "in ax, dx", 0x66, 0xED), Asm.raw(PORT_IO, "out dx, al", 0xEE),
                Asm.raw(PORT_IO, "out dx, eax", 0xEF), Asm.raw(PORT_IO, "in al, " + imm, 0xE4, imm),
                Asm.raw(PORT_IO, "in eax, " + imm, 0xE5, imm), Asm.raw(PORT_IO, "out " + imm + ", al", 0xE6, imm),
                Asm.raw(PORT_IO, "out " + imm + ", eax", 0xE7, imm)));
    }
}
