package io.snapgate.store.impl;

import io.snapgate.store.IndexEntry;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What each entry of the index is: a snapgate snapshot or another tool's, told by the entry when it can (its
 * media type, its artifactType), else by its manifest (skopeo, for one, writes entries without artifactType).
 */
final class IndexEntries {
    private IndexEntries() {
    }

    /** Every entry, in index order. */
    static List<IndexEntry> of(StorePaths paths, ImageIndex index) {
        List<IndexEntry> entries = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            String notSnapshot = d.notSnapshot();
            if (notSnapshot == null && d.artifactType() == null) {
                notSnapshot = byManifest(paths, d);
            }
            entries.add(new IndexEntry(d.refName(), d.digest(), notSnapshot));
        }
        return entries;
    }

    /** The snapshots' tags that a reference can name, sorted, each once. */
    static List<String> tags(List<IndexEntry> entries) {
        TreeSet<String> tags = new TreeSet<>();
        for (IndexEntry e : entries) {
            if (e.snapshot() && e.refName() != null && Tag.isValid(e.refName())) {
                tags.add(e.refName());
            }
        }
        return List.copyOf(tags);
    }

    /** Why the manifest says it is not a snapshot; null when it is one, or cannot be read (a load says why). */
    private static String byManifest(StorePaths paths, Descriptor d) {
        try {
            ImageManifest manifest = ManifestFile.read(paths, Digest.parse(d.digest(), "manifest digest"), d.size());
            return manifest.saysSnapshot() ? null : manifest.kind();
        } catch (SnapshotFormatException e) {
            if (e.problem().storeGone()) {
                throw e;
            }
            return null;
        }
    }
}
