package io.snapgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapgate call} in a process of its own, its arguments given as bytes by bash ({@code $'\xc3('}), under
 * a UTF-8 locale and under {@code LC_ALL=C}: bytes that are not UTF-8 are refused before any command runs, and
 * UTF-8 reaches the guest and comes back exactly, whatever the locale.
 */
class CallProcessTest {
    @TempDir
    Path dir;

    private record Run(int status, byte[] out, String err) {
    }

    /** {@code snapgate <arguments>}, the arguments written as bash words (so $'...' gives any bytes). */
    private Run snapgate(String locale, String arguments) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "exec \"$JAVA\" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp \"$CP\" io.snapgate.gateway.Main "
                        + arguments);
        builder.environment().put("JAVA", java);
        builder.environment().put("CP", System.getProperty("java.class.path"));
        builder.environment().put("LC_ALL", locale);
        builder.redirectError(dir.resolve("err").toFile());
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("snapgate exits").isTrue();
        return new Run(process.exitValue(), out, Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedBeforeAnyCommandRuns() throws Exception {
        Path store = dir.resolve("store");
        for (String locale : List.of("C.UTF-8", "C")) {
            Run run = snapgate(locale, "call --store " + store + " --examples true testguest echo_string $'a\\xc3('");
            assertThat(run.status()).as(locale + ": " + run.err()).isEqualTo(Cli.USAGE);
            assertThat(run.err().strip()).isEqualTo("snapgate: argument 8, $'a\\xc3(', is not UTF-8: invalid UTF-8 at"
                    + " byte 1 (0xc3 0x28: a character cut short)");
            assertThat(run.out()).isEmpty();
            assertThat(store).as("the call never ran: its store was not made").doesNotExist();
        }
        Run surrogate = snapgate("C.UTF-8", "call testguest echo_string $'\\xed\\xa0\\x80'");
        assertThat(surrogate.err()).contains("argument 4, $'\\xed\\xa0\\x80', is not UTF-8: invalid UTF-8 at byte 0"
                + " (0xed 0xa0: an encoded surrogate)");
    }

    @Test
    void utf8ReachesTheGuestAndComesBackExactlyUnderAnyLocale() throws Exception {
        String store = dir.resolve("store").toString();
        for (String locale : List.of("C.UTF-8", "C")) {
            Run run = snapgate(locale, "call --store " + store + " --examples true testguest echo_string $'\\xf0\\x9f"
                    + "\\x98\\x80 \\xc3\\xa9'");
            assertThat(run.status()).as(locale + ": " + run.err()).isZero();
            assertThat(new String(run.out(), StandardCharsets.UTF_8)).as(locale).isEqualTo("\"😀 é\"\n");
        }
    }
}
