package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;

/** What a caller names a snapshot by: a tag, or (when it contains ':') a manifest digest. Exactly one is set. */
public record Reference(Tag tag, Digest digest) {
    public static Reference parse(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw new SnapshotFormatException(Problem.INVALID_TAG, "empty reference: name a tag or a sha256: digest");
        }
        return ref.indexOf(':') >= 0 ? new Reference(null, Digest.parse(ref, "reference"))
                : new Reference(new Tag(ref), null);
    }

    public boolean isDigest() {
        return digest != null;
    }

    @Override
    public String toString() {
        return isDigest() ? digest.toString() : tag.toString();
    }
}
