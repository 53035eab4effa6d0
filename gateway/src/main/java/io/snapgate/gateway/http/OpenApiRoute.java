package io.snapgate.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/openapi.json}: the OpenAPI 3.1 description of every route, body, answer, error and header
 * (a resource beside this class, checked against the router and against real answers by OpenApiTest).
 */
final class OpenApiRoute implements Handler<RoutingContext> {
    static final String RESOURCE = "openapi.json";

    private final Buffer document = read();

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(document.copy());
    }

    private static Buffer read() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + OpenApiRoute.class.getName());
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("read " + RESOURCE, e);
        }
    }
}
