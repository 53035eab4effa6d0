package io.snapgate.vmm.vcpu.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.testing.TestBackends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No emulator process outlives what it serves: its thread, or the node (here a real JVM of its own,
 * {@link EmulatorNode}), even one killed with SIGKILL; and a crashing one leaves nothing in the node's output or
 * working directory.
 */
class EmulatorLifetimeTest {
    private static final long ENDS_WITHIN_SECONDS = 10;

    @TempDir
    Path workingDirectory;

    @BeforeEach
    void requireUnicorn() {
        TestBackends.requireUnicorn();
    }

    @Test
    void aThreadsProcessEndsWithTheThread() throws Exception {
        try (ProcessBackend backend = new ProcessBackend(1)) {
            long[] pid = new long[1];
            Thread worker = new Thread(() -> pid[0] = backend.processId(), "test-worker");
            worker.start();
            worker.join();
            assertEnds(pid[0]);
        }
    }

    @Test
    void aNodeKilledWithSigkillTakesItsEmulatorProcessesAlong() throws Exception {
        Process node = startNode();
        try {
            long emulator = emulatorPid(node);
            node.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(node.waitFor(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertEnds(emulator);
        } finally {
            node.destroyForcibly();
        }
    }

    @Test
    void aCrashingEmulatorPrintsNothingAndLeavesNoFile() throws Exception {
        Process node = startNode();
        try {
            long emulator = emulatorPid(node);
            assertThat(new ProcessBuilder("kill", "-SEGV", Long.toString(emulator)).start().waitFor()).isZero();
            assertEnds(emulator);
            node.getOutputStream().close();
            assertThat(node.waitFor(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
            try (Stream<Path> left = Files.list(workingDirectory)) {
                assertThat(left).isEmpty();
            }
        } finally {
            node.destroyForcibly();
        }
    }

    /** A node JVM in the test's own working directory, its output and errors merged. */
    private Process startNode() throws IOException {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmulatorNode.class.getName()))
                .directory(workingDirectory.toFile()).redirectErrorStream(true).start();
    }

    /** Reads the first line the node prints: its emulator process's id. */
    private static long emulatorPid(Process node) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8));
        String first = lines.readLine();
        assertThat(first).as("the node's first line").isNotNull().matches("[0-9]+");
        return Long.parseLong(first);
    }

    private static void assertEnds(long pid) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process != null) {
            process.onExit().get(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS);
        }
    }
}
