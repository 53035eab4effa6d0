package io.snapgate.gateway.snapshot;

import io.snapgate.gateway.error.Errors;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a snapshot callable by tag: saves it into the node's store (durable on return) and loads it into the
 * catalog ({@link #save}, {@link #load}: blocking), then has the workers warm it (so that its first call pays what
 * later ones do, BENCHMARKS.md "Many snapshots") and, in a cluster, announces the tag ({@link #publish}: waits for
 * the warm-up without holding a thread).
 */
public final class SnapshotPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
    /** The longest a deploy waits for the warm-up; past it the deploy answers, the warm-up goes on. */
    private static final long WARM_WAIT_SECONDS = 10;

    private final Vertx vertx;
    private final SnapshotCatalog catalog;
    private final BiConsumer<String, String> announce;
    private final Function<SnapshotEntry, Future<Void>> warm;

    /**
     * {@code announce}: told (tag, manifest digest) after each save, off the event loop; does nothing on a node on
     * its own. {@code warm}: prepares a snapshot's first call on this node's workers.
     */
    public SnapshotPublisher(Vertx vertx, SnapshotCatalog catalog, BiConsumer<String, String> announce,
            Function<SnapshotEntry, Future<Void>> warm) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.announce = announce;
        this.warm = warm;
    }

    /** Blocking: saves {@code snapshot} as {@code tag} and loads it; {@link #publish} it next. */
    public SnapshotEntry save(Snapshot snapshot, String tag) {
        return load(tag, snapshot.save(catalog.store(), tag));
    }

    /** Blocking: after {@code tag} was written into the store by other means (a pull), loads it and resolves it. */
    public SnapshotEntry load(String tag, String digest) {
        SnapshotEntry entry = catalog.load(digest);
        catalog.resolveNow(tag);
        return entry;
    }

    /**
     * Warms the snapshot {@code tag} names now, then announces the tag; completes with {@code entry}. A warm-up that
     * fails or is slow costs only the first call: it is logged, and waited for {@value #WARM_WAIT_SECONDS} s at most.
     */
    public Future<SnapshotEntry> publish(String tag, SnapshotEntry entry) {
        return warm.apply(entry).timeout(WARM_WAIT_SECONDS, TimeUnit.SECONDS)
                .recover(e -> {
                    if (e instanceof TimeoutException) {
                        LOG.warn("warming up {} ({}) takes longer than {} s; answering without waiting", tag,
                                entry.digest(), WARM_WAIT_SECONDS);
                    } else {
                        LOG.warn("warming up {} ({}): {}", tag, entry.digest(), Errors.describe(e));
                    }
                    return Future.succeededFuture();
                })
                .compose(v -> vertx.executeBlocking(() -> {
                    announce.accept(tag, entry.digest());
                    return entry;
                }, false));
    }
}
