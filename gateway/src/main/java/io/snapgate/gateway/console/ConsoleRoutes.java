package io.snapgate.gateway.console;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /} (a redirect) and {@code GET /console/...}: the console's files, held in memory. Every answer
 * carries a Content-Security-Policy that allows scripts, styles and requests from this origin only (no inline
 * script, no other host), {@code nosniff}, no framing, and {@code Cache-Control: no-cache} with an ETag: the
 * browser revalidates each file (a 304 while unchanged), so a new gateway version is never run with old files.
 * The routes take no method on purpose: they are no part of the REST API its OpenAPI document describes; other
 * methods are answered 405.
 */
public final class ConsoleRoutes {
    static final String PREFIX = "/console/";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    /** Every file of the console; a file missing from the jar stops the gateway at start, not a browser later. */
    private static final List<String> FILES = List.of("index.html", "console.css", "icon.svg", "app.js", "api.js",
            "dom.js", "values.js", "call-form.js", "snapshots.js", "call.js", "sessions.js", "deploy.js",
            "node.js", "metrics.js", "chart.js");

    private final Map<String, ConsoleAsset> assets;

    public ConsoleRoutes() {
        assets = FILES.stream().map(ConsoleAsset::load)
                .collect(Collectors.toUnmodifiableMap(ConsoleAsset::name, Function.identity()));
    }

    /** {@code /} and {@code /console} (which the second route matches too) redirect to {@code /console/}. */
    public void mount(Router router) {
        router.route("/").handler(this::redirect);
        router.route(PREFIX + "*").handler(this::serve);
    }

    private void redirect(RoutingContext ctx) {
        if (allowed(ctx)) {
            headers(ctx.response()).setStatusCode(302).putHeader(HttpHeaders.LOCATION, PREFIX).end();
        }
    }

    private void serve(RoutingContext ctx) {
        String path = ctx.request().path();
        if (!path.startsWith(PREFIX)) {
            redirect(ctx);
            return;
        }
        String name = path.substring(PREFIX.length());
        ConsoleAsset asset = assets.get(name.isEmpty() ? "index.html" : name);
        if (asset == null) {
            ctx.next(); // the router's 404
            return;
        }
        if (!allowed(ctx)) {
            return;
        }
        HttpServerResponse response = headers(ctx.response()).putHeader(HttpHeaders.ETAG, asset.etag());
        if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType());
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(asset.body().length())).end();
        } else {
            response.end(asset.body());
        }
    }

    /** GET and HEAD only; anything else fails with 405 (and is answered as every API error is). */
    private static boolean allowed(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return true;
        }
        ctx.fail(405);
        return false;
    }

    private static HttpServerResponse headers(HttpServerResponse response) {
        return response.putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    }
}
