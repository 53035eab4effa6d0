package io.snapgate.vmm.sandbox;

import static io.snapgate.vmm.sandbox.Failure.CPU_EXCEPTION;
import static io.snapgate.vmm.sandbox.Failure.GUEST_ABORT;
import static io.snapgate.vmm.sandbox.Failure.GUEST_ERROR;
import static io.snapgate.vmm.sandbox.Failure.INVALID_INSTRUCTION;
import static io.snapgate.vmm.sandbox.Failure.MALFORMED_FRAME;
import static io.snapgate.vmm.sandbox.Failure.MEMORY_ACCESS_VIOLATION;
import static io.snapgate.vmm.sandbox.Failure.SANDBOX_LOST;
import static io.snapgate.vmm.sandbox.Failure.TIMED_OUT;
import static io.snapgate.vmm.sandbox.Failure.UNKNOWN_PORT;
import static io.snapgate.vmm.sandbox.Failure.UNRUNNABLE_STATE;
import static io.snapgate.vmm.sandbox.HostileAttempt.HARMLESS;
import static io.snapgate.vmm.sandbox.HostileAttempt.of;

import io.snapgate.vmm.memory.MemoryLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every attempt of hostile.c the suite makes, with what each backend answers (as measured: an answer that differs
 * between backends is the CPU's business, e.g. Unicorn ignores WRMSR of unknown MSRs and KVM refuses every WRMSR;
 * neither is a failure of the node).
 */
final class HostileAttempts {
    /**
     * Attempts whose leftovers QEMU's emulation of AMD SVM keeps, or which crash QEMU itself, when KVM runs nested
     * in it (run-with-kvm): QEMU before 9.1 leaves breakpoints and watchpoints armed across VMRUN whatever DR7 the
     * VMCB holds (fixed by "target/i386: disable/enable breakpoints on vmentry/vmexit"), so the next call takes a
     * #DB; it does not reload CR8 (V_TPR) from the VMCB either, so the guest reads its old TPR; and QEMU 7.2
     * segfaults on DR7.GD. The debug registers and CR8 the vCPU holds are reset all the same (their values show in
     * the fingerprint, which the DR attempts below check). They run on a real CPU.
     */
    static final Set<String> KEPT_BY_QEMU_TCG = Set.of("arm_breakpoint(0x100000)", "write_dr(0x7, 0x1)",
            "write_dr(0x7, 0x3)", "write_dr(0x7, 0xd0003)", "write_dr(0x7, 0x2000)", "write_cr(0x8, 0xf)");

    /** A value hostile.c writes where it can, and looks for afterwards. */
    static final long PATTERN = 0xCCCC_CCCC_CCCC_CCCCL;
    /** The KVM backend's own pages (IDT, GDT, stubs, then the writable ones): guest physical 16 GiB. */
    private static final long HOST_PAGES = MemoryLayout.MAX_SIZE;
    private static final long HOST_PAGE_LINEAR = 0xFFFF_FF80_0000_0000L;
    private static final long IST_STACK = HOST_PAGE_LINEAR + 0x3F00;

    private HostileAttempts() {
    }

    static List<HostileAttempt> all() {
        List<HostileAttempt> all = new ArrayList<>();
        controlRegisters(all);
        msrs(all);
        debugRegisters(all);
        xsave(all);
        descriptorTables(all);
        haltsInterruptsAndSystemCalls(all);
        ports(all);
        jumpsAndExecution(all);
        memory(all);
        stackAndIretq(all);
        resultsAndFloods(all);
        return all;
    }

