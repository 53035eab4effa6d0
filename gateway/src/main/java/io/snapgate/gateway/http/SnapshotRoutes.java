package io.snapgate.gateway.http;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.auth.BearerAuth;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.registry.RegistryCredentials;
import io.snapgate.gateway.registry.RegistryPull;
import io.snapgate.gateway.registry.RegistryRef;
import io.snapgate.gateway.snapshot.BuiltGuest;
import io.snapgate.gateway.snapshot.GuestSizes;
import io.snapgate.gateway.snapshot.GuestSource;
import io.snapgate.gateway.snapshot.JavaScriptGuest;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotJson;
import io.snapgate.store.oci.Tag;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/snapshots}: build one from an uploaded ELF or JavaScript script (guest init on a worker, the save off
 * the event loop; sizes from the query) or pull one from a registry ({@code from}), list them, describe one, delete
 * a tag. In a cluster, listing and describing read the cluster's index (a description then names the holders), and
 * saves and deletes go into it.
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
        router.get("/v1/snapshots").handler(Responses.json(200, ctx -> api.snapshots().list()));
        router.get("/v1/snapshots/:ref").handler(Responses.json(200,
                ctx -> api.snapshots().describe(ctx.pathParam("ref"))));
        router.delete("/v1/snapshots/:tag").handler(Responses.json(204, ctx -> delete(ctx.pathParam("tag"))));
    }

    private Future<JsonObject> build(RoutingContext ctx) {
        String tag = requiredTag(ctx, "POST /v1/snapshots?tag=NAME");
        byte[] body = RawBody.of(ctx).getBytes();
        String from = ctx.queryParams().get("from");
        if (from != null) {
            return pull(ctx, tag, from, body.length);
        }
        if (body.length == 0) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "the body must be a guest ELF or a JavaScript script"
                    + " (or name a registry reference to pull: ?from=REGISTRY/REPO:REF)");
        }
        GuestSizes sizes = GuestSizes.parse(ctx.queryParams()::get, api.config().maxGuestMemory());
        GuestSource source = GuestSource.of(body, JavaScriptGuest.isJavaScript(ctx.request().getHeader("Content-Type")),
                sizes);
        long deadline = System.nanoTime() + api.config().maxDeadline().toNanos();
        String tenant = Optional.ofNullable(BearerAuth.grant(ctx).tenant()).orElse("builds");
        return api.pool().submit(tenant, null,
                        state -> api.builder().build(source, api.config().maxGuestMemory()), deadline)
                .compose(guest -> vertx.executeBlocking(() -> save(guest, tag), false))
                .compose(entry -> api.publisher().publish(tag, entry))
                .onSuccess(entry -> ctx.response().putHeader("Location", "/v1/snapshots/" + tag))
                .map(entry -> SnapshotJson.summary(entry, List.of(tag)));
    }

    /** {@code POST /v1/snapshots?tag=NAME&from=REGISTRY/REPO:REF}: the snapshot pulled into the store, then served. */
    private Future<JsonObject> pull(RoutingContext ctx, String tag, String from, int bodyBytes) {
        List<String> sizes = GuestSizes.NAMES.stream().filter(ctx.queryParams()::contains).toList();
        if (!sizes.isEmpty()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, String.join(", ", sizes) + " cannot be combined with"
                    + " from: a pulled snapshot keeps the sizes it was built with");
        }
        String contentType = ctx.request().getHeader("Content-Type");
        if (JavaScriptGuest.isJavaScript(contentType)) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "Content-Type " + contentType + " cannot be combined"
                    + " with from: a pull takes no script, the snapshot comes built");
        }
        if (bodyBytes > 0) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "either upload an ELF or pull from a registry, not both");
        }
        RegistryRef source = RegistryRef.parse(from);
        RegistryPull pull = new RegistryPull(new RegistryCredentials(api.config().registryAuth()));
        return vertx.executeBlocking(() -> api.publisher().load(tag,
                        pull.pull(api.catalog().store(), source, tag).manifestDigest()), false)
                .compose(entry -> api.publisher().publish(tag, entry))
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
            return api.publisher().save(guest.snapshot(), tag);
        }
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
