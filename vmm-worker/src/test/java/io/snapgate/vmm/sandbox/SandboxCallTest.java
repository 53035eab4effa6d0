package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.abi.GuestErrorCode;
import io.snapgate.vmm.testing.TestGuests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls that work: every type in and out, state, host functions, errors that do not poison. */
class SandboxCallTest extends TestGuestSandbox {

    @Test
    void echoesEveryType() {
        assertThat(sandbox.call("echo_i32", Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
        assertThat(sandbox.call("echo_i32", Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(sandbox.call("echo_u32", 4_294_967_295L)).isEqualTo(4_294_967_295L);
        assertThat(sandbox.call("echo_i64", Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(sandbox.call("echo_u64", -1L)).isEqualTo(-1L);
        assertThat(sandbox.call("echo_u64", 1L << 63)).isEqualTo(1L << 63);
        assertThat(sandbox.call("echo_f32", 1.5f)).isEqualTo(1.5f);
        assertThat(sandbox.call("echo_f64", Math.PI)).isEqualTo(Math.PI);
        assertThat(sandbox.call("echo_f64", Double.NEGATIVE_INFINITY)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(sandbox.call("echo_bool", true)).isEqualTo(true);
        assertThat(sandbox.call("echo_bool", false)).isEqualTo(false);
        assertThat(sandbox.call("echo_string", "héllo, wörld ✓")).isEqualTo("héllo, wörld ✓");
        assertThat(sandbox.call("echo_string", "")).isEqualTo("");
        assertThat((byte[]) sandbox.call("echo_bytes", new byte[] {0, 1, -1, 127})).containsExactly(0, 1, -1, 127);
        assertThat((byte[]) sandbox.call("echo_bytes", new byte[0])).isEmpty();
    }

    @Test
    void voidFunctionReturnsNull() {
        assertThat(sandbox.call("noop")).isNull();
    }

    @Test
    void keepsStateAcrossCallsUntilRestore() {
        assertThat(sandbox.call("add_to_static", 5)).isEqualTo(5);
        assertThat(sandbox.call("add_to_static", 3)).isEqualTo(8);
        assertThat(sandbox.call("get_static")).isEqualTo(8);
        sandbox.restore();
        assertThat(sandbox.call("get_static")).isEqualTo(0);
    }

    @Test
    void aWarmUpAnswersNothingAndLeavesTheSandboxAsItsSnapshot() {
        assertThat(sandbox.call("add_to_static", 5)).isEqualTo(5);
        sandbox.warmUp(Duration.ofSeconds(5));
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
        assertThat(sandbox.call("get_static")).as("restored afterwards").isEqualTo(0);
        assertThat(sandbox.call("add", 2, 3)).isEqualTo(5);
    }

    @Test
    void guestErrorDoesNotPoison() {
        assertThatThrownBy(() -> sandbox.call("add_to_static_and_fail", 4))
                .isInstanceOfSatisfying(GuestErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(64);
                    assertThat(e.guestMessage()).isEqualTo("add_to_static_and_fail failed on purpose");
                    assertThat(e.failure()).isEqualTo(Failure.GUEST_ERROR);
                });
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
        assertThat(sandbox.call("get_static")).isEqualTo(4);
    }

    @Test
    void printsThroughTheHost() {
        assertThat(sandbox.call("print_output", "hello from the guest")).isEqualTo(20);
        assertThat(host.printed).containsExactly("hello from the guest");
    }

    @Test
    void defaultPrintReturnsTheByteCount() {
        try (Sandbox plain = Sandbox.builder(TestGuests.elf("testguest")).backend(backend).build()) {
            assertThat(plain.call("print_output", "añb")).isEqualTo(4);
        }
    }

    @Test
    void callsAHostFunction() {
        assertThat(sandbox.call("add", 40, 2)).isEqualTo(42);
        assertThat(sandbox.call("host_call_count", 100)).isEqualTo(101);
    }

    @Test
    void roundTripsEveryTypeThroughTheHost() {
        assertThat(sandbox.call("roundtrip_i32", -7)).isEqualTo(-7);
        assertThat(sandbox.call("roundtrip_u32", 4_000_000_000L)).isEqualTo(4_000_000_000L);
        assertThat(sandbox.call("roundtrip_i64", -(1L << 40))).isEqualTo(-(1L << 40));
        assertThat(sandbox.call("roundtrip_u64", -2L)).isEqualTo(-2L);
        assertThat(sandbox.call("roundtrip_f32", -0.25f)).isEqualTo(-0.25f);
        assertThat(sandbox.call("roundtrip_f64", 1e300)).isEqualTo(1e300);
        assertThat(sandbox.call("roundtrip_bool", true)).isEqualTo(true);
        assertThat(sandbox.call("roundtrip_string", "über")).isEqualTo("über");
        assertThat((byte[]) sandbox.call("roundtrip_bytes", new byte[] {9, 8, 7})).containsExactly(9, 8, 7);
    }

    @Test
    void hostFunctionFailureReachesTheGuestAsAnError() {
        assertThat(sandbox.call("call_failing_host"))
                .isEqualTo("host error 5: host function host_fail failed: host_fail fails on purpose");
        assertThat(sandbox.call("call_missing_host"))
                .isEqualTo("host error 5: host function no_such_host_function is not registered");
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
    }

    @Test
    void bigInputAndOutput() {
        byte[] in = new byte[24 * 1024];
        long sum = 0;
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) (i * 31);
            sum += in[i] & 0xff;
        }
        assertThat(sandbox.call("big_in", (Object) in)).isEqualTo(sum);
        byte[] out = (byte[]) sandbox.call("big_out", 8192L);
        assertThat(out).hasSize(8192);
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i]).isEqualTo((byte) (i * 7));
        }
    }

    @Test
    void logsReachTheHost() {
        List<String> lines = new ArrayList<>();
        try (Sandbox logged = Sandbox.builder(TestGuests.elf("testguest")).hostFunctions(host.functions())
                .backend(backend).log((level, message) -> lines.add(level + ":" + message)).build()) {
            logged.call("log_message", 3, "careful now");
        }
        assertThat(lines).containsExactly("3:careful now");
    }

    @Test
    void nextRandomDiffersBetweenCallsAndAfterRestore() {
        long first = (Long) sandbox.call("next_random");
        long second = (Long) sandbox.call("next_random");
        assertThat(second).isNotEqualTo(first);
        sandbox.restore();
        assertThat((Long) sandbox.call("next_random")).isNotIn(first, second);
    }

    @Test
    void heapExhaustionIsAnErrorAndRestoreGivesTheHeapBack() {
        assertThatThrownBy(() -> sandbox.call("exhaust_heap"))
                .isInstanceOfSatisfying(GuestErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(GuestErrorCode.OUT_OF_MEMORY.code());
                    assertThat(e.guestMessage()).startsWith("heap exhausted after ");
                });
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
        sandbox.restore();
        assertThat(sandbox.call("malloc_and_free", 100_000L)).isEqualTo(100_000L);
    }

    @Test
    void keepsItsStateWhileItsVcpuIsReleased() {
        sandbox.call("add_to_static", 4);
        sandbox.releaseVcpu();
        sandbox.releaseVcpu();
        assertThat(sandbox.call("add_to_static", 1)).isEqualTo(5);
        sandbox.releaseVcpu();
        sandbox.restore();
        assertThat(sandbox.call("get_static")).isEqualTo(0);
    }

    @Test
    void dirtiesPages() {
        assertThat(sandbox.call("dirty_pages", 16L)).isEqualTo(16L);
    }
}
