package io.snapgate.gateway.config;

import io.snapgate.client.SnapgateException;
import io.snapgate.gateway.registry.RegistryRef;
import java.time.Duration;

/**
 * Where a node pulls a tag it lacks from (the {@code pullOnMiss} setting): a registry reference template in which
 * {@value #TAG} stands for the tag asked for, and how long a failed pull's error is answered without asking the
 * registry again.
 */
public record PullOnMissSettings(String template, Duration retryAfterFailure) {
    public static final String TAG = "{tag}";

    /**
     * Refuses a template without {@value #TAG}, one with {@value #TAG} in its registry host (a request's tag would
     * pick which host the node asks), or one that names no registry reference (IllegalArgument).
     */
    public PullOnMissSettings {
        if (!template.contains(TAG)) {
            throw new IllegalArgumentException("name where the tag goes with " + TAG
                    + ", such as registry.example.com/snapshots:" + TAG);
        }
        int slash = template.indexOf('/');
        if (slash >= 0 && template.indexOf(TAG) < slash) {
            throw new IllegalArgumentException(TAG + " may stand in the repository or the tag, not in the registry"
                    + " host (a caller's tag would choose the host the node asks): such as registry.example.com/"
                    + "snapshots:" + TAG);
        }
        try {
            reference(template, "tag");
        } catch (SnapgateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The registry reference {@code tag} maps to; a BAD_REQUEST error when the tag makes it invalid. */
    public RegistryRef reference(String tag) {
        return reference(template, tag);
    }

    private static RegistryRef reference(String template, String tag) {
        return RegistryRef.parse(template.replace(TAG, tag));
    }
}
