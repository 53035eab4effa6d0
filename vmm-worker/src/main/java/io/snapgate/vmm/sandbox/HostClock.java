package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.ValueType;
import java.time.Instant;

/**
 * The built-in host function {@code clock_ns(i32 clock) -> i64} that the guest C library's
 * {@code clock_gettime} (and {@code time}, {@code gettimeofday}, {@code clock}) reads: clock 0 is the wall
 * clock in nanoseconds since 1970, clock 1 the monotonic clock in nanoseconds from an arbitrary start, steady
 * within one node.
 */
final class HostClock {
    static final String NAME = "clock_ns";
    static final int WALL = 0;
    static final int MONOTONIC = 1;

    private HostClock() {
    }

    static HostFunction function() {
        return HostFunction.of(NAME, ValueType.I64, HostClock::read, ValueType.I32);
    }

    private static Object read(Object[] args) {
        int clock = (Integer) args[0];
        return switch (clock) {
            case WALL -> {
                Instant now = Instant.now();
                yield now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
            case MONOTONIC -> System.nanoTime();
            default -> throw new IllegalArgumentException("no clock " + clock + ": 0 is the wall clock, 1 the"
                    + " monotonic clock");
        };
    }
}
