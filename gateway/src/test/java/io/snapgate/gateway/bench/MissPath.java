package io.snapgate.gateway.bench;

import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.worker.CacheLimits;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.testing.GuestVariants;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.Snapshot;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where a gateway worker's miss goes (issue 18): a sandbox of a snapshot it holds no sandbox of, on the emulator
 * process backend. Per step, the median over many distinct snapshots: mapping the snapshot, the first call and
 * restore on a code digest no engine has run (every block translated) against one an idle engine still holds,
 * a later call, and closing; then what a deploy's warm-up costs and the first call after it. Then the emulator
 * process's resident memory as sandboxes of distinct code pile up, idle (vCPU released) and each holding its
 * engine. Not JMH: a main run on the gateway's test class path (BENCHMARKS.md, "Many snapshots", has the command).
 */
public final class MissPath {
    private MissPath() {
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("snapgate-misspath");
        ProcessBackend backend = ProcessBackend.instance();
        SandboxConfig config = SandboxConfig.DEFAULT;
        try {
            SnapshotStore store = SnapshotStore.open(dir);
            byte[] testguest = ExampleGuests.elf("testguest");
            List<Snapshot> snapshots = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                try (Sandbox built = Sandbox.builder(GuestVariants.variant(testguest, n + 1))
                        .hostFunctions(GatewayHostFunctions.all()).config(config).backend(backend).build()) {
                    built.currentSnapshot().save(store, "v" + n);
                }
                snapshots.add(Snapshot.load(store, "v" + n));
            }
            steps(snapshots, backend, config);
            footprint(snapshots, backend, config, true);
            footprint(snapshots, backend, config, false);
            snapshots.forEach(Snapshot::close);
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The first half of the snapshots miss cold; the second half are warmed up first, as a deploy does. */
    private static void steps(List<Snapshot> snapshots, ProcessBackend backend, SandboxConfig config) {
        int n = snapshots.size() / 2;
        long[][] cold = new long[4][n];
        long[][] again = new long[4][n];
        long[][] warmed = new long[4][n];
        for (int i = 0; i < n; i++) {
            record(cold, i, life(snapshots.get(i), backend, config, false));
            // The same snapshot again: its engine is idle in the pool, holding this code's translations.
            record(again, i, life(snapshots.get(i), backend, config, false));
        }
        for (int i = 0; i < n; i++) {
            record(warmed, i, life(snapshots.get(n + i), backend, config, true));
        }
        System.out.printf("%d distinct snapshots each, medians in us:%n", n);
        print("map (Sandbox.fromSnapshot)", cold[0]);
        print("first call + restore, code new to the process", cold[1]);
        print("later call + restore", cold[2]);
        print("close", cold[3]);
        print("map again", again[0]);
        print("first call + restore, an engine holds the code", again[1]);
        print("warm-up as a deploy does (map + Sandbox.warmUp)", warmed[0]);
        print("first call + restore after it", warmed[1]);
        print("later call + restore", warmed[2]);
    }

    /** One sandbox's life: opened (and warmed up, as a deploy does), two calls, closed; each step's time. */
    private static long[] life(Snapshot snapshot, ProcessBackend backend, SandboxConfig config, boolean warm) {
        long t0 = System.nanoTime();
        Sandbox sandbox = open(snapshot, backend, config);
        if (warm) {
            sandbox.warmUp(Duration.ofSeconds(5));
        }
        long t1 = System.nanoTime();
        callAndRestore(sandbox);
        long t2 = System.nanoTime();
        callAndRestore(sandbox);
        long t3 = System.nanoTime();
        sandbox.close();
        return new long[] {t1 - t0, t2 - t1, t3 - t2, System.nanoTime() - t3};
    }

    private static void record(long[][] steps, int i, long[] times) {
        for (int step = 0; step < times.length; step++) {
            steps[step][i] = times[step];
        }
    }

    private static void print(String step, long[] nanos) {
        System.out.printf("  %-50s %8.1f%n", step, median(nanos));
    }

    private static void footprint(List<Snapshot> snapshots, ProcessBackend backend, SandboxConfig config,
            boolean releaseVcpu) throws IOException {
        List<Sandbox> open = new ArrayList<>();
        long[] before = residentKiB(backend.processId());
        for (Snapshot snapshot : snapshots) {
            Sandbox sandbox = open(snapshot, backend, config);
            callAndRestore(sandbox);
            if (releaseVcpu) {
                sandbox.releaseVcpu();
            }
            open.add(sandbox);
        }
        long[] after = residentKiB(backend.processId());
        int n = open.size();
        System.out.printf("%d sandboxes of distinct code, one call each, %s: emulator process RSS +%d KiB "
                + "(%d KiB each: %d anonymous, %d file)%n", n,
                releaseVcpu ? "vCPU released" : "each holding its engine",
                after[0] - before[0], (after[0] - before[0]) / n, (after[1] - before[1]) / n,
                (after[2] - before[2]) / n);
        open.forEach(Sandbox::close);
        if (!releaseVcpu) {
            long writable = snapshots.get(0).layout().writableBytes();
            System.out.printf("a worker's cache charges each %d KiB (its writable bytes) and its vCPU %d KiB%n",
                    writable >> 10, CacheLimits.VCPU_BYTES >> 10);
        }
    }

    private static Sandbox open(Snapshot snapshot, ProcessBackend backend, SandboxConfig config) {
        return Sandbox.fromSnapshot(snapshot, GatewayHostFunctions.all(), backend, config, GuestLog.SLF4J);
    }

    private static void callAndRestore(Sandbox sandbox) {
        sandbox.call("noop");
        sandbox.restore();
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1000.0;
    }

    /** The process's resident memory in KiB: in all, anonymous, and pages of files. */
    private static long[] residentKiB(long pid) throws IOException {
        long[] kib = new long[3];
        String[] fields = {"VmRSS:", "RssAnon:", "RssFile:"};
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            for (int i = 0; i < fields.length; i++) {
                if (line.startsWith(fields[i])) {
                    kib[i] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return kib;
    }
}
