package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.MediaTypes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The blobs the index reaches, for garbage collection: each entry's manifest and what it names (a snapshot's
 * config and memory, another tool's image config and layers, a nested index's manifests, recursively). What
 * cannot be followed (an unreadable manifest, a media type whose references are unknown, a nested manifest
 * digested with another algorithm) is refused, so that gc deletes nothing rather than something still named.
 */
final class Reachable {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    private final StorePaths paths;
    /** Hex digests of sha256 blobs reached; other algorithms' blobs live outside blobs/sha256, which gc sweeps. */
    private final Set<String> hex = new HashSet<>();

    private Reachable(StorePaths paths) {
        this.paths = paths;
    }

    static Set<String> from(StorePaths paths, ImageIndex index) {
        Reachable reachable = new Reachable(paths);
        reachable.follow(index.manifests(), ImageIndex.FILE);
        return reachable.hex;
    }

    /** The entries of an index ({@link ImageIndex#parse} checked that each has a media type and a digest). */
    private void follow(List<Descriptor> manifests, String what) {
        for (int i = 0; i < manifests.size(); i++) {
            follow(manifests.get(i), what + " manifests[" + i + "]");
        }
    }

    private void follow(Descriptor d, String where) {
        boolean manifest = MediaTypes.MANIFEST.equals(d.mediaType()) || DOCKER_MANIFEST.equals(d.mediaType());
        boolean index = MediaTypes.INDEX.equals(d.mediaType()) || DOCKER_LIST.equals(d.mediaType());
        if (!manifest && !index) {
            throw new SnapshotFormatException(Problem.MEDIA_TYPE, where + " has media type "
                    + SnapshotFormatException.quote(d.mediaType()) + ", whose references gc cannot follow;"
                    + " it deletes nothing");
        }
        if (!d.digest().startsWith(Digest.PREFIX)) {
            throw new SnapshotFormatException(Problem.MALFORMED_DIGEST, where + " digest "
                    + SnapshotFormatException.quote(d.digest()) + " is not sha256, the only one gc follows;"
                    + " it deletes nothing");
        }
        Digest digest = Digest.parse(d.digest(), where + " digest");
        if (!hex.add(digest.hex())) {
            return; // followed already (content-addressed: the same digest names the same references)
        }
        String name = (index ? "index " : "manifest ") + digest;
        byte[] json = Documents.readBlob(paths.blob(digest), digest, d.size(), name);
        if (index) {
            follow(ImageIndex.parse(json, name).manifests(), name);
            return;
        }
        ImageManifest m = StrictJson.readExtensible(json, ImageManifest.class, name);
        keep(m.config());
        if (m.layers() != null) {
            m.layers().forEach(this::keep);
        }
    }

    private void keep(Descriptor blob) {
        if (blob != null && blob.digest() != null && blob.digest().startsWith(Digest.PREFIX)
                && Digest.isHex(blob.digest().substring(Digest.PREFIX.length()))) {
            hex.add(blob.digest().substring(Digest.PREFIX.length()));
        }
    }
}
