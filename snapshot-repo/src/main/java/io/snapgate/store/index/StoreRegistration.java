package io.snapgate.store.index;

import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one node's entries in the index true to its store: it holds every tagged snapshot of its store and no
 * other; when it joins, tags its store knows but the cluster does not are published; a tag removed from the
 * cluster is removed from its store. Saves and deletes through this node register at once; {@link #reconcile}
 * catches everything else (a gc, another process writing the store, a restart). Blocking: call it off the
 * event loop.
 */
public final class StoreRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRegistration.class);

    private final SnapshotStore store;
    private final SnapshotIndex index;
    private final String url;

    /** {@code url}: this node's HTTP base URL, where others fetch its blobs. */
    public StoreRegistration(SnapshotStore store, SnapshotIndex index, String url) {
        this.store = store;
        this.index = index;
        this.url = url;
    }

    /** After a save or a receive of {@code tag}: the cluster's tag names it, and this node holds it, verified. */
    public SnapshotInfo tagged(String tag, String digest) {
        SnapshotInfo info = store.inspect(digest);
        index.addHolder(digest, holder(info, true));
        index.putTag(tag, info);
        return info;
    }

    /** After a delete of {@code tag} through this node: the cluster forgets it too. */
    public void untagged(String tag) {
        index.removeTag(tag);
        reconcile(false);
    }

    /**
     * After another node removed {@code tag} from the cluster: the store's own tag goes too when it names the
     * same snapshot (its blobs stay until a gc), so that no node publishes the tag again.
     */
    public void removedElsewhere(String tag, SnapshotInfo was) {
        if (store.tags().contains(tag) && store.resolve(tag).equals(was.manifestDigest()) && store.delete(tag)) {
            LOG.info("tag {} removed from the cluster: removed here too", tag);
            reconcile(false);
        }
    }

    /**
     * Registers what the store holds and drops this node from what it no longer holds; with {@code publishTags}
     * (when the node joins), also puts the store's tags the cluster does not know. Returns the count held. A store
     * that is gone holds nothing: other nodes then stop routing its snapshots here or fetching them from here.
     */
    public int reconcile(boolean publishTags) {
        Map<String, SnapshotInfo> held = new HashMap<>();
        for (String tag : tagsUnlessGone()) {
            SnapshotInfo info = store.inspect(tag);
            held.put(info.manifestDigest(), info);
            if (publishTags) {
                index.putTagIfAbsent(tag, info);
            }
        }
        held.forEach((digest, info) -> {
            boolean known = index.holders(digest).stream().anyMatch(h -> h.node().equals(index.node())
                    && h.path().equals(path(info)));
            if (!known) {
                index.addHolder(digest, holder(info, false));
                LOG.info("registered as holder of {} ({})", digest, path(info));
            }
        });
        for (String digest : index.heldBy(index.node())) {
            if (!held.containsKey(digest)) {
                index.removeHolder(digest, index.node());
                LOG.info("no longer holds {}; unregistered", digest);
            }
        }
        return held.size();
    }

    private List<String> tagsUnlessGone() {
        try {
            return store.tags();
        } catch (SnapshotFormatException e) {
            if (!e.problem().storeGone()) {
                throw e;
            }
            LOG.warn("{}: this node holds nothing until the store is back", e.getMessage());
            return List.of();
        }
    }

    private Holder holder(SnapshotInfo info, boolean verified) {
        return new Holder(index.node(), url, store.directory().toString(), path(info), info.memorySize(), verified);
    }

    private String path(SnapshotInfo info) {
        return store.blobFile(info.memoryDigest()).toString();
    }
}
