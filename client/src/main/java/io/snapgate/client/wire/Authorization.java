package io.snapgate.client.wire;

/**
 * How a message on the event bus carries its bearer token: the header {@code Authorization: Bearer <token>}, as a
 * request over HTTP does. What the typed client sends and what the gateway reads (and sends to the nodes it
 * forwards to).
 */
public final class Authorization {
    /** The message header that carries the token. */
    public static final String HEADER = "Authorization";

    private Authorization() {
    }

    /** The header's value for {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
