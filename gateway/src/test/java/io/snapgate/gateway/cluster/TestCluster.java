package io.snapgate.gateway.cluster;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.snapshot.SnapshotBuilder;
import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.vcpu.VcpuBackends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Gateway nodes in child JVMs forming one cluster on loopback: a cluster name of their own, a member port each
 * (listed to all), free HTTP ports, one worker each, logs and stores under a temp directory that
 * {@link #close} deletes after ending every process it started.
 */
final class TestCluster implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(90);

    private final String name = "test-" + UUID.randomUUID();
    private final Path dir;
    private final List<Integer> memberPorts;
    private final List<NodeProcess> started = new ArrayList<>();
    private final List<String> jvmFlags;

    /** {@code jvmFlags}: after the tests' own (quick start-up, small heap), so they can override them. */
    TestCluster(int size, List<String> jvmFlags) {
        this.jvmFlags = List.copyOf(jvmFlags);
        try {
            dir = Files.createTempDirectory("snapgate-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        memberPorts = freePorts(size);
    }

    Path dir() {
        return dir;
    }

    /** A store under {@link #dir()} holding the example guests (the nodes start with {@code --examples false}). */
    Path exampleStore(String name) {
        Path store = dir.resolve(name);
        ExampleGuests.installIfEmpty(SnapshotStore.open(store), new SnapshotBuilder(GatewayHostFunctions.all(),
                VcpuBackends.detect(), SandboxConfig.DEFAULT.withCallTimeout(Duration.ofSeconds(30)), GuestLog.SLF4J,
                MemoryBudget.unlimited()));
        return store;
    }

    /** The cluster's name, which a client joining it needs. */
    String name() {
        return name;
    }

    /** {@code 127.0.0.1:port} of every member port, for a client's TCP-IP join. */
    List<String> members() {
        return memberPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    int memberPort(int i) {
        return memberPorts.get(i);
    }

    /** Starts member {@code i} (0-based) over {@code store}, one worker unless {@code extra} says; does not wait. */
    NodeProcess start(int i, Path store, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--cluster",
                "--cluster-name", name,
                "--cluster-port", String.valueOf(memberPorts.get(i)),
                "--cluster-members", memberPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")),
                "--port", "0", "--host", "127.0.0.1", "--examples", "false",
                "--store", store.toString()));
        if (!List.of(extra).contains("--workers")) {
            args.addAll(List.of("--workers", "1"));
        }
        args.addAll(List.of(extra));
        String name = "node" + (i + 1);
        NodeProcess node = NodeProcess.start(name, dir.resolve(name + "-" + started.size() + ".log"), jvmFlags, args);
        started.add(node);
        return node;
    }

    @Override
    public void close() {
        started.forEach(NodeProcess::close);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + dir, e);
        }
    }

    private static List<Integer> freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket we made
                }
            });
        }
    }
}
