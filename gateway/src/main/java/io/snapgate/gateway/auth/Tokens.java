package io.snapgate.gateway.auth;

import io.snapgate.gateway.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured bearer tokens and the grant of each: {@code tokens} may deploy, {@code callTokens} only call.
 * Each token is its own tenant ({@code token#1}, ... in configuration order; never the token itself). Tokens are
 * compared by their SHA-256 in constant time, so timing tells nothing about them.
 */
public final class Tokens {
    private record Known(byte[] hash, Grant grant) {
    }

    private final List<Known> known;

    private Tokens(List<Known> known) {
        this.known = List.copyOf(known);
    }

    public static Tokens of(GatewayConfig config) {
        List<Known> known = new ArrayList<>();
        for (String token : config.tokens()) {
            known.add(new Known(hash(token), new Grant(Scope.DEPLOY, "token#" + (known.size() + 1))));
        }
        for (String token : config.callTokens()) {
            known.add(new Known(hash(token), new Grant(Scope.CALL, "token#" + (known.size() + 1))));
        }
        return new Tokens(known);
    }

    /** Whether any token is configured: then requests need one. */
    public boolean required() {
        return !known.isEmpty();
    }

    /** The grant of {@code token}; empty when it is not configured. */
    public Optional<Grant> grant(String token) {
        byte[] given = hash(token);
        Grant found = null;
        for (Known k : known) {
            if (MessageDigest.isEqual(given, k.hash())) { // no early exit: every token is compared
                found = k.grant();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
