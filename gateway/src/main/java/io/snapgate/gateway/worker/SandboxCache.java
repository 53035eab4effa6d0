package io.snapgate.gateway.worker;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A worker's stateless sandboxes, one per snapshot digest, least recently used evicted (closed: vCPU released,
 * memory unmapped, its reservation given back) beyond the {@link CacheLimits} (bytes reserved, and a count) or
 * when the memory budget needs room. The vCPUs they hold between calls count against the same bytes: past them,
 * or when the budget needs room, the least recently used give their vCPU back before any sandbox is evicted; a
 * new sandbox evicts whole sandboxes, vCPUs with them, as an engine saves a call more than a mapping does.
 * Confined to the worker thread, except {@link #holds}, {@link #size} and {@link #withVcpu}.
 */
final class SandboxCache {
    private final Function<SnapshotEntry, Slot> open;
    private final CacheLimits limits;
    private final HeldVcpus held;
    private final Predicate<String> homeHere;
    /**
     * The sandboxes of snapshots whose home is this worker, and copies of other workers' (made while their home was
     * busy, which it serves): each least recently used first, so that the next to evict is at the head of one.
     */
    private final LinkedHashMap<String, Slot> own = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Slot> copies = new LinkedHashMap<>(16, 0.75f, true);
    /** The digests cached here, readable from any thread: the dispatcher prefers a worker that has one. */
    private final Set<String> digests = ConcurrentHashMap.newKeySet();
    /** What the cached sandboxes reserved, in all (their vCPUs not included). */
    private long bytes;

    /**
     * {@code open} makes the slot of a snapshot missing here; held vCPUs are charged in {@code budget};
     * {@code homeHere} tells the snapshots whose home this worker is ({@link HomeWorkers}).
     */
    SandboxCache(Function<SnapshotEntry, Slot> open, CacheLimits limits, MemoryBudget budget,
            Predicate<String> homeHere) {
        this.open = open;
        this.homeHere = homeHere;
        this.limits = limits;
        this.held = new HeldVcpus(limits.vcpuBytes(), budget);
    }

    /**
     * The slot for the snapshot, made when missing (then the least recently used are evicted until it fits the
     * limits), or when its sandbox went with an emulator process that another guest crashed: its caller's call
     * must not fail for that.
     */
    Slot get(SnapshotEntry entry) {
        Map<String, Slot> slots = slotsOf(entry.digest());
        Slot slot = slots.get(entry.digest());
        if (slot != null && slot.sandbox.isLost()) {
            discard(slot);
            slot = null;
        }
        if (slot == null) {
            long needed = entry.snapshot().layout().writableBytes();
            while (cached() > 0 && (cached() >= limits.sandboxes() || charged() + needed > limits.bytes())) {
                discard(victim());
            }
            slot = open.apply(entry);
            slots.put(entry.digest(), slot);
            digests.add(entry.digest());
            bytes += slot.reservedBytes();
        }
        return slot;
    }

    /** The slot for the snapshot when one is cached and usable; null otherwise (nothing is made or evicted). */
    Slot cached(String digest) {
        Slot slot = slotsOf(digest).get(digest);
        return slot == null || slot.sandbox.isLost() ? null : slot;
    }

    /** Where the sandbox of the snapshot is kept: {@link #own} or {@link #copies}. */
    private Map<String, Slot> slotsOf(String digest) {
        return homeHere.test(digest) ? own : copies;
    }

    /** Sandboxes cached, on the worker thread. */
    private int cached() {
        return own.size() + copies.size();
    }

    /**
     * The sandbox to evict next (some must be cached): the least recently used of the copies of other workers'
     * snapshots, else the least recently used. Evicting by recency alone, a worker past its share with copies of
     * other workers' snapshots evicted its own, whose next calls then missed and spilled more copies: round-robin
     * over 2,000 snapshots never settled (BENCHMARKS.md, "Many snapshots").
     */
    private Slot victim() {
        return (copies.isEmpty() ? own : copies).values().iterator().next();
    }

    /** The slot ran a call and holds a vCPU now: past the limit's bytes, the least recently used let theirs go. */
    void ran(Slot slot) {
        held.used(slot);
        while (charged() > limits.bytes() && held.releaseEldest()) {
            // the slot that just ran goes last
        }
    }

    /** What the cached sandboxes and the vCPUs they hold count against the limit's bytes. */
    private long charged() {
        return bytes + held.bytes();
    }

    /** Gives back the vCPUs of sandboxes idle longer than {@code idleNanos}. */
    void releaseIdleVcpus(long now, long idleNanos) {
        for (Map<String, Slot> slots : List.of(own, copies)) {
            for (Slot slot : slots.values()) {
                if (slot.releaseVcpuIfIdle(now, idleNanos)) {
                    held.released(slot);
                }
            }
        }
    }

    /**
     * Until {@code needed} bytes fit the budget: the least recently used vCPUs are given back, then the least
     * recently used sandboxes evicted, until none is left.
     */
    void makeRoom(MemoryBudget budget, long needed) {
        while (!budget.fits(needed) && held.releaseEldest()) {
            // a vCPU costs a later call less than its sandbox does
        }
        while (cached() > 0 && !budget.fits(needed)) {
            discard(victim());
        }
    }

    /** Closes the slot's sandbox and forgets it. */
    void discard(Slot slot) {
        if (slotsOf(slot.digest).remove(slot.digest, slot)) {
            digests.remove(slot.digest);
            bytes -= slot.reservedBytes();
        }
        held.released(slot);
        slot.close();
    }

    boolean holds(String digest) {
        return digests.contains(digest);
    }

    /** Cached sandboxes holding a vCPU; readable from any thread. */
    int withVcpu() {
        return held.size();
    }

    /** Sandboxes cached; readable from any thread. */
    int size() {
        return digests.size();
    }

    void closeAll() {
        List.copyOf(own.values()).forEach(this::discard);
        List.copyOf(copies.values()).forEach(this::discard);
    }
}
