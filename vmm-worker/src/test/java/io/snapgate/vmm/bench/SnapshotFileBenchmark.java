package io.snapgate.vmm.bench;

import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Hyperlight's snapshot_files set: save, load (unchecked and checked), cold start via the ELF (build + first
 * call) and cold start via a snapshot file (load + fromSnapshot + first call), for guests whose heap makes the
 * memory about 1, 64 and 256 MiB (the other regions add ~0.4 MiB). A cold start via snapshot takes a warm vCPU
 * from the backend's pool, as a gateway worker would; closing what a cold start made is not part of it.
 *
 * <p>Every load reads the store again: oci-layout, index.json, the manifest and the config are read, hashed and
 * checked, and the memory blob opened, checked and mapped. Nothing caches a load; the one thing a process
 * remembers is the code digest of a blob file it hashed before and that has not changed since (VerifiedCode).
 */
public class SnapshotFileBenchmark extends SampledBenchmark {
    private static final String TAG = "bench";

    @Param({"1", "64", "256"})
    public int heapMiB;

    private Path dir;
    private SnapshotStore store;
    private SandboxConfig config;
    private Sandbox origin;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("snapgate-bench-store");
        store = SnapshotStore.open(dir);
        config = SandboxConfig.DEFAULT.withSizes(new LayoutSizes((long) heapMiB << 20, 128 << 10, 64 << 10, 64 << 10));
        origin = BenchSandboxes.testguest(config);
        origin.currentSnapshot().save(store, TAG);
    }

    @TearDown
    public void tearDown() throws IOException {
        origin.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A save writes every blob: the memory blob of the previous op is collected first. */
    @State(Scope.Thread)
    public static class EmptyStore {
        @Setup(Level.Invocation)
        public void empty(SnapshotFileBenchmark bench) {
            bench.store.delete(TAG);
            bench.store.gc();
        }
    }

    /** Writes memory blob, config, manifest and index, each durable (fsync) before the next. */
    @Benchmark
    public String save(EmptyStore empty) {
        return origin.currentSnapshot().save(store, TAG);
    }

    /** Every structural check; no hash of the memory blob. */
    @Benchmark
    public long loadUnchecked() {
        try (Snapshot s = Snapshot.load(store, TAG)) {
            return s.memorySize();
        }
    }

    /** Every structural check and the memory blob's sha256, on the descriptor that is then mapped. */
    @Benchmark
    public long loadChecked() {
        try (Snapshot s = Snapshot.loadChecked(store, TAG)) {
            return s.memorySize();
        }
    }

    /** What a cold start made, closed after each op, outside the measured time (closing is not starting). */
    @State(Scope.Thread)
    public static class Started {
        Snapshot snapshot;
        Sandbox sandbox;

        @TearDown(Level.Invocation)
        public void close() {
            if (sandbox != null) {
                sandbox.close();
            }
            if (snapshot != null) {
                snapshot.close();
            }
        }
    }

    /** Parse the ELF, write the image, run the guest's init, then the first call. */
    @Benchmark
    public Object coldStartViaElf(Started started) {
        started.sandbox = BenchSandboxes.testguest(config);
        return started.sandbox.call("noop");
    }

    /** Load the snapshot file (unchecked), map it copy-on-write, take a warm vCPU, then the first call. */
    @Benchmark
    public Object coldStartViaSnapshot(Started started) {
        started.snapshot = Snapshot.load(store, TAG);
        started.sandbox = Sandbox.fromSnapshot(started.snapshot, BenchSandboxes.hostFunctions(),
                BenchSandboxes.backend(), config, GuestLog.SLF4J);
        return started.sandbox.call("noop");
    }
}
