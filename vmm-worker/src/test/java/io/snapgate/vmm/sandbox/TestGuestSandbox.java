package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.testing.TestGuests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh sandbox of testguest.elf, with its host functions, on each backend for each test; closed after it. */
abstract class TestGuestSandbox extends OnEveryBackend {
    protected final TestGuests.Host host = new TestGuests.Host();
    protected Sandbox sandbox;

    @BeforeEach
    void buildSandbox() {
        sandbox = host.sandbox(backend);
    }

    @AfterEach
    void closeSandbox() {
        if (sandbox != null) { // null when the backend is missing here and the test was skipped
            sandbox.close();
        }
    }
}
