package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.testing.TestGuests;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way the test guest misbehaves: each fails with the exact failure, poisons the sandbox, and a
 * restore makes it usable again. The JVM survives all of them.
 */
class SandboxFaultTest extends TestGuestSandbox {

    @BeforeEach
    void addOne() {
        sandbox.call("add_to_static", 1);
    }

    /** Asserts the call poisons the sandbox, that calls are refused, and that a restore brings it back. */
    private SandboxException poisons(ThrowingCallable call, Failure failure, String messagePart) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(SandboxException.class).hasMessageContaining(messagePart);
        SandboxException e = (SandboxException) thrown;
        assertThat(e.failure()).isEqualTo(failure);
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.POISONED);
        assertThatThrownBy(() -> sandbox.call("get_static"))
                .isInstanceOfSatisfying(SandboxException.class,
                        refused -> assertThat(refused.failure()).isEqualTo(Failure.POISONED))
                .hasMessageContaining("restore it before calling again");
        sandbox.restore();
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
        assertThat(sandbox.call("echo_i32", 7)).isEqualTo(7);
        return e;
    }

    @Test
    void abortWithCode() {
        SandboxException e = poisons(() -> sandbox.call("abort_with_code", 7), Failure.GUEST_ABORT, "code 7");
        assertThat(((GuestAbortException) e).code()).isEqualTo(7);
    }

    @Test
    void abortWithMessage() {
        SandboxException e = poisons(() -> sandbox.call("abort_with_message", 9, "the guest gives up"),
                Failure.GUEST_ABORT, "guest aborted with code 9 during call to abort_with_message: the guest gives up");
        assertThat(((GuestAbortException) e).guestMessage()).isEqualTo("the guest gives up");
    }

    @Test
    void stackOverflowHitsTheGuardPage() {
        SandboxException e = poisons(() -> sandbox.call("stack_overflow", 1), Failure.MEMORY_ACCESS_VIOLATION,
                "stack overflow");
        long stack = sandbox.currentSnapshot().layout().region("stack").guestAddress();
        assertThat(((MemoryAccessException) e).address()).isBetween(stack - 4096, stack - 1);
    }

    /** sg_stack_left() measures down to the guard page: a recursion of 1 KiB frames that checks it stops above. */
    @Test
    void aRecursionThatChecksTheStackLeftStopsAboveTheGuardPage() {
        assertThat((int) sandbox.call("stack_left_recursion", 4096)).as("128KiB of stack, 4KiB kept")
                .isBetween(100, 123);
        assertThat((int) sandbox.call("stack_left_recursion", 64 << 10)).as("half of it kept").isBetween(50, 63);
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
    }

    @Test
    void invalidInstruction() {
        poisons(() -> sandbox.call("invalid_instruction"), Failure.INVALID_INSTRUCTION,
                "invalid instruction at rip 0x");
    }

    @Test
    void divideByZero() {
        poisons(() -> sandbox.call("divide_by_zero", 0), Failure.CPU_EXCEPTION, "#DE (divide error)");
        assertThat(sandbox.call("divide_by_zero", 5)).isEqualTo(20);
    }

    @Test
    void readOfTheNullPage() {
        SandboxException e = poisons(() -> sandbox.call("read_address", 0L), Failure.MEMORY_ACCESS_VIOLATION,
                "null pointer access: read at 0x0");
        assertThat(((MemoryAccessException) e).address()).isZero();
    }

    @Test
    void writeOfTheNullPage() {
        SandboxException e = poisons(() -> sandbox.call("write_address", 0x10L), Failure.MEMORY_ACCESS_VIOLATION,
                "null pointer access: write at 0x10");
        assertThat(((MemoryAccessException) e).address()).isEqualTo(0x10);
    }

    @Test
    void readFarOutsideGuestMemory() {
        long far = 1L << 40;
        SandboxException e = poisons(() -> sandbox.call("read_address", far), Failure.MEMORY_ACCESS_VIOLATION,
                "outside guest memory");
        assertThat(((MemoryAccessException) e).address()).isEqualTo(far);
    }

    @Test
    void writeJustPastGuestMemory() {
        long end = sandbox.currentSnapshot().memorySize();
        SandboxException e = poisons(() -> sandbox.call("write_address", end + 64), Failure.MEMORY_ACCESS_VIOLATION,
                "write at 0x");
        assertThat(((MemoryAccessException) e).address()).isEqualTo(end + 64);
    }

    @Test
    void writeIntoItsOwnCode() {
        poisons(() -> sandbox.call("write_to_code"), Failure.MEMORY_ACCESS_VIOLATION,
                "write at 0x");
    }

    @Test
    void outToAnUnknownPort() {
        poisons(() -> sandbox.call("out_unknown_port"), Failure.UNKNOWN_PORT, "unknown I/O port 0x99");
    }

    @Test
    void resultFrameWithACorruptLength() {
        poisons(() -> sandbox.call("corrupt_result_length"), Failure.MALFORMED_FRAME,
                "result frame length 4294967280 exceeds the output buffer");
    }

    @Test
    void resultFrameThatDoesNotParse() {
        poisons(() -> sandbox.call("corrupt_result_payload"), Failure.MALFORMED_FRAME, "result frame");
    }

    @Test
    void everyHostileGuestInARowOnOneSandbox() {
        for (int round = 0; round < 3; round++) {
            for (String f : new String[] {"invalid_instruction", "write_to_code", "out_unknown_port", "spin"}) {
                assertThatThrownBy(() -> sandbox.call(Duration.ofMillis(50), f))
                        .isInstanceOfSatisfying(SandboxException.class,
                                e -> assertThat(e.failure().poisons()).isTrue());
                sandbox.restore();
                assertThat(sandbox.call("add_to_static", 2)).as("the static as built, plus 2").isEqualTo(2);
                sandbox.restore();
            }
        }
    }
}
