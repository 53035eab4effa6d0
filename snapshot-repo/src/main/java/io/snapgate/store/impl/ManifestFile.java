package io.snapgate.store.impl;

import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageManifest;

/** Reading a manifest blob with every check: regular file, size, digest, strict parse, structure. */
final class ManifestFile {
    private ManifestFile() {
    }

    /** {@code size} is the descriptor's, or -1 when the manifest was named by digest alone. */
    static ImageManifest read(StorePaths paths, Digest digest, long size) {
        String name = "manifest " + digest;
        byte[] json = Documents.readBlob(paths.blob(digest), digest, size, name);
        ImageManifest manifest = StrictJson.readWithOptional(json, ImageManifest.class, name);
        manifest.check(name);
        return manifest;
    }
}
