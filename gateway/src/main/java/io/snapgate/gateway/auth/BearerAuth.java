package io.snapgate.gateway.auth;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Requires {@code Authorization: Bearer <token>} with one of the configured tokens: 401 without one, 403 with
 * a wrong one. Tokens are compared by their SHA-256 in constant time, so timing tells nothing about them.
 */
public final class BearerAuth implements Handler<RoutingContext> {
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");

    private final List<byte[]> hashes;

    private BearerAuth(List<String> tokens) {
        this.hashes = tokens.stream().map(BearerAuth::hash).toList();
    }

    public static BearerAuth create(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("bearer authentication needs at least one token");
        }
        return new BearerAuth(tokens);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        var match = header == null ? null : BEARER.matcher(header);
        if (match == null || !match.matches()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"snapgate\"");
            ctx.fail(new GatewayException(ErrorCode.UNAUTHORIZED, "this route needs an Authorization: Bearer token"));
        } else if (!accepted(match.group(1))) {
            ctx.fail(new GatewayException(ErrorCode.FORBIDDEN, "the bearer token is not accepted"));
        } else {
            ctx.next();
        }
    }

    private boolean accepted(String token) {
        byte[] given = hash(token);
        boolean ok = false;
        for (byte[] known : hashes) {
            ok |= MessageDigest.isEqual(given, known); // no early exit: every token is compared
        }
        return ok;
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
