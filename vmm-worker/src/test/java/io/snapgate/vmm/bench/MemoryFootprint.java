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
import java.util.ArrayList;
import java.util.List;

/**
 * Resident memory of many sandboxes made from one snapshot file (issue 3's memory figure): 64 sandboxes of a
 * 64 MiB snapshot, each after one call, first holding no vCPU (released after the call, as idle gateway
 * sandboxes do), then each holding its own. Prints the RSS and PSS each sandbox adds. Not a JMH benchmark:
 * it measures memory, once, in a fresh JVM: {@code scripts/bench.sh footprint}.
 */
public final class MemoryFootprint {
    private static final int SANDBOXES = 64;

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("snapgate-footprint");
        SandboxConfig config = SandboxConfig.DEFAULT
                .withSizes(new LayoutSizes(64L << 20, 128 << 10, 64 << 10, 64 << 10));
        SnapshotStore store = SnapshotStore.open(dir);
        try (Sandbox origin = BenchSandboxes.testguest(config)) {
            origin.currentSnapshot().save(store, "footprint");
        }
        try (Snapshot snapshot = Snapshot.load(store, "footprint")) {
            System.out.printf("snapshot: %d MiB of guest memory%n", snapshot.memorySize() >> 20);
            measure(snapshot, config, true);
            measure(snapshot, config, false);
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void measure(Snapshot snapshot, SandboxConfig config, boolean releaseVcpu)
            throws IOException, InterruptedException {
        List<Sandbox> sandboxes = new ArrayList<>();
        open(snapshot, config, releaseVcpu, sandboxes, 4); // JIT, pool and page cache warm before measuring
        long[] before = residentKiB();
        open(snapshot, config, releaseVcpu, sandboxes, SANDBOXES);
        long[] after = residentKiB();
        System.out.printf("%d sandboxes, one call each, %s: RSS +%d KiB (%d KiB each), PSS +%d KiB (%d KiB each)%n",
                SANDBOXES, releaseVcpu ? "vCPU released" : "each holding its vCPU", after[0] - before[0],
                (after[0] - before[0]) / SANDBOXES, after[1] - before[1], (after[1] - before[1]) / SANDBOXES);
        sandboxes.forEach(Sandbox::close);
    }

    private static void open(Snapshot snapshot, SandboxConfig config, boolean releaseVcpu, List<Sandbox> into, int n) {
        for (int i = 0; i < n; i++) {
            Sandbox sandbox = Sandbox.fromSnapshot(snapshot, BenchSandboxes.hostFunctions(), BenchSandboxes.backend(),
                    config, GuestLog.SLF4J);
            sandbox.call("add", i, 1);
            if (releaseVcpu) {
                sandbox.releaseVcpu();
            }
            into.add(sandbox);
        }
    }

    /** RSS and PSS of this process in KiB, after a GC so that the Java heap settles. */
    private static long[] residentKiB() throws IOException, InterruptedException {
        System.gc();
        Thread.sleep(200);
        long rss = 0;
        long pss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
            if (line.startsWith("Rss:")) {
                rss = kib(line);
            } else if (line.startsWith("Pss:")) {
                pss = kib(line);
            }
        }
        return new long[] {rss, pss};
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
