package io.snapgate.store.cluster;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.memory;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.index.Holder;
import io.snapgate.store.index.StoreRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index on two real Hazelcast members in this JVM, on loopback, in a cluster of their own. */
class HazelcastSnapshotIndexTest {
    @TempDir
    Path dir;
    private final String clusterName = "index-test-" + UUID.randomUUID();
    private final int firstPort = freePort();
    private HazelcastInstance a;
    private HazelcastInstance b;
    private HazelcastSnapshotIndex indexA;
    private HazelcastSnapshotIndex indexB;

    @BeforeEach
    void start() {
        a = Hazelcast.newHazelcastInstance(loopback());
        b = Hazelcast.newHazelcastInstance(loopback());
        indexA = HazelcastSnapshotIndex.on(a);
        indexB = HazelcastSnapshotIndex.on(b);
        until("two members", () -> indexA.members().size() == 2 && indexB.members().size() == 2);
    }

    @AfterEach
    void stop() {
        a.getLifecycleService().terminate();
        b.getLifecycleService().terminate();
    }

    @Test
    void aTagAndItsHoldersPutOnOneMemberAreReadOnTheOther() {
        SnapshotStore store = SnapshotStore.open(dir.resolve("a"));
        SnapshotInfo info = store.inspect(store.save("v1", config(), memory(1)));
        String digest = info.manifestDigest();
        indexA.putTag("v1", info);
        indexA.addHolder(digest, holder(indexA.node(), "/a"));
        until("b sees the tag and the holder",
                () -> indexB.tag("v1").isPresent() && indexB.holders(digest).size() == 1);
        assertThat(indexB.tag("v1")).contains(info);
        assertThat(indexB.heldBy(indexA.node())).containsExactly(digest);

        indexB.addHolder(digest, holder(indexB.node(), "/b"));
        indexB.addHolder(digest, holder(indexB.node(), "/b2")); // replaces b's entry
        // (a may see b's first entry before its replacement: wait for the final state, not for a count)
        until("a sees both holders, b's replaced",
                () -> indexA.holders(digest).stream().map(Holder::path).toList().equals(List.of("/a", "/b2")));

        List<String> removed = new CopyOnWriteArrayList<>();
        indexB.onTagRemoved((tag, was) -> removed.add(tag + "=" + was.manifestDigest()));
        indexA.removeTag("v1");
        until("b sees the tag gone", () -> indexB.tag("v1").isEmpty() && !removed.isEmpty());
        assertThat(removed).containsExactly("v1=" + digest);
        indexA.putTagIfAbsent("v2", info);
        indexB.putTagIfAbsent("v2", store.inspect(store.save("other", config(), memory(2))));
        until("b sees v2", () -> indexB.tag("v2").isPresent());
        assertThat(indexB.tag("v2")).contains(info);
    }

    @Test
    void aMemberThatDiesIsRemovedFromEveryEntry() {
        List<String> left = new CopyOnWriteArrayList<>();
        indexA.onNodeLeft(left::add);
        String dead = indexB.node();
        for (String digest : List.of("sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64))) {
            indexA.addHolder(digest, holder(indexA.node(), "/a"));
            indexB.addHolder(digest, holder(dead, "/b"));
        }
        until("a sees b's entries", () -> indexA.heldBy(dead).size() == 2);
        long start = System.nanoTime();
        b.getLifecycleService().terminate(); // no goodbye: as if killed
        until("b is dropped everywhere", () -> indexA.heldBy(dead).isEmpty() && left.contains(dead));
        System.out.printf("a dead member was dropped from the index after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        assertThat(indexA.heldBy(indexA.node())).hasSize(2);
    }

    @Test
    void registrationFollowsTheStore() {
        SnapshotStore store = SnapshotStore.open(dir.resolve("a"));
        String kept = store.save("kept", config(), memory(1));
        String dropped = store.save("dropped", config(), memory(2));
        StoreRegistration registration = new StoreRegistration(store, indexA, "http://a");
        assertThat(registration.reconcile(true)).isEqualTo(2);
        assertThat(indexA.heldBy(indexA.node())).containsExactlyInAnyOrder(kept, dropped);
        assertThat(indexA.holders(kept)).singleElement().satisfies(h -> {
            assertThat(h.url()).isEqualTo("http://a");
            assertThat(h.path()).isEqualTo(store.blobFile(store.inspect(kept).memoryDigest()).toString());
            assertThat(h.verified()).isFalse();
        });
        assertThat(indexA.tags()).containsOnlyKeys("kept", "dropped");

        store.delete("dropped");
        store.gc();
        registration.untagged("dropped");
        assertThat(indexA.heldBy(indexA.node())).containsExactly(kept);
        assertThat(indexA.tags()).containsOnlyKeys("kept");

        registration.tagged("kept", kept);
        assertThat(indexA.holders(kept)).singleElement().extracting(Holder::verified).isEqualTo(true);
    }

    @Test
    void aStoreThatIsGoneHoldsNothing() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir.resolve("a"));
        String digest = store.save("v1", config(), memory(1));
        StoreRegistration registration = new StoreRegistration(store, indexA, "http://a");
        assertThat(registration.reconcile(true)).isEqualTo(1);
        until("b sees a holding it", () -> indexB.holders(digest).size() == 1);

        try (Stream<Path> files = Files.walk(store.directory())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }

        assertThat(registration.reconcile(false)).isZero();
        until("b sees a hold nothing", () -> indexB.holders(digest).isEmpty());
        assertThat(indexA.tags()).as("the cluster's tags stay: other nodes may hold them").containsOnlyKeys("v1");
    }

    @Test
    void aLiteMemberLeavingIsHeardAndOneThatHeldSnapshotsIsSweptToo() {
        List<String> left = new CopyOnWriteArrayList<>();
        indexA.onNodeLeft(left::add);
        HazelcastInstance client = Hazelcast.newHazelcastInstance(loopback().setLiteMember(true));
        HazelcastInstance liteHolder = Hazelcast.newHazelcastInstance(loopback().setLiteMember(true));
        String clientId = client.getCluster().getLocalMember().getUuid().toString();
        String holderId = liteHolder.getCluster().getLocalMember().getUuid().toString();
        String digest = "sha256:" + "3".repeat(64);
        indexA.addHolder(digest, holder(holderId, "/lite"));
        until("a sees four members", () -> indexA.members().size() == 4);
        client.getLifecycleService().terminate();
        liteHolder.getLifecycleService().terminate();
        until("both departures heard, the holding one swept", () -> left.containsAll(List.of(clientId, holderId))
                && indexA.heldBy(holderId).isEmpty());
    }

    private static Holder holder(String node, String path) {
        return new Holder(node, "http://" + node, "/store", path, 4096, true);
    }

    private Config loopback() {
        Config c = new Config().setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.getMetricsConfig().setEnabled(false);
        c.setProperty("hazelcast.tcp.join.port.try.count", "20");
        c.getNetworkConfig().setPort(firstPort).setPortAutoIncrement(true);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1"); // ports firstPort and up
        return c;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void until(String what, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(giveUp);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
