package io.snapgate.vmm.vcpu.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.Snapshot;
import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.testing.TestGuests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a held vCPU costs its emulator process: an engine that ran a call keeps its guest's translated code and
 * Unicorn's own tables, measured as the process's anonymous resident memory ({@code RssAnon}) over many vCPUs.
 */
class EngineFootprintTest {
    private static final int ENGINES = 32;
    private final TestGuests.Host host = new TestGuests.Host();

    @BeforeEach
    void requireUnicorn() {
        TestBackends.requireUnicorn();
    }

    @Test
    void anEngineThatRanACallHoldsWellUnderTwoMebibytes() throws IOException {
        try (ProcessBackend backend = new ProcessBackend(0); Sandbox built = host.sandbox(backend)) {
            Snapshot snapshot = built.snapshot();
            assertThat(built.call("add", 1, 2)).isEqualTo(3); // the process's own warm-up is not an engine's cost
            List<Sandbox> sandboxes = new ArrayList<>();
            try {
                long before = rssAnon(backend.processId());
                for (int i = 0; i < ENGINES; i++) {
                    Sandbox sandbox = Sandbox.fromSnapshot(snapshot, host.functions(), backend,
                            SandboxConfig.DEFAULT, host.log());
                    sandboxes.add(sandbox);
                    assertThat(sandbox.call("add", i, 2)).isEqualTo(i + 2); // each holds its vCPU (engine) after
                    sandbox.restore();
                }
                long perEngine = (rssAnon(backend.processId()) - before) / ENGINES;
                System.out.printf("emulator process RssAnon per held engine: %d KiB%n", perEngine >> 10);
                assertThat(perEngine).as("resident bytes per engine, sandbox memory included")
                        .isLessThan(3L << 19);
            } finally {
                sandboxes.forEach(Sandbox::close); // before the backend they run on
            }
        }
    }

    /** The anonymous resident bytes of process {@code pid}, from /proc. */
    static long rssAnon(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) << 10;
            }
        }
        throw new IllegalStateException("/proc/" + pid + "/status has no RssAnon");
    }
}
