package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;

/** The {@code oci-layout} file: marks a directory as an OCI image layout of a given version. */
public record OciLayout(String imageLayoutVersion) {
    public static final String FILE = "oci-layout";

    public static OciLayout current() {
        return new OciLayout(MediaTypes.LAYOUT_VERSION);
    }

    public void check() {
        if (!MediaTypes.LAYOUT_VERSION.equals(imageLayoutVersion)) {
            throw new SnapshotFormatException(Problem.LAYOUT_VERSION, FILE + " imageLayoutVersion "
                    + SnapshotFormatException.quote(imageLayoutVersion) + ", expected " + MediaTypes.LAYOUT_VERSION);
        }
    }
}
