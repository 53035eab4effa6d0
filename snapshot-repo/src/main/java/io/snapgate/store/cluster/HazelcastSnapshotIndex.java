package io.snapgate.store.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.index.Holder;
import io.snapgate.store.index.Holders;
import io.snapgate.store.index.SnapshotIndex;
import io.snapgate.store.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SnapshotIndex} in two Hazelcast maps, each mirrored on this node by an entry listener so that reads
 * cost no network. A holders entry is changed under Hazelcast's lock on its key (released by the cluster if
 * its owner dies). Every member removes a departed member's entries; the removal is idempotent. A lite member that
 * holds none (a client application) leaves without that sweep.
 */
public final class HazelcastSnapshotIndex implements SnapshotIndex {
    public static final String TAGS = "snapgate.tags";
    public static final String HOLDERS = "snapgate.holders";

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastSnapshotIndex.class);

    private final HazelcastInstance hazelcast;
    private final String node;
    private final IMap<String, String> tags;
    private final IMap<String, String> holders;
    private final Map<String, SnapshotInfo> tagMirror = new ConcurrentHashMap<>();
    private final Map<String, Holders> holderMirror = new ConcurrentHashMap<>();
    private final List<Consumer<String>> leaveListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, SnapshotInfo>> tagRemovals = new CopyOnWriteArrayList<>();
    private final List<UUID> registrations = new CopyOnWriteArrayList<>();
    private final UUID membership;

    private HazelcastSnapshotIndex(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.node = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.tags = hazelcast.getMap(TAGS);
        this.holders = hazelcast.getMap(HOLDERS);
        registrations.add(tags.addEntryListener(new Mirror<>(tagMirror, HazelcastSnapshotIndex::info,
                (tag, was) -> tagRemovals.forEach(l -> l.accept(tag, was))), true));
        registrations.add(holders.addEntryListener(new Mirror<>(holderMirror, HazelcastSnapshotIndex::decodeHolders,
                (digest, was) -> { }), true));
        tags.forEach((k, v) -> tagMirror.put(k, info(v)));
        holders.forEach((k, v) -> holderMirror.put(k, decodeHolders(v)));
        this.membership = hazelcast.getCluster().addMembershipListener(new Departures());
    }

    /** The index on a running member (such as Vert.x's HazelcastClusterManager's). Blocking. */
    public static HazelcastSnapshotIndex on(HazelcastInstance hazelcast) {
        return new HazelcastSnapshotIndex(hazelcast);
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public Optional<SnapshotInfo> tag(String tag) {
        return Optional.ofNullable(tagMirror.get(tag));
    }

    @Override
    public Map<String, SnapshotInfo> tags() {
        return new TreeMap<>(tagMirror);
    }

    @Override
    public void putTag(String tag, SnapshotInfo info) {
        String json = json(info);
        tags.set(tag, json);
        tagMirror.put(tag, info);
    }

    @Override
    public void putTagIfAbsent(String tag, SnapshotInfo info) {
        String before = tags.putIfAbsent(tag, json(info));
        tagMirror.putIfAbsent(tag, before == null ? info : info(before));
    }

    @Override
    public void removeTag(String tag) {
        tags.remove(tag); // not delete(): the removal event then carries the old value
    }

    @Override
    public List<Holder> holders(String digest) {
        return holderMirror.getOrDefault(digest, Holders.none()).holders();
    }

    @Override
    public void addHolder(String digest, Holder holder) {
        update(digest, h -> h.with(holder));
    }

    @Override
    public void removeHolder(String digest, String member) {
        update(digest, h -> h.without(member));
    }

    @Override
    public Set<String> heldBy(String member) {
        return holderMirror.entrySet().stream()
                .filter(e -> e.getValue().holders().stream().anyMatch(h -> h.node().equals(member)))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Override
    public int removeNode(String member) {
        int removed = 0;
        for (String digest : holders.keySet()) {
            if (update(digest, h -> h.without(member))) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public List<String> members() {
        return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).toList();
    }

    @Override
    public void onNodeLeft(Consumer<String> listener) {
        leaveListeners.add(listener);
    }

    @Override
    public void onTagRemoved(BiConsumer<String, SnapshotInfo> listener) {
        tagRemovals.add(listener);
    }

    @Override
    public void close() {
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.getCluster().removeMembershipListener(membership);
            tags.removeEntryListener(registrations.get(0));
            holders.removeEntryListener(registrations.get(1));
        }
    }

    /** Applies {@code change} to a holders entry under its lock; an empty result removes it. True if it changed. */
    private boolean update(String digest, UnaryOperator<Holders> change) {
        holders.lock(digest);
        try {
            String json = holders.get(digest);
            Holders before = json == null ? Holders.none() : decodeHolders(json);
            Holders after = change.apply(before);
            if (after.equals(before)) {
                return false;
            }
            if (after.hasNone()) {
                holders.delete(digest);
                holderMirror.remove(digest);
            } else {
                holders.set(digest, json(after));
                holderMirror.put(digest, after);
            }
            return true;
        } finally {
            holders.unlock(digest);
        }
    }

    private static String json(Object value) {
        return new String(StrictJson.write(value), StandardCharsets.UTF_8);
    }

    private static SnapshotInfo info(String json) {
        return StrictJson.read(json.getBytes(StandardCharsets.UTF_8), SnapshotInfo.class, "index entry");
    }

    private static Holders decodeHolders(String json) {
        return StrictJson.read(json.getBytes(StandardCharsets.UTF_8), Holders.class, "holders entry");
    }

    /** Keeps a local copy of a map, decoded, from its entry events; tells {@code removed} what a removal took. */
    private record Mirror<V>(Map<String, V> copy, Function<String, V> decode, BiConsumer<String, V> removed)
            implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            copy.put(event.getKey(), decode.apply(event.getValue()));
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            copy.put(event.getKey(), decode.apply(event.getValue()));
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            V mirrored = copy.remove(event.getKey());
            V was = event.getOldValue() != null ? decode.apply(event.getOldValue()) : mirrored;
            if (was != null) {
                removed.accept(event.getKey(), was);
            }
        }
    }

    /** Tells the listeners a member left, then drops it from every entry. Runs on a Hazelcast event thread. */
    private final class Departures implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            LOG.info("cluster member joined: {}{} ({} members)", event.getMember().getUuid(),
                    event.getMember().isLiteMember() ? " (a lite member: a client)" : "", event.getMembers().size());
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            Member gone = event.getMember();
            String id = gone.getUuid().toString();
            leaveListeners.forEach(l -> l.accept(id)); // first: they stop sending to it, with no network round trip
            if (gone.isLiteMember() && heldBy(id).isEmpty()) { // a client held nothing: no sweep, a lock per digest
                LOG.info("cluster member left: {} (a lite member: a client; {} members)", id,
                        event.getMembers().size());
                return;
            }
            long start = System.nanoTime();
            int entries = removeNode(id);
            LOG.info("cluster member left: {}; removed from {} holder entries in {} ms ({} members)", id, entries,
                    (System.nanoTime() - start) / 1_000_000, event.getMembers().size());
        }
    }
}
