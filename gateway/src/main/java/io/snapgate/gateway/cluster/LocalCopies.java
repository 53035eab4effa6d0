package io.snapgate.gateway.cluster;

import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.index.Holder;
import io.snapgate.store.index.SnapshotIndex;
import io.snapgate.store.index.StoreRegistration;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a snapshot runnable on this node: a holder's file mapped in place when readable here (and sharing is
 * on), else a copy fetched from a holder and registered (unless the node keeps no copies). One attempt per
 * snapshot at a time, however many calls ask; after a failed attempt the next waits {@value #RETRY_AFTER_MS} ms.
 */
final class LocalCopies {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCopies.class);
    private static final long RETRY_AFTER_MS = 2_000;

    private final Vertx vertx;
    private final SnapshotCatalog catalog;
    private final SnapshotIndex index;
    private final SharedFiles shared;
    private final BlobFetcher fetcher;
    private final boolean shareFiles;
    private final boolean keepCopies;
    private final Map<String, Future<Void>> attempts = new ConcurrentHashMap<>();
    private final Map<String, Long> failedAt = new ConcurrentHashMap<>();
    private volatile StoreRegistration registration;

    LocalCopies(Vertx vertx, SnapshotCatalog catalog, SnapshotIndex index, BlobFetcher fetcher, boolean shareFiles,
            boolean keepCopies) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.index = index;
        this.shared = new SharedFiles(catalog);
        this.fetcher = fetcher;
        this.shareFiles = shareFiles;
        this.keepCopies = keepCopies;
    }

    /** Where fetched copies get registered; set once the node has its URL. */
    void registerWith(StoreRegistration r) {
        registration = r;
    }

    /** Completes once the snapshot runs here; starts an attempt unless one runs or one just failed. */
    Future<Void> ensure(SnapshotInfo info) {
        String digest = info.manifestDigest();
        if (catalog.holds(digest)) {
            return Future.succeededFuture();
        }
        if (!shareFiles && !keepCopies) {
            return Future.failedFuture(new IllegalStateException("this node neither maps other nodes' files nor keeps"
                    + " copies (clusterShareFiles and clusterCopies are false)"));
        }
        Long failed = failedAt.get(digest);
        if (failed != null && System.nanoTime() - failed < RETRY_AFTER_MS * 1_000_000) {
            return Future.failedFuture(new IllegalStateException("the last attempt to copy " + digest + " failed"));
        }
        Promise<Void> started = Promise.promise();
        Future<Void> running = attempts.putIfAbsent(digest, started.future());
        if (running != null) {
            return running;
        }
        vertx.<Void>executeBlocking(() -> {
            copy(info);
            return null;
        }, false).onComplete(ar -> {
            attempts.remove(digest, started.future());
            if (ar.failed()) {
                failedAt.put(digest, System.nanoTime());
                LOG.warn("no local copy of {}: {}", digest, ar.cause().getMessage());
            } else {
                failedAt.remove(digest);
            }
            started.handle(ar);
        });
        return started.future();
    }

    private void copy(SnapshotInfo info) {
        String digest = info.manifestDigest();
        List<Holder> holders = index.holders(digest).stream().filter(h -> !h.node().equals(index.node())).toList();
        if (shareFiles) {
            for (Holder h : holders) {
                if (SharedFiles.readable(h)) {
                    shared.adopt(digest, h);
                    return;
                }
            }
        }
        if (!keepCopies) {
            throw new IllegalStateException("no holder's file is readable here and this node keeps no copies"
                    + " (clusterCopies false)");
        }
        String tag = index.tags().entrySet().stream().filter(e -> e.getValue().manifestDigest().equals(digest))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new IllegalStateException("no cluster tag names "
                        + digest + ", so no copy is kept here"));
        StoreRegistration r = registration;
        if (r == null || holders.isEmpty()) {
            throw new IllegalStateException("no other node holds " + digest);
        }
        RuntimeException last = null;
        for (Holder h : holders) {
            try {
                fetcher.fetch(catalog.store(), h, info, tag);
                r.tagged(tag, digest);
                return;
            } catch (RuntimeException e) {
                LOG.warn("fetch of {} from node {} failed: {}", digest, h.node(), e.getMessage());
                last = e;
            }
        }
        throw last;
    }
}
