package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.testing.TestGuests;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls refused before the guest runs: they name the problem and leave the sandbox ready. */
class SandboxArgumentTest extends TestGuestSandbox {

    private void refused(Runnable call, Failure failure, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.failure()).isEqualTo(failure))
                .hasMessageContaining(message);
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
        assertThat(sandbox.call("echo_i32", 1)).isEqualTo(1);
    }

    @Test
    void unknownFunctionListsTheOnesThatExist() {
        refused(() -> sandbox.call("nope"), Failure.UNKNOWN_FUNCTION,
                "the guest has no function nope; it has: echo_i32(i32) -> i32, echo_u32(u32) -> u32");
    }

    @Test
    void wrongArgumentCount() {
        refused(() -> sandbox.call("add", 1), Failure.WRONG_ARGUMENT_COUNT,
                "add(i32, i32) -> i32 takes 2 arguments, got 1");
    }

    @Test
    void wrongArgumentType() {
        refused(() -> sandbox.call("add", 1, "two"), Failure.ARGUMENT_TYPE_MISMATCH,
                "argument 1 of add(i32, i32) -> i32: expected i32, got String two");
    }

    @Test
    void integerOutOfRange() {
        refused(() -> sandbox.call("echo_u32", -1), Failure.ARGUMENT_TYPE_MISMATCH,
                "-1 is out of range for u32");
        refused(() -> sandbox.call("echo_i32", 1L << 31), Failure.ARGUMENT_TYPE_MISMATCH,
                "2147483648 is out of range for i32");
    }

    @Test
    void aStringNoUtf8EncodesIsRefusedNotSentWithAQuestionMark() {
        refused(() -> sandbox.call("echo_string", "ab\ud800"), Failure.ARGUMENT_TYPE_MISMATCH,
                "argument 0 of echo_string(string) -> string: unpaired surrogate \\ud800 at character 2");
        assertThat(sandbox.call("echo_string", "\ud83d\ude00")).as("a pair is a character").isEqualTo("😀");
    }

    @Test
    void aHostFunctionReturningAStringNoUtf8EncodesFailsInTheGuest() {
        sandbox.register(List.of(HostFunction.of("host_echo_string", ValueType.STRING, a -> "x\udc00",
                ValueType.STRING)));
        assertThatThrownBy(() -> sandbox.call("roundtrip_string", "x"))
                .isInstanceOfSatisfying(GuestErrorException.class, e -> assertThat(e.code()).isEqualTo(5))
                .hasMessageContaining("host function host_echo_string(string) -> string returned a wrong value: "
                        + "unpaired surrogate \\udc00 at character 1");
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
    }

    @Test
    void argumentsTooLargeForTheInputBuffer() {
        refused(() -> sandbox.call("echo_bytes", (Object) new byte[70_000]), Failure.ARGUMENT_TOO_LARGE,
                "do not fit the input buffer of 65536 bytes");
    }

    @Test
    void notAnElf() {
        assertThatThrownBy(() -> Sandbox.builder(new byte[] {1, 2, 3}).build())
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.INVALID_GUEST))
                .hasMessageContaining("shorter than an ELF header");
    }

    @Test
    void truncatedElf() {
        byte[] elf = TestGuests.elf("testguest");
        byte[] cut = java.util.Arrays.copyOf(elf, elf.length / 2);
        assertThatThrownBy(() -> Sandbox.builder(cut).build())
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.INVALID_GUEST))
                .hasMessageContaining("invalid guest ELF");
    }
}
