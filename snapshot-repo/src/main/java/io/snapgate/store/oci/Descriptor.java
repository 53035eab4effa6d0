package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.json.StrictJson;
import java.util.Map;

/**
 * An OCI content descriptor: what a blob is, its digest and its size. {@code artifactType} and
 * {@code annotations} are optional (null when absent); the spec's other optional fields ({@code urls},
 * {@code data}, {@code platform}) mean nothing to a snapshot and are ignored.
 */
public record Descriptor(String mediaType, String digest, long size, String artifactType,
        Map<String, String> annotations) {

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest.toString(), size, null, null);
    }

    /**
     * Checks the media type, the digest's form and that {@code 0 < size <= maxSize} (a larger size is
     * {@link Problem#DOCUMENT_TOO_LARGE}: only JSON documents have a maximum); returns the digest.
     * {@code where} names the descriptor in messages ("index.json manifests[2]").
     */
    public Digest check(String where, String expectedMediaType, long maxSize) {
        if (!expectedMediaType.equals(mediaType)) {
            throw new SnapshotFormatException(Problem.MEDIA_TYPE, where + " has media type "
                    + SnapshotFormatException.quote(mediaType) + ", expected " + expectedMediaType);
        }
        Digest parsed = Digest.parse(digest, where + " digest");
        if (size <= 0) {
            throw new SnapshotFormatException(Problem.INVALID_SIZE, where + " size " + size + " is not positive");
        }
        if (size > maxSize) {
            throw new SnapshotFormatException(Problem.DOCUMENT_TOO_LARGE, where + " size " + size
                    + " is more than the " + maxSize + " bytes allowed");
        }
        return parsed;
    }

    /**
     * Why this index entry is not a snapgate snapshot, going by the entry alone; null when it is one or may be
     * one. An entry that declares snapgate's {@code artifactType} is taken at its word (and checked as a snapshot
     * when loaded); an image manifest that declares none (as skopeo writes them) may be one: its manifest tells.
     */
    public String notSnapshot() {
        if (MediaTypes.SNAPSHOT_CONFIG.equals(artifactType)) {
            return null;
        }
        if (artifactType != null) {
            return "artifactType " + artifactType;
        }
        if (!MediaTypes.MANIFEST.equals(mediaType)) {
            return "media type " + mediaType;
        }
        if (!digest.startsWith(Digest.PREFIX)) {
            return "a manifest digested with " + digest.substring(0, digest.indexOf(':'))
                    + " (snapgate's are sha256)";
        }
        if (size > StrictJson.MAX_DOCUMENT) {
            return "a manifest of " + size + " bytes (snapgate's hold at most " + StrictJson.MAX_DOCUMENT + ")";
        }
        return null;
    }

    /** An index entry's tag ({@code org.opencontainers.image.ref.name}), or null. */
    public String refName() {
        return annotation(MediaTypes.REF_NAME);
    }

    /** The annotation's value, or null. */
    public String annotation(String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
