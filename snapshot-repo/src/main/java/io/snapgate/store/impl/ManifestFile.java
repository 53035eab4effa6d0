package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageManifest;

/** Reading a manifest blob: regular file, size, digest, the spec's parse; and the checks of a snapshot's. */
final class ManifestFile {
    private ManifestFile() {
    }

    /** Any image manifest, unchecked; {@code size} is the descriptor's, or -1 when it was named by digest alone. */
    static ImageManifest read(StorePaths paths, Digest digest, long size) {
        String name = name(digest);
        byte[] json = Documents.readBlob(paths.blob(digest), digest, size, name);
        return StrictJson.readExtensible(json, ImageManifest.class, name);
    }

    /**
     * A snapshot's manifest, checked. One that says it is something else is {@link Problem#NOT_A_SNAPSHOT},
     * unless its index entry {@code declared} it a snapshot: then it is checked as one, and refused as damaged.
     * {@code tag} is the tag it was named by, or null.
     */
    static ImageManifest readSnapshot(StorePaths paths, Digest digest, long size, boolean declared, String tag) {
        ImageManifest manifest = read(paths, digest, size);
        if (!declared && !manifest.saysSnapshot()) {
            throw new SnapshotFormatException(Problem.NOT_A_SNAPSHOT, (tag == null ? name(digest)
                    : "tag \"" + tag + "\" (" + name(digest) + ")") + " is " + manifest.kind()
                    + "; snapgate leaves it alone");
        }
        manifest.check(name(digest));
        return manifest;
    }

    private static String name(Digest digest) {
        return "manifest " + digest;
    }
}
