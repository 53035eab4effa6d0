package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.RAX;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.abi.Ports;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.snapgate.vmm.vcpu.VmExit;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way the fuzzer found to crash Unicorn 2.0.1 natively (BENCHMARKS.md, "What crashes Unicorn 2.0.1
 * natively"), as its minimal reproducer on the gateway's own emulated backend under the real memory layout: the
 * run ends with {@link VmExit.Lost}, and the thread's next program runs, in a new emulator process. Should a fix
 * (of Unicorn, or of how the backend maps memory) remove one, its test fails on the program's exit instead: then
 * the class moves to the fixed ones at the end, whose tests say that the process and the next program live on.
 */
class UnicornCrashesTest {

    @BeforeAll
    static void requireUnicorn() {
        TestBackends.requireUnicorn();
    }

    /**
     * DR7 enabling an instruction breakpoint: Unicorn flushes every translated block from inside the one running
     * ({@code cpu_breakpoint_insert -> tb_flush}), zeroing its 1 GiB translation buffer first (seconds), then
     * returns into the zeroed code: SIGSEGV. Data breakpoints (R/W bits 01 or 11) do not crash it.
     */
    @Test
    void anInstructionBreakpointInDr7() {
        assertLostAndNextRuns(Program.of(Asm.mov(RAX, 1),
                Asm.reg(Category.DEBUG_REGISTER, "mov dr7, rax", Asm.op(0x0F, 0x23), 7, RAX)));
    }

    /** {@code jmp far} with a register operand (FF /5, mod 11): Unicorn's translator aborts ("tcg fatal error"). */
    @Test
    void aFarJumpThroughARegister() {
        assertLostAndNextRuns(Program.of(Asm.raw(Category.FAR_TRANSFER, "jmp far rax", 0xFF, 0xE8)));
    }

    /** {@code call far} with a register operand (FF /3, mod 11), likewise. */
    @Test
    void aFarCallThroughARegister() {
        assertLostAndNextRuns(Program.of(Asm.raw(Category.FAR_TRANSFER, "call far rax", 0xFF, 0xD8)));
    }

    /**
     * Fixed: a 512-byte store ({@code fxsave}) that starts in the read-only page below the data segment and runs
     * into a heap of 4 MiB or more. The backend used to map such heaps a 1 MiB chunk at a time from inside
     * Unicorn's fault hook, in the middle of the access: Unicorn died in {@code uc_mem_map_ptr}, and other such
     * stores left the pooled engine or the C heap corrupted for a later program, another tenant's. Mapped whole
     * now, this is the write fault it is with a small heap, and the next program runs on the same pooled engine
     * in the same process.
     */
    @Test
    void aStoreFromAReadOnlyPageIntoALargeHeapIsAFault() {
        ProcessBackend backend = backend();
        long pid = backend.processId();
        try (PlacedProgram placed = PlacedProgram.place(backend, fxsaveAt(FuzzImage.DATA - 64), FuzzImage.LAZY_HEAP)) {
            assertThat(placed.enter()).isInstanceOfSatisfying(VmExit.MemoryFault.class,
                    fault -> assertThat(fault.access()).isEqualTo(VmExit.Access.WRITE));
        }
        assertNextRuns(backend, FuzzImage.LAZY_HEAP);
        assertThat(backend.processId()).isEqualTo(pid);
    }

    private static Program fxsaveAt(long address) {
        return Program.of(Asm.mov(Asm.R11, address),
                Asm.mem(Category.FPU_SIMD, "fxsave M", false, Asm.op(0x0F, 0xAE), 0, Mem.at(Asm.R11, 0)));
    }

    private static ProcessBackend backend() {
        return (ProcessBackend) VcpuBackends.named(UnicornBackend.NAME);
    }

    private static void assertNextRuns(ProcessBackend backend, LayoutSizes sizes) {
        try (PlacedProgram next = PlacedProgram.place(backend, Program.of(), sizes)) {
            assertThat(next.enter()).isEqualTo(new VmExit.IoOut(Ports.DONE, Program.EXIT_VALUE));
        }
    }

    private static void assertLostAndNextRuns(Program program) {
        ProcessBackend backend = backend();
        long pid = backend.processId();
        try (PlacedProgram placed = PlacedProgram.place(backend, program, FuzzImage.DEFAULT)) {
            assertThat(placed.enter()).isInstanceOfSatisfying(VmExit.Lost.class,
                    lost -> assertThat(lost.reason()).contains("(pid " + pid + ") died"));
        }
        assertNextRuns(backend, FuzzImage.DEFAULT);
        assertThat(backend.processId()).isNotEqualTo(pid);
    }
}