    private static void controlRegisters(List<HostileAttempt> all) {
        all.add(of("write_cr", 0, 0xE001_0033L).both(HARMLESS)); // CD | NW: caching off
        all.add(of("write_cr", 0, 0x0001_0033L).emulated(MEMORY_ACCESS_VIOLATION).kvm(CPU_EXCEPTION)); // paging off
        all.add(of("write_cr", 0, 0x8000_0033L).both(HARMLESS)); // WP off
        all.add(of("write_cr", 0, 0x8001_0037L).both(INVALID_INSTRUCTION)); // EM: SSE faults
        all.add(of("write_cr", 0, 0x8001_003BL).both(CPU_EXCEPTION)); // TS: #NM
        all.add(of("write_cr", 2, 0xDEAD_BEEFL).both(HARMLESS));
        all.add(of("write_cr", 3, 0L).emulated(MEMORY_ACCESS_VIOLATION).kvm(TIMED_OUT)); // KVM retries the walk
        all.add(of("write_cr", 3, 0x8000_0000_0000_2000L).emulated(HARMLESS).kvm(UNRUNNABLE_STATE));
        all.add(of("write_cr", 4, 0x6A0L).both(HARMLESS)); // PGE
        all.add(of("write_cr", 4, 0x4_0620L).both(HARMLESS)); // OSXSAVE
        all.add(of("write_cr", 4, 0x30_0620L).both(HARMLESS)); // SMEP | SMAP
        all.add(of("write_cr", 4, 0x600L).emulated(MEMORY_ACCESS_VIOLATION).kvm(CPU_EXCEPTION)); // PAE off
        all.add(of("write_cr", 4, 0x2_0620L).emulated(HARMLESS).kvm(CPU_EXCEPTION)); // PCIDE
        all.add(of("write_cr", 4, 0x2620L).emulated(HARMLESS).kvm(CPU_EXCEPTION)); // VMXE
        all.add(of("write_cr", 4, 0xE20L).both(HARMLESS)); // UMIP
        all.add(of("write_cr", 4, 0x624L).both(HARMLESS)); // TSD
        all.add(of("write_cr", 4, 0x40_0620L).both(HARMLESS)); // PKE
        all.add(of("write_cr", 4, 0x1_0620L).both(HARMLESS)); // FSGSBASE
        all.add(of("write_cr", 4, -1L).emulated(HARMLESS).kvm(CPU_EXCEPTION));
        all.add(of("write_cr", 8, 15L).both(HARMLESS)); // TPR
    }

    /** Each MSR, then its value read back: Unicorn lets a guest write them, KVM's MSR filter refuses (#GP). */
    private static void msrs(List<HostileAttempt> all) {
        long[][] writes = {
            {0x174, 0x8}, {0x175, 0x1000}, {0x176, 0x10_0000}, // SYSENTER_CS, _ESP, _EIP
            {0xC000_0081L, 0x0023_0010_0000_0000L}, {0xC000_0082L, 0x10_0000}, {0xC000_0083L, 0x10_0000}, // STAR..
            {0xC000_0084L, 0x700}, {0xC000_0100L, 0x1234_5000}, {0xC000_0101L, 0x1234_5000}, // SFMASK, FS, GS base
            {0xC000_0102L, 0x1234_5000}, {0xC000_0103L, 0x42}, {0x277, 0}, // KERNEL_GS_BASE, TSC_AUX, PAT
            {0xC000_0080L, 0xD01}, {0xC000_0080L, 0}, {0x10, 0x1_2345_6789L}, {0x3B, 0x100_0000}, // EFER, TSC
            {0x1B, 0xFEE0_0D00L}, {0x2FF, 0x800}, {0x1D9, 0x3}, {0x1A0, 0}, {0x48, 1}, // APIC base, MTRR, DEBUGCTL
            {0x4B56_4D01L, 0x1001}, {0x4B56_4D00L, 0x1000}, {0x4B56_4D02L, 0x1001}, {0x4B56_4D03L, 0x1001}, // kvm
            {0x4B56_4D04L, 0x1001}, {0x808, 0xFF}, {0xC001_0117L, 0x1000}, {0xC001_0015L, 0}, // x2APIC TPR, HSAVE
            {0xC001_0000L, 0x43_0076}, {0x3A, 0x5}, {0xDA0, 0x100}, {0xE1, 0}, {0xC000_0104L, 1L << 32},
            {0x1234_5678, 0},
        };
        for (long[] write : writes) {
            all.add(of("write_msr", write[0], write[1]).emulated(HARMLESS).kvm(CPU_EXCEPTION)
                    .then("read_msr", write[0]));
        }
    }

