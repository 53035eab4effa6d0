package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * What musl would ask an OS for, in a guest that has none: stdout and stderr reach the guest log, files,
 * sockets, processes, signals and threads fail with ENOSYS, and exit, abort and a failed assertion end the
 * call with an abort that a restore recovers from.
 */
class SandboxLibcOsTest extends LibcGuestSandbox {
    private static final int ENOSYS = 38;

    @Test
    void stdoutAndStderrReachTheLogALineAtATime() {
        assertThat(log).containsExactly("2:libctest initialised");
        log.clear();
        sandbox.call("print_lines");
        assertThat(log).containsExactly("2:printf 42 stdout", "2:puts line", "2:fputs + fwrite",
                "3:stderr warning continued", "2:write(1) line", "2:two", "2:lines", "2:no newline at the end");
    }

    @Test
    void aLineLongerThanOneKibibyteIsLoggedInPieces() {
        log.clear();
        sandbox.call("print_long", 2500L);
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            letters.append((char) ('a' + i % 26));
        }
        assertThat(log).containsExactly("2:" + letters.substring(0, 1024), "2:" + letters.substring(1024, 2048),
                "2:" + letters.substring(2048));
    }

    @Test
    void whatNeedsAnOsFailsWithEnosys() {
        assertThat(sandbox.call("os_calls")).isEqualTo("fopen=ENOSYS open=ENOSYS read=ENOSYS opendir=ENOSYS"
                + " remove=ENOSYS socket=ENOSYS fork=ENOSYS system=ENOSYS signal=ENOSYS raise=ENOSYS nanosleep=ENOSYS"
                + " pthread_create=ENOSYS mutex=0,0 strerror=Function not implemented");
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
    }

    @Test
    void errnoAfterAFailedFopenIsEnosysUntilARestore() {
        assertThat(sandbox.call("errno_value")).isEqualTo(0);
        assertThat(sandbox.call("fopen_errno", "/etc/hostname")).isEqualTo(ENOSYS);
        assertThat(sandbox.call("errno_value")).as("errno lives in guest memory").isEqualTo(ENOSYS);
        sandbox.restore();
        assertThat(sandbox.call("errno_value")).isEqualTo(0);
    }

    /** Asserts the call aborts with this code and message, after which a restore makes the sandbox usable. */
    private void aborts(String function, Object[] args, int code, String messageStart) {
        GuestAbortException e = catchThrowableOfType(() -> sandbox.call(function, args), GuestAbortException.class);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.guestMessage()).startsWith(messageStart);
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.POISONED);
        sandbox.restore();
        assertThat(sandbox.call("divide", 7, 2)).isEqualTo("3 1|3 1|7|2|7000000");
    }

    @Test
    void exitAbortsTheCallAfterLoggingWhatWasPrinted() {
        log.clear();
        aborts("call_exit", new Object[] {3}, 3, "the guest called exit(3): a guest function cannot end its process");
        assertThat(log).containsExactly("2:exiting with 3");
    }

    @Test
    void abortAndFailedAssertionsAbortTheCall() {
        aborts("call_abort", new Object[0], 134, "the guest called abort()");
        aborts("fail_assert", new Object[] {0}, 134,
                "assertion failed: args[0].as.i32 > 0 (examples/libctest.c: fail_assert: ");
        assertThat(sandbox.call("fail_assert", 5)).isEqualTo(5);
    }
}
