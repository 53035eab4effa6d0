package io.snapgate.gateway.snapshot;

import io.snapgate.gateway.error.Errors;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a snapshot callable by tag: saves it into the node's store (durable on return), loads it into the catalog,
 * has the workers warm it (so that its first call pays what later ones do, BENCHMARKS.md "Many snapshots") and, in
 * a cluster, announces the tag. Blocking: run it off the event loop and off the workers.
 */
public final class SnapshotPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
    /** The longest a deploy waits for the warm-up; past it the deploy answers, the warm-up goes on. */
    private static final long WARM_WAIT_SECONDS = 10;

    private final SnapshotCatalog catalog;
    private final BiConsumer<String, String> announce;
    private final Function<SnapshotEntry, Future<Void>> warm;

    /**
     * {@code announce}: told (tag, manifest digest) after each save; does nothing on a node on its own.
     * {@code warm}: prepares a snapshot's first call on this node's workers.
     */
    public SnapshotPublisher(SnapshotCatalog catalog, BiConsumer<String, String> announce,
            Function<SnapshotEntry, Future<Void>> warm) {
        this.catalog = catalog;
        this.announce = announce;
        this.warm = warm;
    }

    public SnapshotEntry publish(Snapshot snapshot, String tag) {
        return received(tag, snapshot.save(catalog.store(), tag));
    }

    /**
     * After {@code tag} was written into the store by other means (a pull): loads it, resolves the tag, warms it,
     * announces it.
     */
    public SnapshotEntry received(String tag, String digest) {
        SnapshotEntry entry = catalog.load(digest);
        catalog.resolveNow(tag);
        warm(tag, entry);
        announce.accept(tag, entry.digest());
        return entry;
    }

    /** A warm-up that fails or is slow costs only the first call: the deploy itself succeeded. */
    private void warm(String tag, SnapshotEntry entry) {
        try {
            warm.apply(entry).toCompletionStage().toCompletableFuture().get(WARM_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("warming up {} ({}): {}", tag, entry.digest(), Errors.describe(e.getCause()));
        } catch (TimeoutException e) {
            LOG.warn("warming up {} ({}) takes longer than {} s; answering the deploy without waiting", tag,
                    entry.digest(), WARM_WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
