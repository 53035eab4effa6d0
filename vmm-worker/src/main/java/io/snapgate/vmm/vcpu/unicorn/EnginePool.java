package io.snapgate.vmm.vcpu.unicorn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Idle warm engines, at most {@code capacity} of them; thread-safe. A new engine costs milliseconds (its first
 * run), a pooled one nothing. Last in, first out: the most recently used engine is the likeliest still in the
 * CPU caches. Engines are opened and closed outside the lock.
 */
final class EnginePool implements AutoCloseable {
    private final int capacity;
    private final Deque<UnicornEngine> idle = new ArrayDeque<>();
    private boolean closed;

    EnginePool(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("engine pool capacity " + capacity + " is negative");
        }
        this.capacity = capacity;
    }

    /** An idle engine holding the code with {@code codeDigest} if one is idle, else any idle one, else a new one. */
    UnicornEngine take(String codeDigest) {
        UnicornEngine engine;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the Unicorn backend is closed");
            }
            engine = takeHolding(codeDigest);
        }
        return engine != null ? engine : UnicornEngine.open();
    }

    private UnicornEngine takeHolding(String codeDigest) {
        if (codeDigest != null) {
            for (var it = idle.iterator(); it.hasNext(); ) {
                UnicornEngine engine = it.next();
                if (codeDigest.equals(engine.codeDigest())) {
                    it.remove();
                    return engine;
                }
            }
        }
        return idle.pollFirst();
    }

    /** Takes back an engine in a clean state (no memory mapped, pristine registers), or closes it when full. */
    void giveBack(UnicornEngine engine) {
        synchronized (this) {
            if (!closed && idle.size() < capacity) {
                idle.addFirst(engine);
                return;
            }
        }
        engine.close();
    }

    /** Opens engines until {@code count} are idle (never more than the capacity). */
    void prewarm(int count) {
        while (wantsMore(count)) {
            giveBack(UnicornEngine.open());
        }
    }

    private synchronized boolean wantsMore(int count) {
        return !closed && idle.size() < Math.min(count, capacity);
    }

    synchronized int idleCount() {
        return closed ? 0 : idle.size();
    }

    /** Closes the idle engines; engines given back later are closed too. */
    @Override
    public void close() {
        List<UnicornEngine> drained;
        synchronized (this) {
            closed = true;
            drained = new ArrayList<>(idle);
            idle.clear();
        }
        drained.forEach(UnicornEngine::close);
    }
}
