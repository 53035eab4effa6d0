package io.snapgate.gateway.http;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.store.oci.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/cluster/blobs/{digest}}, mounted on cluster nodes only: a blob of this node's store, for other
 * nodes to copy. Streamed from the file; {@code Range: bytes=N-} resumes a broken transfer (206). Behind the
 * bearer auth of every /v1 route, with the deploy scope ({@link ApiRouter}): a blob holds a snapshot's code and
 * memory, more than a caller may see; nodes fetch with the first of their {@code tokens}.
 */
final class BlobRoutes {
    static final String PATH = "/v1/cluster/blobs/:digest";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final Vertx vertx;
    private final Api api;

    BlobRoutes(Vertx vertx, Api api) {
        this.vertx = vertx;
        this.api = api;
    }

    void mount(Router router) {
        router.get(PATH).handler(this::send);
    }

    private void send(RoutingContext ctx) {
        String digest = Digest.parse(ctx.pathParam("digest"), "blob digest").toString();
        Path file = api.catalog().store().blobFile(digest);
        vertx.executeBlocking(() -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : -1L,
                        false)
                .compose(size -> size < 0 ? Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND,
                        "this node holds no blob " + digest)) : Future.succeededFuture(size))
                .compose(size -> {
                    long from = offset(ctx, size);
                    if (from > 0) {
                        ctx.response().setStatusCode(206)
                                .putHeader("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
                    }
                    return ctx.response().putHeader("Content-Type", "application/octet-stream")
                            .sendFile(file.toString(), from, size - from);
                })
                .onFailure(t -> {
                    if (!ctx.response().headWritten()) {
                        ctx.fail(t);
                    }
                });
    }

    /** Where a {@code Range: bytes=N-} asks to start; 0 without one; 400 for any other form or past the end. */
    private static long offset(RoutingContext ctx, long size) {
        String range = ctx.request().getHeader("Range");
        if (range == null) {
            return 0;
        }
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "only Range: bytes=N- is served, not " + range);
        }
        long from;
        try {
            from = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) { // more digits than a long holds: past any blob
            from = Long.MAX_VALUE;
        }
        if (from >= size) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "range start " + from + " is past the blob's "
                    + size + " bytes");
        }
        return from;
    }
}
