package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.testing.TestGuests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh sandbox of testguest.elf, with its host functions, for each test; closed after it. */
abstract class TestGuestSandbox {
    protected final TestGuests.Host host = new TestGuests.Host();
    protected Sandbox sandbox;

    @BeforeEach
    void buildSandbox() {
        sandbox = host.sandbox();
    }

    @AfterEach
    void closeSandbox() {
        sandbox.close();
    }
}
