package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.testing.TestGuests;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh sandbox of libctest.elf (guests/examples/libctest.c, the C library's test guest) on each backend for
 * each test, its log lines collected as {@code "<level>:<message>"}; closed after it.
 */
abstract class LibcGuestSandbox extends OnEveryBackend {
    protected final List<String> log = new CopyOnWriteArrayList<>();
    protected Sandbox sandbox;

    @BeforeEach
    void buildSandbox() {
        sandbox = Sandbox.builder(TestGuests.elf("libctest")).backend(backend)
                .log((level, message) -> log.add(level + ":" + message)).build();
    }

    @AfterEach
    void closeSandbox() {
        if (sandbox != null) { // null when the backend is missing here and the test was skipped
            sandbox.close();
        }
    }
}
