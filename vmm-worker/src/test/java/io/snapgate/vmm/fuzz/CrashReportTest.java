package io.snapgate.vmm.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures from what crashed emulator processes left (excerpts of real reports the fuzzer read). */
class CrashReportTest {
    private static final String IN_A_LIBRARY = """
            #
            # A fatal error has been detected by the Java Runtime Environment:
            #
            #  SIGSEGV (0xb) at pc=0x00007f63447c3070, pid=21419, tid=21421
            #
            # Problematic frame:
            # C  [libunicorn.so+0x3c3070]  qemu_ram_alloc_from_ptr_x86_64+0xd0
            #
            Native frames: (J=compiled Java code, j=interpreted, Vv=VM code, C=native code)
            C  [libunicorn.so+0x3c3070]  qemu_ram_alloc_from_ptr_x86_64+0xd0

            Java frames: (J=compiled Java code, j=interpreted, Vv=VM code)
            J 1294  io.snapgate.vmm.vcpu.unicorn.UnicornLib.uc_mem_map_ptr(JJJIJ)I (0 bytes) @ 0x00007f63acf2d276
            """;
    private static final String IN_TRANSLATED_CODE = """
            #  SIGSEGV (0xb) at pc=0x00007f72ac000461, pid=25633, tid=25636
            # Problematic frame:
            # C  0x00007f72ac000461
            #
            Native frames: (J=compiled Java code, j=interpreted, Vv=VM code, C=native code)
            C  0x00007f72ac000461

            Java frames: (J=compiled Java code, j=interpreted, Vv=VM code)
            j  io.snapgate.vmm.vcpu.unicorn.UnicornLib.uc_emu_start(JJJJJ)I+0
            j  io.snapgate.vmm.vcpu.unicorn.UnicornEngine.run(J)I+17
            """;

    @TempDir
    Path folder;

    @Test
    void aFrameInALibraryIsTheSignature() {
        CrashReport report = CrashReport.parse(IN_A_LIBRARY);

        assertThat(report.signature())
                .isEqualTo("SIGSEGV at C [libunicorn.so+0x3c3070] qemu_ram_alloc_from_ptr_x86_64+0xd0");
        assertThat(report.nativeFrames())
                .containsExactly("C  [libunicorn.so+0x3c3070]  qemu_ram_alloc_from_ptr_x86_64+0xd0");
    }

    /** Its address changes from run to run: the Java call into Unicorn under it names it instead. */
    @Test
    void codeOutsideEveryLibraryIsNamedByTheCallIntoUnicorn() {
        assertThat(CrashReport.parse(IN_TRANSLATED_CODE).signature())
                .isEqualTo("SIGSEGV at C [translated guest code], under UnicornLib.uc_emu_start");
    }

    @Test
    void aReportWinsOverTheOutput() throws IOException {
        Path report = Files.writeString(folder.resolve("hs_err_pid1.log"), IN_A_LIBRARY);
        Path output = Files.writeString(folder.resolve("output_pid1.log"), "# A fatal error has been detected\n");

        assertThat(CrashReport.read(report, output, "the emulator process (pid 1) died: exit status 1"))
                .hasValueSatisfying(r -> assertThat(r.signal()).isEqualTo("SIGSEGV"));
    }

    /** Unicorn's assertions and fatal errors abort: no report, the reason is the output's last line. */
    @Test
    void anAbortIsNamedByTheLastLineItPrinted() throws IOException {
        Path output = Files.writeString(folder.resolve("output_pid2.log"),
                "03:31:47.827 INFO  a log line\n./qemu/tcg/tcg.c:3073: tcg fatal error\n");

        assertThat(CrashReport.read(folder.resolve("hs_err_pid2.log"), output,
                "the emulator process (pid 2) died: killed by signal SIGABRT"))
                .hasValueSatisfying(r -> assertThat(r.signature())
                        .isEqualTo("SIGABRT at ./qemu/tcg/tcg.c:3073: tcg fatal error"));
    }

    /** A process killed for not answering did not say why: whatever it printed last is not a reason. */
    @Test
    void theOutputOfAKilledProcessIsNoReason() throws IOException {
        Path output = Files.writeString(folder.resolve("output_pid3.log"), "03:31:47.827 INFO  a log line\n");

        assertThat(CrashReport.read(folder.resolve("hs_err_pid3.log"), output, "the emulator process (pid 3) did not "
                + "stop within 1000 ms of being asked to, and was killed")).isEmpty();
    }
}
