package io.snapgate.gateway.auth;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requires {@code Authorization: Bearer <token>} with one of the configured tokens: 401 without one, 403 with
 * a wrong one. The token's {@link Grant} goes with the request ({@link #grant}), for the routes that need the
 * deploy scope ({@link RequireScope}) and for fair admission.
 */
public final class BearerAuth implements Handler<RoutingContext> {
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");
    private static final String GRANT = "snapgate.grant";

    private final Tokens tokens;

    private BearerAuth(Tokens tokens) {
        this.tokens = tokens;
    }

    public static BearerAuth create(Tokens tokens) {
        if (!tokens.required()) {
            throw new IllegalArgumentException("bearer authentication needs at least one token");
        }
        return new BearerAuth(tokens);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<String> token = token(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"snapgate\"");
            ctx.fail(new GatewayException(ErrorCode.UNAUTHORIZED, "this route needs an Authorization: Bearer token"));
            return;
        }
        Optional<Grant> grant = tokens.grant(token.get());
        if (grant.isEmpty()) {
            ctx.fail(new GatewayException(ErrorCode.FORBIDDEN, "the bearer token is not accepted"));
        } else {
            ctx.put(GRANT, grant.get());
            ctx.next();
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header; empty for none or another scheme. */
    static Optional<String> token(String header) {
        Matcher match = header == null ? null : BEARER.matcher(header);
        return match != null && match.matches() ? Optional.of(match.group(1)) : Optional.empty();
    }

    /** What the request may do: its token's grant, or everything on a node without tokens. */
    public static Grant grant(RoutingContext ctx) {
        Grant grant = ctx.get(GRANT);
        return grant == null ? Grant.OPEN : grant;
    }
}
