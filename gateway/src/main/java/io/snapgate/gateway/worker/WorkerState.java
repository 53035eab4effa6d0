package io.snapgate.gateway.worker;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.MemoryUse;
import io.snapgate.gateway.memory.Reservation;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.vmm.sandbox.CallOutcome;
import io.snapgate.vmm.sandbox.CallTurns;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxException;
import io.snapgate.vmm.sandbox.SandboxStatus;
import io.snapgate.vmm.sandbox.StatelessCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a worker owns: its stateless sandboxes (restored after every call) and the sessions pinned to it
 * (restored only on request or after a crash). Each new sandbox first reserves its writable memory in the node's
 * budget, evicting this worker's idle cached sandboxes to make room; a refusal is an {@code OverBudget}, before
 * anything was made. Used only on the worker's thread, through {@link WorkerJob}s.
 */
public final class WorkerState {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerState.class);

    private final SandboxFactory factory;
    private final MemoryBudget budget;
    private final SandboxCache cache;
    private final Map<String, Slot> sessions = new HashMap<>();
    /** The slots running a call or a turn of calls now, for cancellation from other threads; empty between calls. */
    private volatile List<Slot> running = List.of();
    private volatile int mapped;

    /** {@code homeHere}: whether this worker is a snapshot's (digest's) home ({@link HomeWorkers}). */
    WorkerState(SandboxFactory factory, MemoryBudget budget, CacheLimits limits, Predicate<String> homeHere) {
        this.factory = factory;
        this.budget = budget;
        this.cache = new SandboxCache(entry -> open(entry, MemoryUse.CACHED_SANDBOXES, "a sandbox of "), limits,
                budget, homeHere);
    }

    /** A new sandbox of the snapshot, its writable memory reserved for {@code use} first. */
    private Slot open(SnapshotEntry entry, MemoryUse use, String what) {
        Reservation reservation = reserve(use, entry.snapshot().layout().writableBytes(), what + entry.digest());
        try {
            return new Slot(entry.digest(), factory.create(entry), reservation);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    /** Reserves {@code bytes}, after evicting idle cached sandboxes until they fit (or none is left). */
    private Reservation reserve(MemoryUse use, long bytes, String what) {
        makeRoom(bytes);
        return budget.reserve(use, bytes, what);
    }

    /** Evicts idle cached sandboxes until {@code bytes} fit the memory budget, or none is left here. */
    void makeRoom(long bytes) {
        cache.makeRoom(budget, bytes);
        updateMapped();
    }

    /**
     * A stateless call: on the cached sandbox of the snapshot, restored afterwards whatever happened. A sandbox
     * that cannot be restored is closed, so the next call gets a fresh one.
     */
    public GuestReturn call(SnapshotEntry entry, String function, Object[] args, long deadline) {
        CallOutcome[] outcome = new CallOutcome[1];
        callEach(List.of(new StatelessCallJob(entry, function, args, deadline)), deadline, o -> outcome[0] = o);
        if (outcome[0].failure() != null) {
            throw outcome[0].failure();
        }
        return new GuestReturn(outcome[0].value(), outcome[0].runNanos() / 1000);
    }

    /**
     * Stateless calls in order, each from its snapshot and restored after it, in turns on their cached sandboxes
     * ({@link CallTurns}); none starts after {@code until} ({@link System#nanoTime()}) but the first. The first
     * call's sandbox is made if missing; the others run in this go only while theirs are cached. Hands each
     * outcome to {@code answer} as soon as it is known, in order, and returns how many ran. A sandbox that cannot
     * be restored is closed, and the next call of its snapshot gets a fresh one.
     */
    public int callEach(List<StatelessCallJob> jobs, long until, Consumer<CallOutcome> answer) {
        List<Slot> slots = new ArrayList<>(jobs.size());
        slots.add(cache.get(jobs.get(0).entry()));
        updateMapped();
        for (int i = 1; i < jobs.size(); i++) {
            Slot slot = cache.cached(jobs.get(i).entry().digest());
            if (slot == null) {
                break;
            }
            slots.add(slot);
        }
        List<Sandbox> sandboxes = new ArrayList<>(slots.size());
        List<StatelessCall> calls = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            StatelessCallJob job = jobs.get(i);
            sandboxes.add(slots.get(i).use());
            calls.add(new StatelessCall(job.function(), job.args(), job.deadline()));
        }
        int ran;
        running = slots;
        try {
            ran = CallTurns.callEach(sandboxes, calls, until, answer);
        } finally {
            running = List.of();
        }
        // the call after the last that ran may have been dropped on a sandbox that then failed its restore
        List<Slot> used = slots.subList(0, Math.min(slots.size(), ran + 1));
        for (Slot slot : new LinkedHashSet<>(used)) {
            if (slot.sandbox.status() == SandboxStatus.READY) {
                cache.ran(slot);
            } else {
                LOG.warn("sandbox of {} does not restore after a call, replacing it", slot.digest);
                cache.discard(slot);
                updateMapped();
            }
        }
        return ran;
    }

    /** Maps a sandbox of the snapshot ahead of its first call; no guest code runs. */
    public void prepare(SnapshotEntry entry) {
        cache.get(entry);
        updateMapped();
    }

    /**
     * Maps a sandbox of the snapshot and warms it ({@link io.snapgate.vmm.sandbox.Sandbox#warmUp}: its vCPU set
     * up, the code every call runs translated, no function of the guest run), so that its first call pays only
     * what any later call pays. A sandbox that fails its warm-up is closed and the failure thrown.
     */
    public void warm(SnapshotEntry entry, Duration timeout) {
        Slot slot = cache.get(entry);
        updateMapped();
        try {
            slot.warmUp(timeout);
            cache.ran(slot);
        } catch (RuntimeException e) {
            cache.discard(slot);
            updateMapped();
            throw e;
        }
    }

    /** Pins a new sandbox of the snapshot to session {@code id}. */
    public void openSession(String id, SnapshotEntry entry) {
        sessions.put(id, open(entry, MemoryUse.SESSIONS, "a session of "));
        updateMapped();
    }

    /** A call in a session: its state stays. After a crash the session is restored to its snapshot. */
    public GuestReturn sessionCall(String id, String function, Object[] args, long deadline) {
        Slot slot = session(id);
        try {
            return run(slot, function, args, deadline);
        } catch (SandboxException e) {
            if (slot.sandbox.status() != SandboxStatus.POISONED) {
                throw e;
            }
            slot.sandbox.restore();
            throw new SandboxException(e.failure(), e.getMessage() + " (the session was restored to its snapshot)");
        }
    }

    public void restoreSession(String id) {
        session(id).sandbox.restore();
    }

    /**
     * Captures the session's sandbox as it is now; the session goes on from there (a restore comes back to it).
     * The in-memory copy it then maps reserves the snapshot's memory size, at the session's first save.
     */
    public HeldSnapshot snapshotSession(String id) {
        Slot slot = session(id);
        boolean first = slot.savedCopy == null;
        if (first) {
            slot.savedCopy = reserve(MemoryUse.SESSIONS, slot.sandbox.currentSnapshot().memorySize(),
                    "saving a session of " + slot.digest);
        }
        try {
            return new HeldSnapshot(slot.sandbox.snapshot());
        } catch (RuntimeException e) {
            if (first) {
                slot.savedCopy.close();
                slot.savedCopy = null;
            }
            throw e;
        }
    }

    public void closeSession(String id) {
        Slot slot = sessions.remove(id);
        if (slot != null) {
            slot.close();
            updateMapped();
        }
    }

    private Slot session(String id) {
        Slot slot = sessions.get(id);
        if (slot == null) {
            throw new GatewayException(ErrorCode.UNKNOWN_SESSION, "no session " + id + " (it ended or expired)");
        }
        return slot;
    }

    private GuestReturn run(Slot slot, String function, Object[] args, long deadline) {
        running = List.of(slot);
        try {
            return slot.call(function, args, deadline);
        } finally {
            running = List.of();
        }
    }

    /** From any thread: cancels the call running now (in a turn, its sandboxes' calls), if any. */
    boolean cancelRunning() {
        boolean cancelled = false;
        for (Slot slot : running) {
            cancelled |= slot.cancel.cancel();
        }
        return cancelled;
    }

    /** Gives back the vCPUs of sandboxes idle longer than {@code idleNanos}. */
    void releaseIdleVcpus(long idleNanos) {
        long now = System.nanoTime();
        cache.releaseIdleVcpus(now, idleNanos);
        sessions.values().forEach(s -> s.releaseVcpuIfIdle(now, idleNanos));
    }

    boolean holds(String digest) {
        return cache.holds(digest);
    }

    /** Stateless sandboxes cached now; readable from any thread. */
    int cached() {
        return cache.size();
    }

    /** Stateless sandboxes cached now that hold a vCPU; readable from any thread. */
    int cachedWithVcpu() {
        return cache.withVcpu();
    }

    /** Sandboxes mapped now (stateless and sessions); readable from any thread. */
    int mapped() {
        return mapped;
    }

    private void updateMapped() {
        mapped = cache.size() + sessions.size();
    }

    void closeAll() {
        cache.closeAll();
        List.copyOf(sessions.keySet()).forEach(this::closeSession);
        updateMapped();
    }
}
