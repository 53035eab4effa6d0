package io.snapgate.gateway.auth;

import java.util.Locale;

/**
 * What a bearer token may do. {@code CALL}: stateless calls, sessions (open, call, restore, close) and reading
 * snapshots; {@code DEPLOY}: that and everything that changes snapshots (upload, registry pull, delete, a session
 * saved as a tag).
 */
public enum Scope {
    CALL, DEPLOY;

    /** The scope's name as answers and documents write it: {@code call}, {@code deploy}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
