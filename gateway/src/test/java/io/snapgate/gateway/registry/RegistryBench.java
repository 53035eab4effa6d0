package io.snapgate.gateway.registry;

import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.testing.LocalRegistry;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.testing.Skopeo;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry figures of BENCHMARKS.md ("Registries"): push and pull of snapshots of about 1, 64 and 256 MiB of
 * memory through a Distribution registry on 127.0.0.1, in MiB of memory per second, against {@code skopeo copy} of
 * the same snapshot between the same store and the same registry in the same run (a fresh registry per round, so
 * every byte travels). Run with the gateway's test class path; {@code ROUNDS} (default 3) sets the repeats.
 */
public final class RegistryBench {
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "3"));
    /** Heaps giving memory images of about 1, 64 and 256 MiB (hello's code, stack and I/O regions on top). */
    private static final Map<String, Long> HEAPS = Map.of("m1", 64L << 10, "m64", 62L << 20, "m256", 254L << 20);

    private RegistryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("snapgate-registry-bench");
        try {
            SnapshotStore store = SnapshotStore.open(dir.resolve("store"));
            for (var heap : new TreeMap<>(HEAPS).entrySet()) {
                build(store, heap.getKey(), heap.getValue());
            }
            RegistryPush push = new RegistryPush(new RegistryCredentials(Optional.empty()));
            RegistryPull pull = new RegistryPull(new RegistryCredentials(Optional.empty()));
            for (String tag : List.of("m1", "m64", "m256")) {
                SnapshotInfo info = store.inspect(tag);
                double mib = info.memorySize() / (double) (1 << 20);
                List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>());
                for (int round = 0; round < ROUNDS; round++) {
                    Path pulled = dir.resolve("pulled");
                    Path copied = dir.resolve("copied");
                    // a registry per round: neither tool can find the blobs there already and skip or mount them
                    try (LocalRegistry registry = LocalRegistry.anonymous(Files.createDirectories(
                            dir.resolve("registry-" + tag + "-" + round)))) {
                        String ours = registry.host() + "/bench/snapgate:v1";
                        String theirs = registry.host() + "/bench/skopeo:v1";
                        rates.get(0).add(mib / seconds(() -> push.push(store, tag, RegistryRef.parse(ours))));
                        rates.get(1).add(mib / seconds(() -> Skopeo.transfer("oci:" + store.directory() + ":" + tag,
                                "docker://" + theirs)));
                        rates.get(2).add(mib / seconds(() -> pull.pull(SnapshotStore.open(pulled),
                                RegistryRef.parse(ours), tag)));
                        rates.get(3).add(mib / seconds(() -> Skopeo.transfer("docker://" + theirs, "oci:" + copied
                                + ":" + tag)));
                    } finally {
                        TestGateway.deleteTree(pulled);
                        TestGateway.deleteTree(copied);
                        TestGateway.deleteTree(dir.resolve("registry-" + tag + "-" + round));
                    }
                }
                System.out.printf("%s (%.1f MiB of memory), MiB/s, median of %d [all]: snapgate push %.0f %s;"
                        + " skopeo copy to the registry %.0f %s; snapgate pull %.0f %s; skopeo copy from it %.0f %s%n",
                        tag, mib, ROUNDS, median(rates.get(0)), rounded(rates.get(0)), median(rates.get(1)),
                        rounded(rates.get(1)), median(rates.get(2)), rounded(rates.get(2)), median(rates.get(3)),
                        rounded(rates.get(3)));
            }
        } finally {
            TestGateway.deleteTree(dir);
        }
    }

    /** hello built with {@code heap} bytes of heap, saved as {@code tag}. */
    private static void build(SnapshotStore store, String tag, long heap) {
        SandboxConfig config = SandboxConfig.DEFAULT.withSizes(new LayoutSizes(heap, LayoutSizes.DEFAULT.stack(),
                LayoutSizes.DEFAULT.input(), LayoutSizes.DEFAULT.output()));
        try (Sandbox sandbox = Sandbox.builder(ExampleGuests.elf("hello")).hostFunctions(GatewayHostFunctions.all())
                .config(config).build()) {
            sandbox.snapshot().save(store, tag);
        }
    }

    private static double seconds(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
