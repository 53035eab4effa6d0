package io.snapgate.vmm.vcpu.process;

import java.io.IOException;

/**
 * A stand-in for a gateway node, run as a process of its own by {@link EmulatorLifetimeTest}: starts its thread's
 * emulator process, prints that process's id, and waits until its own standard input closes.
 */
public final class EmulatorNode {
    private EmulatorNode() {
    }

    public static void main(String[] args) throws IOException {
        try (ProcessBackend backend = new ProcessBackend(1)) {
            System.out.println(backend.processId());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the test never writes: EOF is its signal to end
            }
        }
    }
}