    private static void debugRegisters(List<HostileAttempt> all) {
        // An execution breakpoint enabled in DR7 crashes Unicorn 2.0.1 (SIGSEGV in uc_emu_start): issue 13's
        // reproducer. The emulator process dies with it, and only the sandboxes it held are lost.
        all.add(of("arm_breakpoint", 0x10_0000L).emulated(SANDBOX_LOST).kvm(HARMLESS));
        all.add(of("write_dr", 7, 0x1L).emulated(SANDBOX_LOST).kvm(HARMLESS));
        all.add(of("write_dr", 7, 0x3L).emulated(SANDBOX_LOST).kvm(HARMLESS));
        all.add(of("write_dr", 7, 0xD_0003L).both(HARMLESS)); // a write watchpoint
        all.add(of("write_dr", 7, 0x2000L).emulated(HARMLESS).kvm(HARMLESS, CPU_EXCEPTION)); // GD
        all.add(of("write_dr", 0, 0x10_0000L).both(HARMLESS));
        all.add(of("write_dr", 1, 0x1234L).both(HARMLESS));
        all.add(of("write_dr", 2, 0x5678L).both(HARMLESS));
        all.add(of("write_dr", 3, 0x9ABCL).both(HARMLESS));
        all.add(of("write_dr", 6, 0xFFFF_FFFFL).both(HARMLESS));
        all.add(of("write_dr", 7, 0xFFFF_0400L).both(HARMLESS)); // every type and length, nothing enabled
    }

    /** Unicorn's CPU has no XSAVE (a guest error says so). */
    private static void xsave(List<HostileAttempt> all) {
        all.add(of("xsetbv", 7L).emulated(GUEST_ERROR).kvm(HARMLESS));
        all.add(of("xsetbv", 3L).emulated(GUEST_ERROR).kvm(HARMLESS));
        all.add(of("xsetbv", 0L).emulated(GUEST_ERROR).kvm(CPU_EXCEPTION));
        all.add(of("xsetbv", 0xFFFF_FFFFL).emulated(GUEST_ERROR).kvm(CPU_EXCEPTION));
        // QEMU's emulated XRSTOR (run-with-kvm) refuses the image after other XSAVE attempts: #GP
        all.add(of("load_avx_state", PATTERN).emulated(GUEST_ERROR).kvm(HARMLESS, GUEST_ERROR, CPU_EXCEPTION));
        all.add(of("set_kernel_gs_base", 0x1234_5000L).emulated(GUEST_ERROR).kvm(HARMLESS));
        all.add(of("set_kernel_gs_base", 0x4141_4141_4141_4141L).emulated(GUEST_ERROR).kvm(HARMLESS, CPU_EXCEPTION));
    }

    private static void descriptorTables(List<HostileAttempt> all) {
        all.add(of("load_gdt", 0L, 0xFFFF, true).emulated(MEMORY_ACCESS_VIOLATION).kvm(TIMED_OUT));
        all.add(of("load_gdt", 0xDEAD_0000L, 0xFFFF, false).both(HARMLESS));
        all.add(of("load_gdt", 0L, 0, false).both(HARMLESS));
        all.add(of("load_idt", 0L, 0xFFF, true).emulated(INVALID_INSTRUCTION).kvm(UNRUNNABLE_STATE));
        all.add(of("load_idt", 0L, 0, false).both(HARMLESS));
        all.add(of("load_idt", 0xFFFF_FFFF_0000_0000L, 0xFFF, true).emulated(INVALID_INSTRUCTION)
                .kvm(CPU_EXCEPTION)); // a triple fault
        all.add(of("load_segment", 0, 0x1234).both(CPU_EXCEPTION)); // ds
        all.add(of("load_segment", 4, 0).both(HARMLESS)); // a null ss is allowed in 64-bit mode
        all.add(of("load_segment", 4, 0x1234).both(CPU_EXCEPTION));
        all.add(of("load_segment", 5, 0x18).emulated(CPU_EXCEPTION).kvm(MEMORY_ACCESS_VIOLATION)); // ltr
        all.add(of("load_segment", 5, 0).both(HARMLESS));
        all.add(of("load_segment", 6, 0).both(HARMLESS)); // lldt
        all.add(of("load_segment", 6, 0x28).both(CPU_EXCEPTION));
        all.add(of("load_segment", 2, 0x10).emulated(CPU_EXCEPTION).kvm(HARMLESS)); // fs
    }

