package io.snapgate.gateway.http;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.cluster.ClusterNode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.snapshot.BuiltGuest;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotJson;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.oci.Tag;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/snapshots}: build one from an uploaded ELF (guest init on a worker, the save off the event loop),
 * list them, describe one, delete a tag. In a cluster, listing and describing read the cluster's index (a
 * description then names the holders), and saves and deletes go into it.
 */
final class SnapshotRoutes {
    private final Vertx vertx;
    private final Api api;

    SnapshotRoutes(Vertx vertx, Api api) {
        this.vertx = vertx;
        this.api = api;
    }

    void mount(Router router) {
        router.post("/v1/snapshots").handler(Responses.json(201, this::build));
        router.get("/v1/snapshots").handler(Responses.json(200, ctx -> list()));
        router.get("/v1/snapshots/:ref").handler(Responses.json(200, ctx -> describe(ctx.pathParam("ref"))));
        router.delete("/v1/snapshots/:tag").handler(Responses.json(204, ctx -> delete(ctx.pathParam("tag"))));
    }

    private Future<JsonObject> build(RoutingContext ctx) {
        String tag = requiredTag(ctx, "POST /v1/snapshots?tag=NAME");
        byte[] elf = RawBody.of(ctx).getBytes();
        if (elf.length == 0) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "the body must be a guest ELF");
        }
        long deadline = System.nanoTime() + api.config().maxDeadline().toNanos();
        return api.pool().submit(null, state -> api.builder().build(elf), deadline)
                .compose(guest -> vertx.executeBlocking(() -> save(guest, tag), false))
                .onSuccess(entry -> ctx.response().putHeader("Location", "/v1/snapshots/" + tag))
                .map(entry -> SnapshotJson.summary(entry, List.of(tag)));
    }

    /**
     * The {@code tag} query parameter of a route that saves a snapshot, checked before any work: a missing one is
     * refused showing {@code usage}, a bad one with the tag rule.
     */
    static String requiredTag(RoutingContext ctx, String usage) {
        String tag = ctx.queryParams().get("tag");
        if (tag == null) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "name the snapshot: " + usage);
        }
        return new Tag(tag).value();
    }

    private SnapshotEntry save(BuiltGuest guest, String tag) {
        try (guest) {
            return api.publisher().publish(guest.snapshot(), tag);
        }
    }

    /**
     * Every snapshot a tag names: in a cluster from its index (also those this node holds no copy of), else from
     * the store's manifests and configs. Loads nothing: a listing must not map and hold every snapshot.
     */
    private Future<JsonObject> list() {
        if (api.cluster().isPresent()) {
            return Future.succeededFuture(list(api.cluster().get().tags()));
        }
        return vertx.executeBlocking(() -> {
            SnapshotStore store = api.catalog().store();
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

    private Future<JsonObject> describe(String ref) {
        Optional<SnapshotInfo> known = api.cluster().flatMap(c -> c.resolve(ref));
        if (known.isPresent()) {
            ClusterNode cluster = api.cluster().get();
            String digest = known.get().manifestDigest();
            List<String> tags = cluster.tags().entrySet().stream()
                    .filter(e -> e.getValue().manifestDigest().equals(digest)).map(Map.Entry::getKey).toList();
            return Future.succeededFuture(SnapshotJson.info(known.get(), tags).put("holders", cluster.holders(digest)));
        }
        return vertx.executeBlocking(() -> {
            SnapshotEntry entry = api.catalog().load(ref);
            return SnapshotJson.info(entry, api.catalog().tagsOf(entry.digest()));
        }, false);
    }

    private Future<Void> delete(String tag) {
        new Tag(tag); // a digest or a bad name is a bad request, not an unknown tag
        return vertx.executeBlocking(() -> {
            boolean inCluster = api.cluster().flatMap(c -> c.resolve(tag)).isPresent();
            if (!api.catalog().delete(tag) && !inCluster) {
                throw new GatewayException(ErrorCode.UNKNOWN_SNAPSHOT, "no snapshot is tagged " + tag);
            }
            api.cluster().ifPresent(c -> c.untagged(tag));
            return null;
        }, false);
    }
}
