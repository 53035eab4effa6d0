package io.snapgate.gateway.snapshot;

import io.snapgate.vmm.sandbox.ExampleHostFunctions;
import io.snapgate.vmm.sandbox.HostFunction;
import java.time.Duration;
import java.util.List;

/**
 * The host functions every sandbox of this gateway offers: those the example guest {@code testguest} calls (and
 * the built-in {@code print}, which writes to the sandbox's guest log within its limits).
 * Snapshots built here record them all, so any snapshot built here resumes here. All are stateless, so one
 * list serves every worker thread.
 */
public final class GatewayHostFunctions {
    /** How long {@code host_spin} keeps the vCPU thread busy in the host. */
    private static final Duration SPIN = Duration.ofMillis(100);
    private static final List<HostFunction> ALL = ExampleHostFunctions.create(SPIN);

    private GatewayHostFunctions() {
    }

    public static List<HostFunction> all() {
        return ALL;
    }
}
