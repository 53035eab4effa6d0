package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.abi.GuestErrorCode;
import io.snapgate.vmm.testing.TestGuests;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Floods a guest can aim at the host, each bounded per call by {@link GuestLimits}: log lines (sg_log and print)
 * past the limits are dropped and summed up in one summary per call; a host call past its limit stops the call;
 * a result bigger than the output buffer is a clear error.
 */
class GuestLimitsTest extends OnEveryBackend {
    private final TestGuests.Host host = new TestGuests.Host();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<DroppedLog> drops = new CopyOnWriteArrayList<>();
    private final GuestLog log = new GuestLog() {
        @Override
        public void log(int level, String message) {
            lines.add(level + ":" + message);
        }

        @Override
        public void dropped(DroppedLog dropped) {
            drops.add(dropped);
        }
    };

    private Sandbox sandbox(GuestLimits limits) {
        return Sandbox.builder(TestGuests.elf("testguest")).hostFunctions(host.functions()).backend(backend)
                .log(log).config(SandboxConfig.DEFAULT.withLimits(limits)).build();
    }

    @Test
    void theReproducerFloodLeavesTheLimitAndOneSummaryPerCall() {
        try (Sandbox sandbox = sandbox(GuestLimits.DEFAULT)) {
            for (int call = 1; call <= 2; call++) {
                assertThat(sandbox.call("log_flood", 200_000L, 120L)).isEqualTo(200_000L);
                assertThat(lines).hasSize(1_000 * call).allMatch(line -> line.equals("4:" + "x".repeat(120)));
                assertThat(drops).hasSize(call);
            }
        }
        DroppedLog first = drops.get(0);
        assertThat(first.lines()).isEqualTo(199_000);
        assertThat(first.bytes()).as("120 bytes of text and 4 of framing a line").isEqualTo(199_000L * 124);
        assertThat(first.summary()).startsWith("call to log_flood: dropped 199000 guest log lines (")
                .endsWith("past the limit of 1000 lines or 1048576 bytes per call");
    }

    @Test
    void aCallWithinTheLimitsDropsNothingAfterOneThatWentPast() {
        try (Sandbox sandbox = sandbox(new GuestLimits(10, 1 << 20, 1_000))) {
            sandbox.call("log_flood", 11L, 5L);
            assertThat(lines).hasSize(10);
            assertThat(drops).singleElement().satisfies(d -> assertThat(d.lines()).isEqualTo(1));
            sandbox.call("log_flood", 10L, 5L);
            assertThat(lines).hasSize(20);
            assertThat(drops).hasSize(1);
        }
    }

    @Test
    void theByteLimitCutsTheLineThatWouldPassItAndEveryLineAfter() {
        try (Sandbox sandbox = sandbox(new GuestLimits(1_000, 1_000, 1_000))) {
            sandbox.call("log_flood", 100L, 100L); // each line is 100 bytes of text and a few of framing
            assertThat(lines).hasSize(9);
            assertThat(drops).singleElement().satisfies(d -> {
                assertThat(d.lines()).isEqualTo(91);
                assertThat(d.during()).isEqualTo("call to log_flood");
            });
        }
    }

    @Test
    void printCountsAgainstTheSameLimits() {
        try (Sandbox sandbox = sandbox(new GuestLimits(10, 1 << 20, 1_000))) {
            assertThat(sandbox.call("print_flood", 25L, 40L)).as("the guest is not told that lines were dropped")
                    .isEqualTo(25L * 40);
            assertThat(lines).hasSize(10).allMatch(line -> line.equals("2:" + "p".repeat(40)));
            assertThat(drops).singleElement().satisfies(d -> {
                assertThat(d.lines()).isEqualTo(15);
                assertThat(d.bytes()).isEqualTo(15 * 40);
            });
        }
    }

    @Test
    void aHostCallPastTheLimitStopsTheCallAndPoisonsTheSandbox() {
        try (Sandbox sandbox = sandbox(new GuestLimits(1_000, 1 << 20, 500))) {
            assertThat(sandbox.call("host_call_count", 500)).as("500 host calls are within the limit")
                    .isEqualTo(501);
            assertThatThrownBy(() -> sandbox.call("host_call_count", 100_000))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.LIMIT_EXCEEDED))
                    .hasMessage("call to host_call_count made more than 500 host calls, the limit per call,"
                            + " and was stopped");
            assertThat(sandbox.status()).isEqualTo(SandboxStatus.POISONED);
            sandbox.restore();
            assertThat(sandbox.call("add", 2, 3)).isEqualTo(5);
        }
    }

    @Test
    void aResultLargerThanTheOutputBufferIsAGuestErrorThatLeavesTheSandboxReady() {
        try (Sandbox sandbox = sandbox(GuestLimits.DEFAULT)) {
            assertThatThrownBy(() -> sandbox.call("big_out", 64L * 1024))
                    .isInstanceOfSatisfying(GuestErrorException.class,
                            e -> assertThat(e.code()).isEqualTo(GuestErrorCode.RESULT_TOO_LARGE.code()))
                    .hasMessageContaining("big_out: the result does not fit the output buffer");
            assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
            assertThat((byte[]) sandbox.call("big_out", 60_000L)).hasSize(60_000);
        }
    }
}
