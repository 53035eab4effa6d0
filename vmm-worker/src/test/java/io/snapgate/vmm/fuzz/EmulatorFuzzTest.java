package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.RAX;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.testing.TestBackends;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short fuzzing run: about a minute of generated programs (a fixed seed: the same programs every time) in
 * emulator processes under the real memory layout. Every loss is contained (the program's process is gone, the
 * next program runs in a new one), and the debug-register crash of issue 13 is among what it finds.
 * {@link FuzzMain} is the long run.
 */
class EmulatorFuzzTest {
    private static final long SEED = 13;

    @BeforeAll
    static void requireUnicorn() {
        TestBackends.requireUnicorn();
    }

    @Test
    void everyCrashIsContainedAndTheDebugRegisterCrashIsFound() {
        Instant start = Instant.now();
        try (EmulatorTarget target = new EmulatorTarget(FuzzImage.DEFAULT)) {
            Fuzzer fuzzer = new Fuzzer(target, SEED, Duration.ofSeconds(15));
            fuzzer.run(Duration.ofSeconds(50));
            fuzzer.finish();
            FuzzMain.print(fuzzer, SEED, start, System.out);

            assertThat(fuzzer.breaches()).isEmpty();
            assertThat(fuzzer.losses()).isPositive();
            assertThat(fuzzer.contained()).isEqualTo(fuzzer.losses());
            assertThat(fuzzer.findings().values()).anySatisfy(f -> {
                assertThat(f.signature()).startsWith("SIGSEGV");
                assertThat(f.classes()).contains(Category.DEBUG_REGISTER);
            });
        }
    }

    /** {@code mov rax, <addr>; mov dr0, rax; mov rax, 3; mov dr7, rax}, as reported, under the real layout. */
    @Test
    void theReportedDebugRegisterProgramCrashesItsProcessOnly() {
        Program reported = Program.of(Asm.mov(RAX, FuzzImage.CODE),
                Asm.reg(Category.DEBUG_REGISTER, "mov dr0, rax", Asm.op(0x0F, 0x23), 0, RAX), Asm.mov(RAX, 3),
                Asm.reg(Category.DEBUG_REGISTER, "mov dr7, rax", Asm.op(0x0F, 0x23), 7, RAX));
        try (EmulatorTarget target = new EmulatorTarget(FuzzImage.DEFAULT)) {
            Outcome outcome = target.run(reported, Fuzzer.SLOW_DEADLINE);
            int lost = target.lastPid();

            assertThat(outcome).isInstanceOfSatisfying(Outcome.Crashed.class, crash -> {
                assertThat(crash.stage()).isEqualTo("run"); // the run itself ended with VmExit.Lost
                assertThat(crash.signature()).isEqualTo(
                        "SIGSEGV at C [translated guest code], under UnicornLib.uc_emu_start");
            });
            assertThat(target.run(Program.of(), Fuzzer.DEADLINE)).isEqualTo(new Outcome.Ended("done"));
            assertThat(target.lastPid()).isNotEqualTo(lost);
        }
    }
}
