package io.snapgate.gateway.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.SnapshotStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish waits for the snapshot's warm-up before it announces the tag and answers, without holding a thread of
 * Vert.x's worker pool meanwhile (a deploy or a pull once held one, up to 10 s).
 */
class SnapshotPublisherTest {
    private static final String DIGEST = "sha256:" + "0".repeat(64);

    @TempDir
    Path store;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aPublishWaitsForTheWarmUpWithoutHoldingAWorkerThread() throws Exception {
        Promise<Void> warming = Promise.promise();
        List<String> announced = new CopyOnWriteArrayList<>();
        SnapshotPublisher publisher = new SnapshotPublisher(vertx, new SnapshotCatalog(vertx,
                SnapshotStore.open(store)), (tag, digest) -> announced.add(tag + "=" + digest),
                entry -> warming.future());
        SnapshotEntry entry = new SnapshotEntry(DIGEST, null, null); // publish reads its digest only

        Future<SnapshotEntry> published = publisher.publish("warm", entry);
        assertThat(vertx.executeBlocking(() -> "free").await(10, TimeUnit.SECONDS))
                .as("the pool's one thread, while the warm-up runs").isEqualTo("free");
        assertThat(published.isComplete()).isFalse();
        assertThat(announced).isEmpty();

        warming.complete();
        assertThat(published.await(10, TimeUnit.SECONDS)).isSameAs(entry);
        assertThat(announced).containsExactly("warm=" + DIGEST);
    }

    @Test
    void aFailedWarmUpStillPublishes() throws Exception {
        List<String> announced = new CopyOnWriteArrayList<>();
        SnapshotPublisher publisher = new SnapshotPublisher(vertx, new SnapshotCatalog(vertx,
                SnapshotStore.open(store)), (tag, digest) -> announced.add(tag),
                entry -> Future.failedFuture(new IllegalStateException("no worker took it")));
        SnapshotEntry entry = new SnapshotEntry(DIGEST, null, null);
        assertThat(publisher.publish("cold", entry).await(10, TimeUnit.SECONDS)).isSameAs(entry);
        assertThat(announced).containsExactly("cold");
    }
}
