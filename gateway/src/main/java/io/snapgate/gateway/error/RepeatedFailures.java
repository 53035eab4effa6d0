package io.snapgate.gateway.error;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one failure that repeats on every call (a store gone, a bug on the call path) from flooding the log: the
 * first of a kind is logged at once, the repeats during the next {@link #WINDOW_NANOS} only counted, and the
 * count goes with the next one logged after that. Thread-safe; forgets everything once it tracks
 * {@link #MAX_KINDS} kinds, so that its memory stays bounded.
 */
final class RepeatedFailures {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int MAX_KINDS = 256;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long start;
        long repeats;

        Window(long start) {
            this.start = start;
        }
    }

    /**
     * Whether to log this failure of kind {@code kind} at {@code now} ({@link System#nanoTime()}): -1 when not,
     * else how many of its kind were left unlogged since the last one logged.
     */
    long admit(String kind, long now) {
        if (windows.size() >= MAX_KINDS && !windows.containsKey(kind)) {
            windows.clear();
        }
        Window fresh = new Window(now);
        Window window = windows.putIfAbsent(kind, fresh);
        if (window == null) {
            return 0;
        }
        synchronized (window) {
            if (now - window.start < WINDOW_NANOS) {
                window.repeats++;
                return -1;
            }
            long unlogged = window.repeats;
            window.start = now;
            window.repeats = 0;
            return unlogged;
        }
    }
}
