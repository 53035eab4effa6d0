package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The host functions the SDK's example guests import (guests/examples/testguest.c) besides the built-in
 * {@code print} ({@link HostFunctions}): {@code host_add}, {@code host_echo_<type>} for every type,
 * {@code host_fail} (always fails), {@code host_clock_ms} and {@code host_spin} (keeps the vCPU thread busy in
 * the host). Stateless, so one list can serve every thread.
 */
public final class ExampleHostFunctions {
    private ExampleHostFunctions() {
    }

    /** The set, with {@code host_spin} spinning {@code spin}. */
    public static List<HostFunction> create(Duration spin) {
        List<HostFunction> list = new ArrayList<>();
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
        long spinNanos = spin.toNanos();
        list.add(HostFunction.of("host_spin", ValueType.I32, a -> {
            long end = System.nanoTime() + spinNanos;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            return 1;
        }));
        return List.copyOf(list);
    }
}
