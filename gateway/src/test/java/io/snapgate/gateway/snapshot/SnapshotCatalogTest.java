package io.snapgate.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a tag resolves to in the catalog after it changes: at once when this node's store object wrote it, after the
 * index check's interval when another process did (a store object of its own on the same directory).
 */
class SnapshotCatalogTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private SnapshotStore store;
    private SnapshotStore otherProcess;
    private String hello;
    private String testguest;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        store = SnapshotStore.open(dir);
        ExampleGuests.installIfEmpty(store, new SnapshotBuilder(GatewayHostFunctions.all(), VcpuBackends.detect(),
                SandboxConfig.DEFAULT.withCallTimeout(Duration.ofSeconds(30)), GuestLog.SLF4J,
                MemoryBudget.unlimited()));
        otherProcess = SnapshotStore.openExisting(dir);
        hello = store.resolve("hello");
        testguest = store.resolve("testguest");
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void thisNodesWritesShowAtOnceWhateverTheInterval() throws Exception {
        try (SnapshotCatalog catalog = new SnapshotCatalog(vertx, store, Duration.ofHours(1))) {
            tag(store, "t", "hello");
            assertEquals(hello, digestOf(catalog, "t"));
            tag(store, "t", "testguest");
            assertEquals(testguest, digestOf(catalog, "t"));
            store.delete("t");
            ExecutionException gone = assertThrows(ExecutionException.class, () -> digestOf(catalog, "t"));
            assertInstanceOf(SnapshotFormatException.class, gone.getCause());
        }
    }

    @Test
    void anotherProcesssWritesShowOnceTheIndexIsCheckedAgain() throws Exception {
        tag(store, "t", "hello");
        try (SnapshotCatalog everyLookup = new SnapshotCatalog(vertx, store, Duration.ZERO);
                SnapshotCatalog hourly = new SnapshotCatalog(vertx, store, Duration.ofHours(1));
                SnapshotCatalog byDefault = new SnapshotCatalog(vertx, store)) {
            for (SnapshotCatalog catalog : new SnapshotCatalog[] {everyLookup, hourly, byDefault}) {
                assertEquals(hello, digestOf(catalog, "t"));
            }
            tag(otherProcess, "t", "testguest");
            assertEquals(testguest, digestOf(everyLookup, "t"));
            assertEquals(hello, digestOf(hourly, "t"), "an hour's check still vouches for the old index");
            Thread.sleep(SnapshotCatalog.INDEX_CHECK.toMillis() + 5);
            assertEquals(testguest, digestOf(byDefault, "t"));
        }
    }

    /** Points {@code tag} at what {@code ref} names, through {@code writer}; the blobs are in the store already. */
    private static void tag(SnapshotStore writer, String tag, String ref) {
        writer.receive(tag, writer.inspect(ref), (digest, size) -> {
            throw new AssertionError("blob " + digest + " should be in the store already");
        });
    }

    private static String digestOf(SnapshotCatalog catalog, String ref) throws Exception {
        return catalog.lookup(ref).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).digest();
    }
}