    private static void haltsInterruptsAndSystemCalls(List<HostileAttempt> all) {
        all.add(of("cli_hlt").both(UNKNOWN_PORT)); // a bare hlt exits with DX as its port
        all.add(of("hlt_loop").both(UNKNOWN_PORT));
        all.add(of("cli_spin").both(TIMED_OUT));
        all.add(of("single_step").both(CPU_EXCEPTION));
        for (int which : new int[] {0, 2, 3, 4, 5}) { // int3, int $2, int $8, int $0x80, int $0xff
            all.add(of("software_interrupt", which).both(CPU_EXCEPTION));
        }
        all.add(of("software_interrupt", 1).both(INVALID_INSTRUCTION)); // icebp
        all.add(of("software_interrupt", 6).both(INVALID_INSTRUCTION)); // into
        all.add(of("system_call", 0).emulated(HARMLESS).kvm(INVALID_INSTRUCTION)); // syscall: Unicorn skips it
        all.add(of("system_call", 1).emulated(INVALID_INSTRUCTION).kvm(UNRUNNABLE_STATE)); // sysenter
        all.add(of("system_call", 2).both(INVALID_INSTRUCTION)); // sysret
        all.add(of("system_call", 3).emulated(INVALID_INSTRUCTION).kvm(CPU_EXCEPTION)); // sysexit
        // vmcall, vmmcall: the vendor's own runs KVM's hypercall; the other one KVM patches in the (read-only) code
        all.add(of("system_call", 4).emulated(INVALID_INSTRUCTION).kvm(HARMLESS, MEMORY_ACCESS_VIOLATION));
        all.add(of("system_call", 5).emulated(INVALID_INSTRUCTION).kvm(HARMLESS, MEMORY_ACCESS_VIOLATION));
        all.add(of("system_call", 6).both(INVALID_INSTRUCTION)); // rsm
    }

    /** On the emulated backend an {@code out} without {@code hlt} does nothing; on KVM every {@code out} exits. */
    private static void ports(List<HostileAttempt> all) {
        int[][] outs = {{0, 0}, {0x64, 0xFE}, {0x92, 1}, {0xCF9, 6}, {0x604, 0x2000}, {0x501, 1}, {0xFFF0, 3},
            {0xFFFF, 0}};
        for (int[] out : outs) {
            all.add(of("port_out", out[0], out[1]).emulated(HARMLESS).kvm(UNKNOWN_PORT));
        }
        all.add(of("port_out", 0x100, 0).emulated(HARMLESS).kvm(MALFORMED_FRAME));
        all.add(of("port_out", 0x101, 0).emulated(HARMLESS).kvm(MALFORMED_FRAME));
        for (int port : new int[] {0, 0x60, 0x510, 0xFFF0, 0x100}) {
            all.add(of("port_in", port).emulated(HARMLESS).kvm(INVALID_INSTRUCTION));
        }
        all.add(of("port_exit", 0x100, 0).both(MALFORMED_FRAME));
        all.add(of("port_exit", 0x101, 0).both(MALFORMED_FRAME));
        all.add(of("port_exit", 0x102, 0).both(GUEST_ABORT));
        all.add(of("port_exit", 0x103, 9).both(MALFORMED_FRAME));
        all.add(of("port_exit", 0xFFF0, 3).both(UNKNOWN_PORT)); // the KVM stubs' port, from outside the stubs
        all.add(of("port_exit", 0, 0).both(UNKNOWN_PORT));
        all.add(of("every_port_out").emulated(HARMLESS).kvm(UNKNOWN_PORT));
        all.add(of("every_port_in").emulated(HARMLESS).kvm(INVALID_INSTRUCTION));
    }

