package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest: {@code sha256:} and 64 lowercase hex digits, nothing else (no other algorithm, no upper
 * case, no whitespace). The hex part is the blob's file name under {@code blobs/sha256/}.
 */
public record Digest(String hex) {
    public static final String PREFIX = "sha256:";
    private static final int HEX_LENGTH = 64;
    /** Any digest the OCI spec allows (algorithm ":" encoded), such as another tool's sha512 one. */
    private static final Pattern OCI = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (!isHex(hex)) {
            throw new SnapshotFormatException(Problem.MALFORMED_DIGEST,
                    "sha256 hex " + SnapshotFormatException.quote(hex) + " is not 64 lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<hex>}; {@code what} names where the value came from, for the message. */
    public static Digest parse(String value, String what) {
        if (value == null || !value.startsWith(PREFIX) || !isHex(value.substring(PREFIX.length()))) {
            throw new SnapshotFormatException(Problem.MALFORMED_DIGEST, what + " "
                    + SnapshotFormatException.quote(value) + " is not sha256: followed by 64 lowercase hex digits");
        }
        return new Digest(value.substring(PREFIX.length()));
    }

    /**
     * Checks that {@code value} is a digest of any algorithm as the OCI spec writes one (only sha256 ones name
     * blobs snapgate reads: {@link #parse}); returns it.
     */
    public static String checkOci(String value, String what) {
        if (value == null || !OCI.matcher(value).matches()) {
            throw new SnapshotFormatException(Problem.MALFORMED_DIGEST, what + " "
                    + SnapshotFormatException.quote(value) + " is not a digest (algorithm:encoded, as the OCI image"
                    + " spec writes one)");
        }
        return value;
    }

    /** The digest of {@code data}. */
    public static Digest of(byte[] data) {
        return fromHash(hasher().digest(data));
    }

    /** The digest from a finished SHA-256 hash. */
    public static Digest fromHash(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    public static MessageDigest hasher() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** True for a file name that could be a blob's. */
    public static boolean isHex(String value) {
        if (value == null || value.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
