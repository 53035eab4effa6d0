package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import java.util.regex.Pattern;

/**
 * A tag naming a snapshot in a store: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}, case-sensitive. No slash and
 * no leading dot, so a tag can never name a path ({@code ../x}, {@code a/b}).
 */
public record Tag(String value) {
    public static final String RULE = "[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}";
    private static final Pattern PATTERN = Pattern.compile(RULE);

    public Tag {
        if (!isValid(value)) {
            throw new SnapshotFormatException(Problem.INVALID_TAG, "tag " + SnapshotFormatException.quote(value)
                    + " does not match " + RULE + " (1 to 128 characters, no slash, no leading dot)");
        }
    }

    /** Whether {@code value} follows the rule. */
    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
