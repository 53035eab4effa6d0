package io.snapgate.gateway.snapshot;

import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The snapshots this node has loaded, by manifest digest, each loaded once and shared by every worker; and
 * which digest each tag names. A lookup that hits both caches blocks on nothing and costs at most one stat of the
 * store's index per {@link #INDEX_CHECK}; anything else loads from the store on a worker-pool thread.
 * Thread-safe.
 */
public final class SnapshotCatalog implements AutoCloseable {
    /**
     * How long a stat of the index vouches for the tags resolved under it. Tags another process writes (a
     * {@code snapgate build} into the same store, a node sharing the directory) show within this; this node's own
     * writes at once, as the store counts them ({@link SnapshotStore#writesEnded}). A stat per call cost the
     * event loop a system call each (BENCHMARKS.md, issue 13).
     */
    static final Duration INDEX_CHECK = Duration.ofMillis(1);

    private final Vertx vertx;
    private final SnapshotStore store;
    private final Path index;
    private final long indexCheckNanos;
    private final Map<String, SnapshotEntry> byDigest = new ConcurrentHashMap<>();
    private volatile Resolved resolved = new Resolved(new Object(), -1, 0, new ConcurrentHashMap<>());

    /**
     * References resolved while the index had {@code stamp}, which a stat confirmed at {@code checkedAt} with
     * {@code writes} of the store's own writes ended.
     */
    private record Resolved(Object stamp, long writes, long checkedAt, Map<String, String> digests) {
    }

    public SnapshotCatalog(Vertx vertx, SnapshotStore store) {
        this(vertx, store, INDEX_CHECK);
    }

    /** {@code indexCheck}: how long a stat of the index vouches for the tags ({@link #INDEX_CHECK}). */
    SnapshotCatalog(Vertx vertx, SnapshotStore store, Duration indexCheck) {
        this.vertx = vertx;
        this.store = store;
        this.index = store.directory().resolve("index.json");
        this.indexCheckNanos = indexCheck.toNanos();
    }

    public SnapshotStore store() {
        return store;
    }

    /** The snapshot a tag or digest names: at once when cached, else loaded off the event loop. */
    public Future<SnapshotEntry> lookup(String ref) {
        SnapshotEntry entry = cached(ref);
        return entry != null ? Future.succeededFuture(entry) : vertx.executeBlocking(() -> load(ref), false);
    }

    private SnapshotEntry cached(String ref) {
        SnapshotEntry byContent = byDigest.get(ref); // a digest names the same snapshot whatever the tags do
        if (byContent != null) {
            return byContent;
        }
        Resolved r = current();
        String digest = r == null ? null : r.digests().get(ref);
        return digest == null ? null : byDigest.get(digest);
    }

    /** The resolutions that still hold; null when the index changed (and resolving starts anew). */
    private Resolved current() {
        Resolved r = resolved;
        long writes = store.writesEnded();
        long now = System.nanoTime();
        if (r.writes() == writes && now - r.checkedAt() < indexCheckNanos) {
            return r;
        }
        Object stamp = FileStamp.of(index);
        if (FileStamp.problem(stamp).isPresent()) {
            // The store went away: the tags resolved before still hold, and their loaded snapshots still serve;
            // anything else fails STORE_UNAVAILABLE. Not vouched for: the next lookup looks again
            return r;
        }
        if (r.writes() != writes || !r.stamp().equals(stamp)) {
            // a write of this node starts anew whatever the stat says: a replaced index can look the same (a reused
            // inode, the same size, a time within the clock's tick)
            resolved = new Resolved(stamp, writes, now, new ConcurrentHashMap<>());
            return null;
        }
        resolved = new Resolved(stamp, writes, now, r.digests());
        return r;
    }

    /** Blocking: resolves {@code ref} in the store and loads its snapshot unless already loaded. */
    public SnapshotEntry load(String ref) {
        Object stamp = FileStamp.of(index);
        String digest = store.resolve(ref);
        SnapshotEntry entry = byDigest.computeIfAbsent(digest, d -> SnapshotEntry.of(d, Snapshot.load(store, d)));
        Resolved r = resolved;
        if (r.stamp().equals(stamp)) {
            r.digests().put(ref, digest);
        }
        return entry;
    }

    /**
     * Blocking: resolves {@code tag} as {@link #lookup} would, now: after a deploy wrote it into the index, so that
     * its first call finds it resolved instead of reading the index again.
     */
    public SnapshotEntry resolveNow(String tag) {
        SnapshotEntry entry = cached(tag); // renews the resolutions when the index changed
        return entry != null ? entry : load(tag);
    }

    /** Why the store cannot be read now (its directory deleted, its file system gone), or empty while it can. */
    public Optional<String> unavailable() {
        return FileStamp.problem(FileStamp.of(index));
    }

    /** Whether this node can run {@code digest} without a copy: loaded, or its manifest is in the store. */
    public boolean holds(String digest) {
        return byDigest.containsKey(digest) || Files.exists(store.blobFile(digest));
    }

    /**
     * Blocking: loads {@code digest} from another store directory (another node's, on a filesystem this node
     * shares), read-only, mapping its memory blob in place; with {@code verify}, hashes the blob first.
     */
    public SnapshotEntry adopt(String digest, SnapshotStore foreign, boolean verify) {
        return byDigest.computeIfAbsent(digest, d -> SnapshotEntry.of(d,
                verify ? Snapshot.loadChecked(foreign, d) : Snapshot.load(foreign, d)));
    }

    /** Blocking: the tags that name {@code digest} now. */
    public List<String> tagsOf(String digest) {
        List<String> tags = new ArrayList<>();
        for (String tag : store.tags()) {
            if (store.resolve(tag).equals(digest)) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /**
     * Blocking: removes a tag, and drops the snapshots no tag names any more from the cache (sandboxes that map
     * them keep their own references; garbage collection keeps blobs that are mapped).
     */
    public boolean delete(String tag) {
        boolean deleted = store.delete(tag);
        List<String> live = store.tags().stream().map(store::resolve).toList();
        byDigest.keySet().retainAll(live);
        return deleted;
    }

    /** Unmaps every cached snapshot. */
    @Override
    public void close() {
        byDigest.values().forEach(e -> e.snapshot().close());
        byDigest.clear();
    }
}
