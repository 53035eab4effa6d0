package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.ControlPage;
import io.snapgate.vmm.abi.FrameException;
import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.GuestFrames;
import io.snapgate.vmm.abi.GuestResult;
import io.snapgate.vmm.abi.JavaValues;
import io.snapgate.vmm.abi.Ports;
import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryHost;
import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.QueuedRun;
import io.snapgate.vmm.vcpu.RunQueue;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.VcpuLostException;
import io.snapgate.vmm.vcpu.VmExit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A micro-VM running one guest: typed calls into the guest's functions, host functions the guest can
 * call back, in-memory snapshots and restores, cancellation and time limits.
 *
 * <p>Not thread-safe: one thread calls it at a time (in the gateway, the worker that owns its vCPU);
 * only {@link #cancelHandle()} may be used from other threads.
 */
public final class Sandbox implements AutoCloseable {
    private static final SecureRandom SEEDS = new SecureRandom();
    /** The call {@link #warmUp} makes: a name no guest can register (the SDK refuses an empty one). */
    private static final FunctionSignature WARM_UP = FunctionSignature.of("", ValueType.VOID);

    private final VcpuBackend backend;
    private final GuestMemory memory;
    private final RunState state = new RunState();
    private final GuestRunner runner;
    private final SandboxConfig config;
    private final SplittableRandom random = new SplittableRandom(SEEDS.nextLong());
    /** Null while the sandbox holds no vCPU (before its first run, or after {@link #releaseVcpu()}). */
    private Vcpu vcpu;
    /** SHA-256 of the code regions: which translated code a vCPU may keep for this sandbox. */
    private String codeDigest;
    private Snapshot current;
    /** The snapshot this sandbox took of itself after init; closed with the sandbox (see currentSnapshot()). */
    private Snapshot built;
    private Map<String, FunctionSignature> functions;
    private SandboxStatus status = SandboxStatus.READY;
    private String poisonedBy;
    /** Why the process holding this sandbox's memory is gone; null while it lives. */
    private String lostBy;
    private boolean called;

    private Sandbox(VcpuBackend backend, GuestMemory memory, String codeDigest, HostFunctions hostFunctions,
            SandboxConfig config, GuestLog log) {
        this.backend = backend;
        this.codeDigest = codeDigest;
        this.memory = memory;
        this.config = config;
        this.runner = new GuestRunner(memory, state, hostFunctions, log, config.limits());
    }

    /** Starts building a sandbox from a guest ELF. */
    public static SandboxBuilder builder(byte[] elf) {
        return new SandboxBuilder(elf);
    }

    public static SandboxBuilder builder(Path elf) {
        try {
            return new SandboxBuilder(Files.readAllBytes(elf));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read guest ELF " + elf, e);
        }
    }

    /** A sandbox over {@code memory} whose code has {@code codeDigest}; it owns the memory from here on. */
    static Sandbox open(VcpuBackend backend, GuestMemory memory, String codeDigest, HostFunctions hostFunctions,
            SandboxConfig config, GuestLog log) {
        return new Sandbox(backend, memory, codeDigest, hostFunctions, config, log);
    }

    /**
     * The vCPU to run on: the one this sandbox holds, or one taken from the backend (preferably one that already
     * ran this code, so its translations are reused) and set up for this memory.
     */
    private Vcpu vcpu() {
        if (vcpu == null) {
            Vcpu fresh = backend.createVcpu(codeDigest);
            try {
                MemoryFile code = memory.file().retain();
                fresh.map(memory.slots(), new GuestCode(codeDigest, code::release));
                fresh.setEntryState(entryState(memory.layout()));
            } catch (RuntimeException e) {
                fresh.close();
                throw e;
            }
            vcpu = fresh;
        }
        return vcpu;
    }

    /** The registers every call enters with: pinned by the ABI, given the layout. */
    static CpuState entryState(MemoryLayout layout) {
        return CpuState.longMode(layout.stackTop(), ControlPage.ADDRESS, MemoryLayout.PAGE_TABLES);
    }

    /**
     * Gives this sandbox's vCPU back to the backend while the sandbox is idle, so that idle sandboxes hold only
     * their memory; the next call takes a vCPU again (tens of microseconds). Guest state is unaffected.
     */
    public void releaseVcpu() {
        checkOpen();
        if (vcpu != null) {
            vcpu.close();
            vcpu = null;
        }
    }

    /**
     * A sandbox straight from a snapshot: no ELF, no guest init. {@code hostFunctions} must cover the
     * snapshot's host functions by name and signature; otherwise one error lists every gap.
     */
    public static Sandbox fromSnapshot(Snapshot snapshot, Collection<HostFunction> hostFunctions, VcpuBackend backend,
            SandboxConfig config, GuestLog log) {
        HostFunctions offered = HostFunctions.of(hostFunctions);
        requireCovered(offered, snapshot);
        GuestMemory memory = mapMemory(backend, snapshot.memory(), snapshot.layout(), false);
        try {
            Sandbox sandbox = open(backend, memory, snapshot.codeDigest(), offered, config, log);
            sandbox.adopt(snapshot);
            return sandbox;
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    /** Guest memory where the backend's vCPUs can run on it: in its process when it has one, else in ours. */
    static GuestMemory mapMemory(VcpuBackend backend, MemoryFile file, MemoryLayout layout, boolean shared) {
        return backend instanceof MemoryHost host ? host.map(file, layout, shared)
                : GuestMemory.map(file, layout, shared);
    }

    private static void requireCovered(HostFunctions offered, Snapshot snapshot) {
        List<String> gaps = offered.gaps(snapshot.hostFunctions());
        if (!gaps.isEmpty()) {
            throw new SandboxException(Failure.INCOMPATIBLE_SNAPSHOT, "the host functions do not cover the snapshot's: "
                    + String.join("; ", gaps));
        }
    }

    /**
     * Runs the guest's init from {@code entry}, with {@code input} as its init input, and takes the result as this
     * sandbox's first snapshot.
     */
    void initialise(long entry, byte[] input) {
        if (input.length > 0 && !runner.writeInput(input)) {
            throw new SandboxException(Failure.ARGUMENT_TOO_LARGE, "the init input of " + input.length
                    + " bytes does not fit the input buffer of " + memory.layout().region(MemoryLayout.INPUT).size()
                    + " bytes (4 of them hold its length)");
        }
        var init = GuestFrames.init(run(entry, config.callTimeout(), "guest init"));
        boolean inCode = memory.layout().code().stream().anyMatch(r -> r.contains(init.dispatchAddress(), 1));
        if (!inCode) {
            throw new SandboxException(Failure.INVALID_GUEST, String.format(
                    "guest init reported dispatch address 0x%x, which is not in its code", init.dispatchAddress()));
        }
        // Init ran on a shared mapping of a fresh file: that file is now the image. Map it privately from here on.
        Snapshot first = new Snapshot(memory.file(), memory.layout(), init.dispatchAddress(), init.functions(),
                runner.hostFunctions().signatures(), 0, backend.name(), codeDigest, Instant.now());
        memory.remap(first.memory(), false);
        built = first;
        adopt(first);
    }

    private void adopt(Snapshot snapshot) {
        if (snapshot != current) {
            functions = snapshot.functions().stream().collect(Collectors.toMap(FunctionSignature::name, f -> f,
                    (a, b) -> a, LinkedHashMap::new));
            current = snapshot;
        }
        memory.writeLong(ControlPage.ADDRESS + ControlPage.RANDOM_STATE_OFFSET, random.nextLong());
        status = SandboxStatus.READY;
        poisonedBy = null;
    }

    /** Calls a guest function with the sandbox's default time limit. */
    public Object call(String function, Object... args) {
        return call(config.callTimeout(), function, args);
    }

    /**
     * Calls a guest function. Arguments are checked against its signature before the guest runs; the result
     * is the canonical Java value of its return type (see {@code ValueType}). {@code timeout} zero: no limit.
     *
     * @throws GuestErrorException when the function returns an error (the sandbox stays ready)
     * @throws SandboxException for everything else; see {@link Failure#poisons()}
     */
    public Object call(Duration timeout, String function, Object... args) {
        try {
            return callReady(timeout, function, args);
        } catch (VcpuLostException e) {
            throw lost(e);
        }
    }

    private Object callReady(Duration timeout, String function, Object[] args) {
        checkReady();
        FunctionSignature signature = signature(function);
        return invoke(timeout, signature, arguments(signature, args));
    }

    /** The vCPU's run queue, when this sandbox is ready for a turn of calls on it; null when it is not. */
    RunQueue queued() {
        if (status != SandboxStatus.READY || lostBy != null || !current.memory().sameImage(memory.file())) {
            return null;
        }
        return vcpu() instanceof RunQueue queue ? queue : null;
    }

    /** A call alone, then a restore; false when the sandbox could not be restored. */
    boolean callThenRestore(StatelessCall call, Consumer<CallOutcome> outcomes) {
        long start = System.nanoTime();
        if (call.deadline() - start <= 0) {
            outcomes.accept(new CallOutcome(null, new SandboxException(Failure.TIMED_OUT, "call to " + call.function()
                    + " reached its time limit before it started"), 0));
            return true;
        }
        Object value = null;
        RuntimeException failure = null;
        try {
            value = call(call.deadline() == Long.MAX_VALUE ? Duration.ZERO
                    : Duration.ofNanos(call.deadline() - start), call.function(), call.args());
        } catch (RuntimeException e) {
            failure = e;
        }
        outcomes.accept(new CallOutcome(value, failure, System.nanoTime() - start));
        return restoredAfterCall();
    }

    /** Restores the sandbox; when it cannot be, it is poisoned (or lost) and says why, and this is false. */
    private boolean restoredAfterCall() {
        try {
            restore();
            return true;
        } catch (RuntimeException e) {
            if (status == SandboxStatus.READY) {
                poison(new SandboxException(Failure.POISONED, "it could not be restored after a call: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage())));
            }
            return false;
        }
    }

    /**
     * Queues {@code call} on this sandbox's vCPU ({@link #queued()} first): its frame, its run, and the reset and
     * seed that restore the sandbox after it. Returns its function's signature; null when it does not fit the
     * queue (nothing was queued). Throws what the call would fail with before any guest runs.
     */
    FunctionSignature queue(StatelessCall call) {
        RunQueue queue = (RunQueue) vcpu;
        FunctionSignature signature = signature(call.function());
        byte[] frame = frame(signature, arguments(signature, call.args()));
        if (!queue.fits(frame.length + 4)) {
            return null;
        }
        runner.writeInput(frame);
        queue.queue(current.dispatchAddress(), Ports.DONE);
        restoreTo(current); // sent after the run: applied only if the process goes on past it
        called = true;
        return signature;
    }

    /** A turn of this sandbox's queued calls begins; stops meant for them end by {@code deadline}. */
    long beginTurn(long deadline) {
        long turn = state.begin(vcpu, deadline);
        if (deadline != Long.MAX_VALUE) {
            Watchdog.INSTANCE.watch(state, turn);
        }
        return turn;
    }

    /** The turn is over; returns the stop asked for it, if any. */
    Failure endTurn(long turn) {
        Failure stop = state.stopRequested(turn);
        state.end();
        return stop;
    }

    /** A queued call the process went on past: it returned, and the sandbox was reset after it. */
    CallOutcome returned(StatelessCall call, FunctionSignature signature, QueuedRun run) {
        try {
            return new CallOutcome(valueOf(signature, runner.result()), null, run.runNanos());
        } catch (GuestErrorException e) {
            return new CallOutcome(null, e, run.runNanos());
        } catch (FrameException e) { // no poison: the sandbox is reset already
            return new CallOutcome(null, new SandboxException(Failure.MALFORMED_FRAME, "call to " + call.function()
                    + ": " + e.getMessage()), run.runNanos());
        }
    }

    /**
     * The call whose run ended the turn goes on alone from its exit, as a single call would, and the sandbox is
     * restored after it; false when it could not be. A stop asked during the turn ({@code stopped}: for any of its
     * sandboxes) stops the run in progress, whichever call it was meant for, and a stopped run cannot go on (the
     * stop may have rewound it, and the exit it reports be a repeat): this call then ends when {@code ownStop} says
     * it was cancelled or when its own time is up, and otherwise its run is dropped and the call starts over in a
     * later turn (no outcome: it made no host call, which would have ended the turn).
     */
    boolean endOfTurn(StatelessCall call, FunctionSignature signature, QueuedRun run, boolean stopped,
            Failure ownStop, Consumer<CallOutcome> outcomes) {
        boolean lostRun = run.exit() instanceof VmExit.Lost;
        boolean timeUp = System.nanoTime() - call.deadline() >= 0;
        Failure stop = ownStop == Failure.CANCELLED ? ownStop : timeUp ? Failure.TIMED_OUT : null;
        if (stopped && !lostRun && stop == null) {
            return restoredAfterCall();
        }
        long start = System.nanoTime();
        String during = "call to " + call.function();
        Object value = null;
        RuntimeException failure = null;
        try {
            value = result(signature, () -> {
                if (stopped && !lostRun) {
                    throw new SandboxException(stop, during + (stop == Failure.TIMED_OUT
                            ? " ran past its time limit and was stopped" : " was cancelled"));
                }
                return run(current.dispatchAddress(), call.deadline(), during, run.exit());
            });
        } catch (VcpuLostException e) {
            failure = lost(e);
        } catch (RuntimeException e) {
            failure = e;
        }
        outcomes.accept(new CallOutcome(value, failure, run.runNanos() + System.nanoTime() - start));
        return restoredAfterCall();
    }

    /**
     * Runs the guest's dispatcher once on a call it refuses (a function no guest registers) and restores the
     * sandbox: the vCPU is taken and set up, and the code every call runs (entry, frame decoding, the registry,
     * the answer) translated, with no function of the guest run. What a deploy does so that a snapshot's first
     * call finds that work done. Throws what a call would throw when the guest does not answer as expected.
     */
    public void warmUp(Duration timeout) {
        try {
            checkReady();
            invoke(timeout, WARM_UP, new Object[0]);
        } catch (GuestErrorException expected) {
            // the dispatcher's answer to a function it does not know
        } catch (VcpuLostException e) {
            throw lost(e);
        }
        restore();
    }

    private Object invoke(Duration timeout, FunctionSignature signature, Object[] values) {
        runner.writeInput(frame(signature, values));
        long deadline = deadline(timeout);
        return result(signature, () -> run(current.dispatchAddress(), deadline, "call to " + signature.name(), null));
    }

    /** The call's frame, checked to fit the input buffer. */
    private byte[] frame(FunctionSignature signature, Object[] values) {
        byte[] frame;
        try {
            frame = runner.frames().call(signature, values);
        } catch (IllegalArgumentException e) { // text that has no UTF-8 encoding: refused, not altered
            throw new SandboxException(Failure.ARGUMENT_TYPE_MISMATCH, e.getMessage());
        }
        long room = memory.layout().region(MemoryLayout.INPUT).size();
        if (frame.length > room - 4) {
            throw new SandboxException(Failure.ARGUMENT_TOO_LARGE, "arguments of " + signature
                    + " do not fit the input buffer of " + room + " bytes");
        }
        return frame;
    }

    /** The value of a call whose result frame {@code run} gives, or the failure it is; poisons as failures say. */
    private Object result(FunctionSignature signature, Supplier<byte[]> run) {
        String function = signature.name();
        called = true;
        try {
            return valueOf(signature, run.get());
        } catch (FrameException e) {
            throw poison(new SandboxException(Failure.MALFORMED_FRAME, "call to " + function + ": " + e.getMessage()));
        } catch (SandboxException e) {
            if (e.failure() == Failure.SANDBOX_LOST) {
                lostBy = e.getMessage();
            }
            throw e.failure().poisons() ? poison(e) : e;
        }
    }

    /** The value of the function's result {@code frame}; a guest error as GuestErrorException. */
    private static Object valueOf(FunctionSignature signature, byte[] frame) {
        GuestResult result = GuestFrames.result(frame, signature.returns());
        if (result instanceof GuestResult.Failed failed) {
            throw new GuestErrorException(signature.name(), failed.code(), failed.message());
        }
        return ((GuestResult.Returned) result).value();
    }

    /** The process that held this sandbox is gone: from now on every call and restore says so. */
    SandboxException lost(VcpuLostException e) {
        lostBy = e.getMessage();
        return poison(new SandboxException(Failure.SANDBOX_LOST, "the sandbox is lost: " + e.getMessage()));
    }

    /** Runs the guest from {@code rip} until it is done, within {@code timeout} (zero: none); returns its frame. */
    private byte[] run(long rip, Duration timeout, String during) {
        return run(rip, deadline(timeout), during, null);
    }

    /**
     * Runs the guest from {@code rip} until it is done, by {@code deadline}; returns its frame. With {@code first},
     * goes on with a run from {@code rip} that already ended with that exit.
     */
    private byte[] run(long rip, long deadline, String during, VmExit first) {
        Vcpu running = vcpu();
        long call = state.begin(running, deadline);
        try {
            if (deadline != Long.MAX_VALUE) {
                Watchdog.INSTANCE.watch(state, call);
            }
            return first == null ? runner.run(running, rip, call, during)
                    : runner.follow(running, first, call, during);
        } finally {
            state.end();
        }
    }

    /** The {@link System#nanoTime()} by which a call of {@code timeout} (zero: none) must end. */
    private static long deadline(Duration timeout) {
        return timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    private SandboxException poison(SandboxException cause) {
        status = SandboxStatus.POISONED;
        poisonedBy = cause.getMessage();
        return cause;
    }

    private FunctionSignature signature(String function) {
        FunctionSignature signature = functions.get(function);
        if (signature == null) {
            throw new SandboxException(Failure.UNKNOWN_FUNCTION, "the guest has no function " + function
                    + "; it has: " + functions.values().stream().map(FunctionSignature::toString)
                    .collect(Collectors.joining(", ")));
        }
        return signature;
    }

    private static Object[] arguments(FunctionSignature signature, Object[] args) {
        if (args.length != signature.parameters().size()) {
            throw new SandboxException(Failure.WRONG_ARGUMENT_COUNT, signature + " takes "
                    + signature.parameters().size() + " arguments, got " + args.length);
        }
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            try {
                values[i] = JavaValues.coerce(signature.parameters().get(i), args[i]);
            } catch (IllegalArgumentException e) {
                throw new SandboxException(Failure.ARGUMENT_TYPE_MISMATCH, "argument " + i + " of " + signature
                        + ": " + e.getMessage());
            }
        }
        return values;
    }

    /**
     * Captures the sandbox as it is now. The sandbox goes on from the snapshot, so restoring it later only
     * drops the pages dirtied since.
     */
    public Snapshot snapshot() {
        checkReady();
        try {
            return snapshotReady();
        } catch (VcpuLostException e) {
            throw lost(e);
        }
    }

    private Snapshot snapshotReady() {
        var copy = memory.copyToFile("snapgate-snapshot");
        try {
            Snapshot snapshot = new Snapshot(copy, memory.layout(), current.dispatchAddress(), current.functions(),
                    runner.hostFunctions().signatures(), current.generation() + 1, backend.name(), current.codeDigest(),
                    Instant.now());
            memory.remap(snapshot.memory(), false);
            current = snapshot;
            return snapshot;
        } finally {
            copy.release();
        }
    }

    /** Restores the snapshot this sandbox was last built, restored or snapshotted from. */
    public void restore() {
        restore(current);
    }

    /**
     * Resets memory and registers to {@code snapshot}, which must have this sandbox's layout and need no host
     * function it lacks. Gives the guest a fresh random seed. Clears a poisoned status.
     */
    public void restore(Snapshot snapshot) {
        checkOpen();
        checkNotLost();
        try {
            restoreTo(snapshot);
        } catch (VcpuLostException e) {
            throw lost(e);
        }
    }

    private void restoreTo(Snapshot snapshot) {
        if (snapshot != current) { // the current one was checked when the sandbox adopted it
            requireCompatible(snapshot);
        }
        if (snapshot.memory().sameImage(memory.file())) {
            memory.reset(config.reset());
        } else {
            memory.remap(snapshot.memory(), false);
            if (!snapshot.codeDigest().equals(codeDigest)) {
                releaseVcpu(); // its code is another guest's: the next call maps this one's
                codeDigest = snapshot.codeDigest();
            }
        }
        adopt(snapshot);
    }

    private void requireCompatible(Snapshot snapshot) {
        if (!snapshot.layout().equals(memory.layout())) {
            throw new SandboxException(Failure.INCOMPATIBLE_SNAPSHOT, "the snapshot's memory layout ("
                    + snapshot.memorySize() + " bytes) differs from this sandbox's (" + memory.layout().size()
                    + " bytes)");
        }
        requireCovered(runner.hostFunctions(), snapshot);
    }

    /**
     * Adds or replaces host functions. Only before the first call: the guest may already depend on them.
     */
    public void register(Collection<HostFunction> more) {
        checkOpen();
        if (called) {
            throw new IllegalStateException("host functions can only be registered before the first call");
        }
        HostFunctions next = runner.hostFunctions().with(more);
        requireCovered(next, current);
        runner.hostFunctions(next);
    }

    /** The handle other threads use to stop this sandbox's running call. */
    public CancelHandle cancelHandle() {
        return new CancelHandle(state);
    }

    /**
     * Whether this sandbox is gone with the process that held it (an emulator crash, maybe another sandbox's):
     * it can only be closed. A cheap check, for callers that would rather replace it than fail a call.
     */
    public boolean isLost() {
        return lostBy != null || memory.lost();
    }

    public SandboxStatus status() {
        return status;
    }

    /** The guest's functions, in registration order. */
    public List<FunctionSignature> functions() {
        return List.copyOf(functions.values());
    }

    /**
     * The snapshot the sandbox was last built, restored or snapshotted from. The one taken at build belongs
     * to the sandbox and is closed with it: keep it longer through {@link #snapshot()}, or save it.
     */
    public Snapshot currentSnapshot() {
        return current;
    }

    public String backendName() {
        return backend.name();
    }

    private void checkNotLost() {
        if (lostBy != null) {
            throw new SandboxException(Failure.SANDBOX_LOST, "the sandbox was lost with the process that ran it ("
                    + lostBy + "); close it and start a new one");
        }
    }

    private void checkReady() {
        checkOpen();
        checkNotLost();
        if (status == SandboxStatus.POISONED) {
            throw new SandboxException(Failure.POISONED, "the sandbox is poisoned by an earlier failure (" + poisonedBy
                    + "); restore it before calling again");
        }
    }

    private void checkOpen() {
        if (status == SandboxStatus.CLOSED) {
            throw new SandboxException(Failure.CLOSED, "the sandbox is closed");
        }
    }

    /** Releases the vCPU and unmaps the memory. */
    @Override
    public void close() {
        if (status != SandboxStatus.CLOSED) {
            status = SandboxStatus.CLOSED;
            if (vcpu != null) {
                vcpu.close();
                vcpu = null;
            }
            memory.close();
            if (built != null) {
                built.close();
            }
        }
    }
}
