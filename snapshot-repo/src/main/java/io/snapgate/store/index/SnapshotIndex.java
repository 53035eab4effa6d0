package io.snapgate.store.index;

import io.snapgate.store.SnapshotInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The cluster-wide index. Reads answer from this node's copy of the index (no network, fit for an event loop)
 * and may trail a write elsewhere by a moment; writes block until the cluster has them.
 */
public interface SnapshotIndex extends AutoCloseable {
    /** This node's cluster id. */
    String node();

    /** The snapshot a tag names in the cluster. */
    Optional<SnapshotInfo> tag(String tag);

    /** Every tag with its snapshot. */
    Map<String, SnapshotInfo> tags();

    /** Points {@code tag} at {@code info}, replacing what it named. */
    void putTag(String tag, SnapshotInfo info);

    /** Points {@code tag} at {@code info} unless the cluster already knows the tag. */
    void putTagIfAbsent(String tag, SnapshotInfo info);

    void removeTag(String tag);

    /** The holders of a snapshot (by manifest digest). */
    List<Holder> holders(String digest);

    /** Adds or replaces the entry of {@code holder.node()} for a snapshot. */
    void addHolder(String digest, Holder holder);

    void removeHolder(String digest, String node);

    /** The snapshots (manifest digests) {@code node} holds. */
    Set<String> heldBy(String node);

    /** Removes a node from every snapshot's holders; returns how many entries named it. */
    int removeNode(String node);

    /** The ids of the cluster's members now. */
    List<String> members();

    /** Runs {@code listener} with a member's id when it leaves or dies (before its entries are dropped). */
    void onNodeLeft(Consumer<String> listener);

    /** Runs {@code listener} with a tag and what it named when any member removes the tag from the cluster. */
    void onTagRemoved(BiConsumer<String, SnapshotInfo> listener);

    @Override
    void close();
}
