package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.OciLayout;
import java.nio.file.Path;

/** Where everything lives in a store directory (its real path). */
record StorePaths(Path dir) {
    static final String BLOBS = "blobs";
    static final String LOCK = ".lock";

    Path ociLayout() {
        return dir.resolve(OciLayout.FILE);
    }

    Path index() {
        return dir.resolve(ImageIndex.FILE);
    }

    Path lock() {
        return dir.resolve(LOCK);
    }

    /** {@code blobs/sha256}. */
    Path blobs() {
        return dir.resolve(BLOBS).resolve("sha256");
    }

    Path blob(Digest digest) {
        return blobs().resolve(digest.hex());
    }

    /** The refusal when the store's directory went away under an open store (deleted, or unmounted). */
    SnapshotFormatException gone() {
        return new SnapshotFormatException(Problem.MISSING_DIRECTORY, "store directory " + dir
                + " does not exist (any more)");
    }
}