    private static void jumpsAndExecution(List<HostileAttempt> all) {
        for (long target : new long[] {0, 0x1000, 0x2000, 0xFFFF_8000_0000_0000L, HOST_PAGE_LINEAR,
            0xFFFF_FFFF_FFFF_F000L, HOST_PAGES, 0x1000_0000}) {
            all.add(of("jump_to", target).both(MEMORY_ACCESS_VIOLATION));
        }
        all.add(of("jump_to", 0x8000_0000_0000_0000L).both(CPU_EXCEPTION)); // non-canonical
        all.add(of("jump_to", 0x0000_8000_0000_0000L).both(CPU_EXCEPTION));
        all.add(of("jump_to", HOST_PAGE_LINEAR + 0x2030).emulated(MEMORY_ACCESS_VIOLATION) // KVM's stub 3
                .kvm(CPU_EXCEPTION));
        // W^X: data does not execute, on either backend
        all.add(of("exec_heap").both(MEMORY_ACCESS_VIOLATION));
        all.add(of("exec_stack").both(MEMORY_ACCESS_VIOLATION));
        all.add(of("exec_static").both(MEMORY_ACCESS_VIOLATION));
        all.add(of("exec_at", 0x1000L).both(MEMORY_ACCESS_VIOLATION)); // the control page
        all.add(of("write_own_code").both(MEMORY_ACCESS_VIOLATION));
        all.add(of("remap_code_writable").both(MEMORY_ACCESS_VIOLATION));
    }

    private static void memory(List<HostileAttempt> all) {
        all.add(of("read_u64", 0L).both(MEMORY_ACCESS_VIOLATION));
        all.add(of("read_u64", HOST_PAGES).both(MEMORY_ACCESS_VIOLATION));
        all.add(of("read_u64", HOST_PAGE_LINEAR).emulated(MEMORY_ACCESS_VIOLATION).kvm(HARMLESS)); // its IDT
        all.add(of("read_u64", 0x8000_0000_0000_0000L).emulated(MEMORY_ACCESS_VIOLATION).kvm(CPU_EXCEPTION));
        all.add(of("write_u64", 0x2000L, 0L).both(MEMORY_ACCESS_VIOLATION)); // the page tables
        all.add(of("write_u64", 0x1000L, 0L).both(HARMLESS)); // the control page: the host keeps its own layout
        all.add(of("write_u64", HOST_PAGE_LINEAR, 0L).both(MEMORY_ACCESS_VIOLATION));
        all.add(of("write_u64", IST_STACK, PATTERN).emulated(MEMORY_ACCESS_VIOLATION).kvm(HARMLESS)
                .then("read_u64", IST_STACK));
        all.add(of("write_u64", 0x10_0000L, 0x90L).both(MEMORY_ACCESS_VIOLATION)); // code
        all.add(of("write_control_page", -1L).both(HARMLESS));
        all.add(of("smash", 0x1000L, 8L, 0x41L).both(MEMORY_ACCESS_VIOLATION));
        all.add(of("smash", 0x10_0000L, 8L, 0x41L).both(MEMORY_ACCESS_VIOLATION));
        // Returns into the pattern: a non-canonical RIP, a fault on the fetch or #GP depending on the path to it.
        all.add(of("smash_own_stack", 0x4141_4141_4141_4141L).both(MEMORY_ACCESS_VIOLATION, CPU_EXCEPTION));
        all.add(of("scribble_physical", 0x2000L, 1, 0L).both(MEMORY_ACCESS_VIOLATION));
        // every page of the KVM backend's own: the first three refuse writes, the rest are put back before every
        // call (so the pattern is gone), and past them nothing is mapped
        for (int page = 0; page < 12; page++) {
            long address = HOST_PAGES + page * MemoryLayout.PAGE_SIZE;
            HostileAttempt scribble = of("scribble_physical", address, 1, PATTERN).emulated(MEMORY_ACCESS_VIOLATION);
            scribble = page < 3 ? scribble.kvm(MEMORY_ACCESS_VIOLATION)
                    : scribble.kvm(HARMLESS, MEMORY_ACCESS_VIOLATION);
            all.add(scribble.then("count_physical", address, 1, PATTERN));
        }
    }

