package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.RAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.abi.Ports;
import io.snapgate.vmm.memory.LayoutSizes;
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
 * the class can move to a list of fixed ones.
 */
class UnicornCrashesTest {

    @BeforeAll
    static void requireUnicorn() {
        assumeTrue(UnicornBackend.isAvailable(), "Unicorn 2 is not available: install the libunicorn2 package");
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
     * A 512-byte store ({@code fxsave}) that starts in the read-only page below the data segment and runs into
     * the first chunk of the data and heap slot, which the backend maps lazily (a heap of 4 MiB or more) and has
     * not mapped yet: the backend's fault hook maps the chunk in the middle of the access, and Unicorn dies in
     * {@code uc_mem_map_ptr} ({@code qemu_ram_alloc_from_ptr}). Other accesses into chunks not mapped yet leave its
     * RAM block list or the C heap corrupted, and a later program dies in its setup. With a smaller heap, mapped
     * whole, this is a write fault.
     */
    @Test
    void aStoreFromAReadOnlyPageIntoALazilyMappedChunk() {
        Program program = Program.of(Asm.mov(Asm.R11, FuzzImage.DATA - 64),
                Asm.mem(Category.FPU_SIMD, "fxsave M", false, Asm.op(0x0F, 0xAE), 0, Mem.at(Asm.R11, 0)));
        assertLostAndNextRuns(program, FuzzImage.LAZY_HEAP);
    }

    private static void assertLostAndNextRuns(Program program) {
        assertLostAndNextRuns(program, FuzzImage.DEFAULT);
    }

    private static void assertLostAndNextRuns(Program program, LayoutSizes sizes) {
        ProcessBackend backend = (ProcessBackend) VcpuBackends.named(UnicornBackend.NAME);
        long pid = backend.processId();
        try (PlacedProgram placed = PlacedProgram.place(backend, program, sizes)) {
            assertThat(placed.enter()).isInstanceOfSatisfying(VmExit.Lost.class,
                    lost -> assertThat(lost.reason()).contains("(pid " + pid + ") died"));
        }
        try (PlacedProgram next = PlacedProgram.place(backend, Program.of(), sizes)) {
            assertThat(next.enter()).isEqualTo(new VmExit.IoOut(Ports.DONE, Program.EXIT_VALUE));
            assertThat(backend.processId()).isNotEqualTo(pid);
        }
    }
}
