package io.snapgate.gateway.pullonmiss;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.SnapgateException;
import io.snapgate.gateway.config.PullOnMissSettings;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.registry.RegistryCredentials;
import io.snapgate.gateway.registry.RegistryPull;
import io.snapgate.gateway.registry.RegistryRef;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotPublisher;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotInfo;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a tag this node lacks by pulling it from the registry {@code pullOnMiss} names (in a cluster the router
 * asked the cluster's index first, and sends here only tags no node has). One pull per tag at a time, however many
 * calls ask; it is verified as every pull is ({@link RegistryPull}: nothing registered unless every blob checks),
 * then loaded, warmed and announced like any received snapshot ({@link SnapshotPublisher#publish}; one the cluster
 * cannot be told of is served here all the same). Calls wait for it within their own deadline; past it they are
 * answered 503 UNAVAILABLE with a Retry-After while the pull goes on. A failed pull's error answers every call for
 * that tag for {@code retryAfterFailure} without asking the registry again, so a client retrying in a loop cannot
 * make the node hammer the registry. At most {@value #MAX_PULLS} pulls run at once: they hold threads of Vert.x's
 * worker pool, which the node's other blocking work shares, until the snapshot is stored (its warm-up holds neither
 * a thread nor a place among them). Without the setting a miss is the store's 404, as ever.
 */
public final class PullOnMiss {
    static final String STARTED = "snapgate.pulls.on.miss.started";
    static final String PULLS = "snapgate.pulls.on.miss";
    static final String BYTES = "snapgate.pulls.on.miss.bytes";
    static final String WAITING = "snapgate.pulls.on.miss.waiting";
    static final String UNANNOUNCED = "snapgate.pulls.on.miss.unannounced";
    static final int MAX_PULLS = 4;
    private static final int RETRY_AFTER_S = 1;
    private static final Logger LOG = LoggerFactory.getLogger(PullOnMiss.class);

    private final Vertx vertx;
    private final SnapshotCatalog catalog;
    private final SnapshotPublisher publisher;
    private final Optional<PullOnMissSettings> settings;
    private final RegistryPull pull;
    private final Duration sessionWait;
    private final GatewayMetrics metrics;
    /** Guarded by {@code this}: the pulls under way and the recent failures, by tag. */
    private final Map<String, Pull> running = new HashMap<>();
    private final Map<String, Failed> failed = new HashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /** A pull of {@code tag} under way since {@code startedNanos}, or one answered at once (a remembered failure). */
    private record Pull(String tag, RegistryRef from, long startedNanos, Future<SnapshotEntry> result) {
    }

    private record Failed(GatewayException error, long atNanos, long untilNanos) {
    }

    /** What a pull's blocking part leaves: the snapshot loaded, and whether it was pulled (then it is published). */
    private record Stored(SnapshotEntry entry, boolean pulled) {
    }

    /**
     * {@code settings}: empty, the node never pulls; {@code sessionWait}: how long a session's open waits for a pull;
     * {@code pulled}: told the tag after each pull that succeeded (the hook that warms sandboxes as a deploy does).
     */
    public PullOnMiss(Vertx vertx, SnapshotCatalog catalog, SnapshotPublisher publisher,
            Optional<PullOnMissSettings> settings, Optional<Path> registryAuth, Duration sessionWait,
            GatewayMetrics metrics) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.publisher = publisher;
        this.settings = settings;
        this.pull = new RegistryPull(new RegistryCredentials(registryAuth));
        this.sessionWait = sessionWait;
        this.metrics = metrics;
        metrics.gauge(WAITING, "calls waiting for a pull on a miss", waiting::get);
    }

    /**
     * The snapshot {@code ref} names, as {@link SnapshotCatalog#lookup}; a tag the store lacks is first pulled, the
     * call waiting until {@code deadline} (a {@link System#nanoTime()} value) at most.
     */
    public Future<SnapshotEntry> lookup(String ref, long deadline) {
        Future<SnapshotEntry> found = catalog.lookup(ref);
        if (settings.isEmpty() || found.succeeded()) {
            return found;
        }
        return found.recover(t -> missing(t) ? within(start(ref), deadline) : Future.failedFuture(t));
    }

    /** Completes once this node has {@code ref}, pulled first on a miss (waiting {@code sessionWait} at most). */
    public Future<Void> ready(String ref) {
        return settings.isEmpty() ? Future.succeededFuture()
                : lookup(ref, System.nanoTime() + sessionWait.toNanos()).mapEmpty();
    }

    /** A tag the store does not name (a digest it lacks, or another tool's image under a tag, is no miss). */
    private static boolean missing(Throwable t) {
        return t instanceof SnapshotFormatException e && e.problem() == Problem.UNKNOWN_TAG;
    }

    /** The pull of {@code tag} under way, or a new one, or at once the error of one that failed a moment ago. */
    private synchronized Pull start(String tag) {
        Pull under = running.get(tag);
        if (under != null) {
            return under;
        }
        long now = System.nanoTime();
        Failed f = failed.get(tag);
        if (f != null && now - f.untilNanos() < 0) {
            return answered(tag, remembered(f, now));
        }
        failed.remove(tag);
        RegistryRef from;
        try {
            from = settings.orElseThrow().reference(tag);
        } catch (SnapgateException e) {
            return answered(tag, new GatewayException(ErrorCode.UNKNOWN_SNAPSHOT, "no snapshot \"" + tag
                    + "\" here, and pullOnMiss makes no registry reference of it: " + e.getMessage()));
        }
        if (running.size() >= MAX_PULLS) {
            return answered(tag, new GatewayException(ErrorCode.UNAVAILABLE, "no snapshot \"" + tag + "\" here, and"
                    + " the node is pulling " + MAX_PULLS + " others from the registry, its most at once; retry",
                    new JsonObject(), RETRY_AFTER_S));
        }
        metrics.add(STARTED, "pulls on a miss started", 1);
        LOG.info("pulling {} from {}: no snapshot of that tag here", tag, from);
        Future<Stored> stored = vertx.<Stored>executeBlocking(() -> fetch(tag, from), false)
                .recover(t -> Future.failedFuture(Errors.answer(t)));
        Promise<SnapshotEntry> result = Promise.promise();
        Pull p = new Pull(tag, from, now, result.future());
        running.put(tag, p);
        stored.onComplete(ar -> finished(p, ar.map(Stored::entry))); // before any caller's: the next sees it
        stored.compose(got -> got.pulled() ? published(p, got.entry()) : Future.succeededFuture(got.entry()))
                .recover(t -> Future.failedFuture(Errors.answer(t)))
                .onComplete(result);
        return p;
    }

    /**
     * The pulled snapshot warmed and announced ({@link SnapshotPublisher#publish}). One the cluster could not be told
     * of is served all the same, as this node has it: the failure is logged and counted, and other nodes that miss
     * the tag pull it themselves.
     */
    private Future<SnapshotEntry> published(Pull p, SnapshotEntry entry) {
        return publisher.publish(p.tag(), entry).recover(t -> {
            metrics.add(UNANNOUNCED, "pulls on a miss served here that the cluster could not be told of", 1);
            LOG.warn("pulled {} ({}) from {} and serving it here, but the cluster could not be told of it: {}",
                    p.tag(), entry.digest(), p.from(), t.toString());
            return Future.succeededFuture(entry);
        });
    }

    private static Pull answered(String tag, GatewayException error) {
        return new Pull(tag, null, 0, Future.failedFuture(error));
    }

    /** Blocking: the tag pulled into the store and loaded; a tag that got here meanwhile is not pulled. */
    private Stored fetch(String tag, RegistryRef from) {
        try {
            return new Stored(catalog.load(tag), false); // an upload, a peer's copy or an earlier pull stored it
        } catch (SnapshotFormatException e) {
            if (!missing(e)) {
                throw e;
            }
        }
        SnapshotInfo info = pull.pullIfPresent(catalog.store(), from, tag,
                        n -> metrics.add(BYTES, "bytes of memory blobs pulled on a miss", n))
                .orElseThrow(() -> new GatewayException(ErrorCode.UNKNOWN_SNAPSHOT, "no snapshot \"" + tag
                        + "\" here, and registry " + from.registry() + " has none either (" + from
                        + " answered 404)"));
        return new Stored(publisher.load(tag, info.manifestDigest()), true);
    }

    private void finished(Pull p, AsyncResult<SnapshotEntry> ar) {
        long now = System.nanoTime();
        GatewayException e = ar.failed() ? (GatewayException) ar.cause() : null;
        synchronized (this) {
            running.remove(p.tag());
            if (e != null) {
                failed.values().removeIf(old -> now - old.untilNanos() >= 0);
                failed.put(p.tag(), new Failed(e, now, now + settings.orElseThrow().retryAfterFailure().toNanos()));
            }
        }
        metrics.count(PULLS, "pulls on a miss, by outcome",
                e == null ? "ok" : e.code().name().toLowerCase(Locale.ROOT));
        if (e == null) {
            return;
        }
        if (e.code() == ErrorCode.UNKNOWN_SNAPSHOT) {
            LOG.info("{}", e.getMessage()); // a tag nobody has: the client's mistake, not the node's trouble
        } else {
            LOG.warn("pull of {} from {} failed after {} ms: {}", p.tag(), p.from(),
                    TimeUnit.NANOSECONDS.toMillis(now - p.startedNanos()), e.getMessage());
        }
    }

    /** A failure remembered: its error, saying when it happened and when the registry is asked again. */
    private static GatewayException remembered(Failed f, long now) {
        long left = f.untilNanos() - now;
        int retryAfter = f.error().code().status() >= 500 ? (int) TimeUnit.NANOSECONDS.toSeconds(left) + 1 : 0;
        return new GatewayException(f.error().code(), f.error().getMessage() + "; remembered from a pull "
                + TimeUnit.NANOSECONDS.toMillis(now - f.atNanos()) + " ms ago, the registry is asked again in "
                + TimeUnit.NANOSECONDS.toMillis(left) + " ms", f.error().details(), retryAfter);
    }

    /** The pull's outcome if it comes by {@code deadline}; else 503 with a Retry-After while the pull goes on. */
    private Future<SnapshotEntry> within(Pull p, long deadline) {
        if (p.result().isComplete()) {
            return p.result();
        }
        Promise<SnapshotEntry> answer = Promise.promise();
        waiting.incrementAndGet();
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        long timer = vertx.setTimer(wait, id -> answer.tryFail(new GatewayException(ErrorCode.UNAVAILABLE,
                "no snapshot \"" + p.tag() + "\" here yet: it is being pulled from " + p.from() + " (for "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - p.startedNanos())
                        + " ms), and the call's deadline passed while it waited; retry", new JsonObject(),
                RETRY_AFTER_S)));
        p.result().onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                answer.tryComplete(ar.result());
            } else {
                answer.tryFail(ar.cause());
            }
        });
        return answer.future().andThen(ar -> waiting.decrementAndGet());
    }
}