    private static void stackAndIretq(List<HostileAttempt> all) {
        all.add(of("pivot_stack", 0L, false).both(MEMORY_ACCESS_VIOLATION));
        all.add(of("pivot_stack", 0x10_0800L, false).both(MEMORY_ACCESS_VIOLATION)); // onto code
        all.add(of("pivot_stack", HOST_PAGE_LINEAR + 0x4000, false).emulated(MEMORY_ACCESS_VIOLATION).kvm(HARMLESS));
        all.add(of("pivot_stack", HOST_PAGE_LINEAR + 0x4000, true).emulated(MEMORY_ACCESS_VIOLATION)
                .kvm(INVALID_INSTRUCTION)); // and fault on the exception stack itself
        all.add(of("pivot_stack", 0x8000_0000_0000_0000L, false).emulated(MEMORY_ACCESS_VIOLATION)
                .kvm(CPU_EXCEPTION));
        all.add(of("pivot_stack", 0x1800L, false).both(HARMLESS)); // onto the control page
        // iretq_frame(rip, cs, rflags, rsp, ss); rip 0: the next instruction, rsp 0: the current stack
        all.add(of("iretq_frame", 0L, 8L, 2L, 0L, 0x10L).emulated(CPU_EXCEPTION).kvm(HARMLESS)); // Unicorn has no GDT
        all.add(of("iretq_frame", 0L, 0x1234L, 2L, 0L, 0x10L).both(CPU_EXCEPTION));
        all.add(of("iretq_frame", 0x8000_0000_0000_0000L, 8L, 2L, 0L, 0x10L).both(CPU_EXCEPTION));
        all.add(of("iretq_frame", 0L, 8L, 0x102L, 0L, 0x10L).both(CPU_EXCEPTION)); // TF: #DB
        all.add(of("iretq_frame", 0L, 8L, 0x3202L, 0L, 0x10L).emulated(CPU_EXCEPTION).kvm(HARMLESS)); // IOPL 3, IF
        all.add(of("iretq_frame", 0L, 8L, 2L, 0L, 0x1234L).both(CPU_EXCEPTION));
        all.add(of("iretq_frame", 0L, 0x2BL, 2L, 0L, 0x23L).both(CPU_EXCEPTION)); // ring 3 with no such segments
        all.add(of("iretq_frame", 0xDEAD_BEEFL, 0xDEADL, 0xFFFF_FFFFL, 0xDEADL, 0xDEADL).emulated(CPU_EXCEPTION)
                .kvm(UNRUNNABLE_STATE));
    }

    private static void resultsAndFloods(List<HostileAttempt> all) {
        all.add(of("huge_result", 70_000).both(GUEST_ERROR));
        all.add(of("huge_result", 65_520).both(HARMLESS));
        all.add(of("result_from", 0L, 16).both(MEMORY_ACCESS_VIOLATION));
        all.add(of("result_from", HOST_PAGES, 16).both(MEMORY_ACCESS_VIOLATION));
        all.add(of("result_from", 0x1000L, 0xFFFF_FFF0L).both(GUEST_ERROR)); // larger than the output buffer
        all.add(of("forge_result", 0xFFFF_FFFFL, new byte[] {0}).both(MALFORMED_FRAME));
        all.add(of("forge_result", 65_536L, new byte[] {0}).both(MALFORMED_FRAME));
        all.add(of("forge_result", 2L, new byte[] {(byte) 0x91, 0}).both(MALFORMED_FRAME));
        // floods: bounded by issue 13 point 5, not here; the node must only live through them
        all.add(of("log_flood", 200).both(HARMLESS));
        all.add(of("host_call_flood", 1000).both(HARMLESS));
    }
}
