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

    /** Refuses a template without {@value #TAG}, or one that names no registry reference (IllegalArgument). */
    public PullOnMissSettings {
        if (!template.contains(TAG)) {
            throw new IllegalArgumentException("name where the tag goes with " + TAG
                    + ", such as registry.example.com/snapshots:" + TAG);
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
