package io.snapgate.gateway.snapshot;

import io.snapgate.vmm.sandbox.ExampleHostFunctions;
import io.snapgate.vmm.sandbox.HostFunction;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host functions every sandbox of this gateway offers: those the example guest {@code testguest} calls.
 * Snapshots built here record them all, so any snapshot built here resumes here. All are stateless, so one
 * list serves every worker thread.
 */
public final class GatewayHostFunctions {
    private static final Logger GUEST = LoggerFactory.getLogger("io.snapgate.guest");
    /** How long {@code host_spin} keeps the vCPU thread busy in the host. */
    private static final Duration SPIN = Duration.ofMillis(100);
    private static final List<HostFunction> ALL = build();

    private GatewayHostFunctions() {
    }

    public static List<HostFunction> all() {
        return ALL;
    }

    private static List<HostFunction> build() {
        return ExampleHostFunctions.create(text -> GUEST.info("{}", text), SPIN);
    }
}
