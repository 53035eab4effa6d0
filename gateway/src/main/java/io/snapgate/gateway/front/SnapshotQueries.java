package io.snapgate.gateway.front;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.cluster.ClusterNode;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.dispatch.ValidText;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotJson;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The snapshot listing and description as every front offers them (the REST routes, the event bus). In a cluster
 * both read the cluster's index (a description then names the holders), else this node's store.
 */
public final class SnapshotQueries {
    private static final Set<String> LIST = Set.of(Messages.OP);
    private static final Set<String> DESCRIBE = Set.of(Messages.OP, "ref");

    private final Vertx vertx;
    private final SnapshotCatalog catalog;
    private final Optional<ClusterNode> cluster;

    public SnapshotQueries(Vertx vertx, SnapshotCatalog catalog, Optional<ClusterNode> cluster) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.cluster = cluster;
    }

    /**
     * {@code {"snapshots": [...]}}: every snapshot a tag names, in a cluster from its index (also those this node
     * holds no copy of), else from the store's manifests and configs. Loads nothing: a listing must not map and
     * hold every snapshot.
     */
    public Future<JsonObject> list() {
        if (cluster.isPresent()) {
            return Future.succeededFuture(list(cluster.get().tags()));
        }
        return vertx.executeBlocking(() -> {
            SnapshotStore store = catalog.store();
            Map<String, SnapshotInfo> tagged = new LinkedHashMap<>();
            store.tags().forEach(tag -> tagged.put(tag, store.inspect(tag)));
            return list(tagged);
        }, false);
    }

    private static JsonObject list(Map<String, SnapshotInfo> tagged) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        Map<String, SnapshotInfo> infos = new LinkedHashMap<>();
        tagged.forEach((tag, info) -> {
            tags.computeIfAbsent(info.manifestDigest(), d -> new ArrayList<>()).add(tag);
            infos.put(info.manifestDigest(), info);
        });
        JsonArray snapshots = new JsonArray();
        infos.forEach((digest, info) -> snapshots.add(SnapshotJson.summary(info, tags.get(digest))));
        return new JsonObject().put("snapshots", snapshots);
    }

    /** One snapshot by tag or digest, with its holders in a cluster. */
    public Future<JsonObject> describe(String ref) {
        Optional<SnapshotInfo> known = cluster.flatMap(c -> c.resolve(ref));
        if (known.isPresent()) {
            ClusterNode node = cluster.get();
            String digest = known.get().manifestDigest();
            List<String> tags = node.tags().entrySet().stream()
                    .filter(e -> e.getValue().manifestDigest().equals(digest)).map(Map.Entry::getKey).toList();
            return Future.succeededFuture(SnapshotJson.info(known.get(), tags).put("holders", node.holders(digest)));
        }
        return vertx.executeBlocking(() -> {
            SnapshotEntry entry = catalog.load(ref);
            return SnapshotJson.info(entry, catalog.tagsOf(entry.digest()));
        }, false);
    }

    /** A query as a message ({@link Messages#list}, {@link Messages#describe}). */
    public Future<JsonObject> apply(JsonObject query) {
        ValidText.require(query);
        String kind = StrictJson.string(query, Messages.OP);
        switch (kind) {
            case "list" -> {
                StrictJson.onlyFields(query, LIST);
                return list();
            }
            case "describe" -> {
                StrictJson.onlyFields(query, DESCRIBE);
                return describe(StrictJson.string(query, "ref"));
            }
            default -> throw new GatewayException(ErrorCode.BAD_REQUEST, "unknown snapshot query \"" + kind
                    + "\"; expected list or describe");
        }
    }
}
