package io.snapgate.gateway.memory;

import io.snapgate.gateway.config.ConfigKey;
import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's memory budget. Everything that grows with guest activity reserves its bytes here when it is taken
 * and releases them when it is let go: a sandbox its layout's writable bytes (the most it can dirty, whichever
 * process maps it), a build its guest's whole memory, a request body its bytes as they arrive. Nothing is
 * measured, so the account is exact at any moment and costs no system call. A reservation past the budget is
 * refused; request bodies, which live on the Java heap, may also take at most half of the heap. Thread-safe.
 */
public final class MemoryBudget {
    /** The least a derived budget comes to, on a machine with little memory beyond the JVM's heap. */
    private static final long MIN_DERIVED = 64L << 20;

    private final long budget;
    private final long bodyLimit;
    /** Reserved by sandboxes and builds: exact (compare-and-set), as they are few and large. */
    private final AtomicLong held = new AtomicLong();
    /** Reserved by request bodies: striped, as every request with a body adds and removes its bytes. */
    private final LongAdder bodies = new LongAdder();
    private final Map<MemoryUse, LongAdder> byUse = new EnumMap<>(MemoryUse.class);

    /** A budget of {@code budget} bytes, of which request bodies may take at most {@code bodyLimit}. */
    public MemoryBudget(long budget, long bodyLimit) {
        if (budget <= 0 || bodyLimit <= 0) {
            throw new IllegalArgumentException("memory budget " + budget + " and body limit " + bodyLimit
                    + " must be positive");
        }
        this.budget = budget;
        this.bodyLimit = bodyLimit;
        for (MemoryUse use : MemoryUse.values()) {
            byUse.put(use, use == MemoryUse.REQUEST_BODIES ? bodies : new LongAdder());
        }
    }

    /** A budget of {@code budget} bytes, request bodies taking at most half of this JVM's maximum heap. */
    public static MemoryBudget of(long budget) {
        return new MemoryBudget(budget, Runtime.getRuntime().maxMemory() / 2);
    }

    /** No limit: for one-shot commands, which run one guest and exit. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
    }

    /**
     * The default budget: three quarters of the memory this process may use (the machine's, or its container's
     * cgroup limit, as the JVM reads it) beyond the JVM's maximum heap. The heap can grow to its maximum whatever
     * the guests do, and the kernel's OOM killer weighs the whole process (or cgroup); the quarter left over is
     * for the JVM's own native memory (metaspace, thread stacks, direct buffers, the emulator's translation
     * caches), the kernel and whatever else runs beside the node.
     */
    public static long derived() {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return Math.max(MIN_DERIVED, (total - Runtime.getRuntime().maxMemory()) / 4 * 3);
    }

    /**
     * Reserves {@code bytes} for {@code use}, or throws {@link OverBudget} saying that {@code what} (a session
     * of ..., ...) needs them and how to raise the budget.
     */
    public Reservation reserve(MemoryUse use, long bytes, String what) {
        if (!tryReserve(use, bytes)) {
            throw refusal(use, bytes, what);
        }
        return new Reservation(this, use, bytes);
    }

    /** Reserves {@code bytes} for {@code use} if they fit; the caller {@link #release}s them. */
    public boolean tryReserve(MemoryUse use, long bytes) {
        if (use == MemoryUse.REQUEST_BODIES) {
            // Unlocked check then add: concurrent bodies may pass the limit by one chunk each, no more.
            long received = bodies.sum();
            if (received + bytes > bodyLimit || held.get() + received + bytes > budget) {
                return false;
            }
            bodies.add(bytes);
            return true;
        }
        while (true) {
            long current = held.get();
            if (current + bodies.sum() + bytes > budget) {
                return false;
            }
            if (held.compareAndSet(current, current + bytes)) {
                byUse.get(use).add(bytes);
                return true;
            }
        }
    }

    /** Gives back bytes {@link #tryReserve} took. */
    public void release(MemoryUse use, long bytes) {
        if (use != MemoryUse.REQUEST_BODIES) {
            held.addAndGet(-bytes);
        }
        byUse.get(use).add(-bytes);
    }

    /** Whether {@code bytes} more would fit now. */
    public boolean fits(long bytes) {
        return reserved() + bytes <= budget;
    }

    /** Why a reservation of {@code bytes} for {@code what} is refused. */
    public OverBudget refusal(MemoryUse use, long bytes, String what) {
        String raise = "raise " + ConfigKey.MEMORY_BUDGET.key() + " (" + ConfigKey.MEMORY_BUDGET.flag() + ", "
                + ConfigKey.MEMORY_BUDGET.env() + ")";
        String message;
        if (bytes > budget) {
            message = what + " needs " + size(bytes) + ", more than the node's whole memory budget of "
                    + size(budget) + "; " + raise;
        } else if (use == MemoryUse.REQUEST_BODIES && bodies.sum() + bytes > bodyLimit) {
            message = "request bodies being received hold " + size(bodies.sum()) + " of the " + size(bodyLimit)
                    + " they may take (half the JVM's maximum heap); retry later, or give the JVM more heap (-Xmx)";
        } else {
            message = "the node's memory budget of " + size(budget) + " is spent (" + size(reserved())
                    + " reserved: " + breakdown() + "); " + what + " needs " + size(bytes)
                    + ": end sessions or retry later, or " + raise;
        }
        return new OverBudget(message, bytes);
    }

    private String breakdown() {
        StringBuilder text = new StringBuilder();
        for (MemoryUse use : MemoryUse.values()) {
            text.append(text.isEmpty() ? "" : ", ").append(use.label()).append(' ').append(size(reserved(use)));
        }
        return text.toString();
    }

    public long budget() {
        return budget;
    }

    /** Bytes reserved now, by every use. */
    public long reserved() {
        return held.get() + bodies.sum();
    }

    public long reserved(MemoryUse use) {
        return byUse.get(use).sum();
    }

    /** {@code 512 KiB}, {@code 2.3 MiB}, {@code 8 GiB}: sizes as an operator reads them in a message. */
    static String size(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes"
                : String.format(Locale.ROOT, value == Math.rint(value) ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
