package io.snapgate.gateway.snapshot;

import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.sandbox.HostFunction;
import java.util.ArrayList;
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
    private static final long SPIN_NANOS = 100_000_000;
    private static final List<HostFunction> ALL = build();

    private GatewayHostFunctions() {
    }

    public static List<HostFunction> all() {
        return ALL;
    }

    private static List<HostFunction> build() {
        List<HostFunction> list = new ArrayList<>();
        list.add(HostFunction.of("print", ValueType.I32, a -> {
            GUEST.info("{}", a[0]);
            return ((String) a[0]).length();
        }, ValueType.STRING));
        list.add(HostFunction.of("host_add", ValueType.I32, a -> (Integer) a[0] + (Integer) a[1], ValueType.I32,
                ValueType.I32));
        for (ValueType type : ValueType.values()) {
            if (type != ValueType.VOID) {
                list.add(HostFunction.of("host_echo_" + type, type, a -> a[0], type));
            }
        }
        list.add(HostFunction.of("host_fail", ValueType.I32, a -> {
            throw new IllegalStateException("host_fail fails on purpose");
        }));
        list.add(HostFunction.of("host_clock_ms", ValueType.U64, a -> System.nanoTime() / 1_000_000));
        list.add(HostFunction.of("host_spin", ValueType.I32, a -> {
            long end = System.nanoTime() + SPIN_NANOS;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return 1;
        }));
        return List.copyOf(list);
    }
}
