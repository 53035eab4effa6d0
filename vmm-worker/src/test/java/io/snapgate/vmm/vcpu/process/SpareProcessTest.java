package io.snapgate.vmm.vcpu.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The spare emulator process starts only once the process taken before it has started: two JVMs starting side by
 * side each take twice as long on a busy machine, and the first take, which finds no spare, waits for its own.
 */
class SpareProcessTest {
    @Test
    void theFirstTakeStartsOneProcessAndTheSpareAfterIt() throws Exception {
        try (ProcessBackend backend = TestProcessBackend.oneIdleEngine()) {
            long asked = System.nanoTime();
            long first = backend.processId(); // no spare yet: this thread's process is started for it
            Duration firstStart = Duration.ofNanos(System.nanoTime() - asked);
            Instant firstStarted = started(first);
            long[] spare = new long[1];
            Instant[] spareStarted = new Instant[1];
            Thread other = new Thread(() -> { // read while the thread lives: its process ends with it
                spare[0] = backend.processId();
                spareStarted[0] = started(spare[0]);
            }, "test-other-worker");
            other.start();
            other.join();

            assertThat(spare[0]).isNotEqualTo(first);
            // Start times have a clock tick's resolution; a JVM takes many ticks to start. Started side by side,
            // the two would differ by about a tick; one after the other, by about the first one's start.
            Duration apart = Duration.between(firstStarted, spareStarted[0]);
            assertThat(apart).as("the spare's start after the first's, which took %s", firstStart)
                    .isGreaterThanOrEqualTo(firstStart.dividedBy(2));
        }
    }

    private static Instant started(long pid) {
        return ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow();
    }
}
