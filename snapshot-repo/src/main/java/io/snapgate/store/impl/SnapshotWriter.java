package io.snapgate.store.impl;

import io.snapgate.store.BlobSource;
import io.snapgate.store.IndexEntry;
import io.snapgate.store.MemorySource;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.config.ConfigValidator;
import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.MediaTypes;
import io.snapgate.store.oci.Tag;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Save: check everything a load would check, then, holding the store lock, write the memory blob, the config
 * and the manifest, fsync their directory, and replace the index (the commit point). A crash before the index
 * is replaced leaves only unreferenced blobs or temp files, which {@link GarbageCollector} removes.
 */
final class SnapshotWriter {
    private final StorePaths paths;

    SnapshotWriter(StorePaths paths) {
        this.paths = paths;
    }

    /** Returns the manifest digest. */
    Digest save(String tagName, SnapshotConfig config, MemorySource memory) {
        Tag tag = new Tag(tagName);
        ConfigValidator.validate(config);
        long size = memory.size();
        if (size != config.memory().size()) {
            throw new SnapshotFormatException(Problem.MEMORY_SIZE_MISMATCH, "the memory source holds " + size
                    + " bytes, the config's memory.size is " + config.memory().size());
        }
        byte[] configJson = StrictJson.write(config);
        if (configJson.length > StrictJson.MAX_DOCUMENT) {
            throw new SnapshotFormatException(Problem.DOCUMENT_TOO_LARGE, "the config would hold " + configJson.length
                    + " bytes, more than " + StrictJson.MAX_DOCUMENT);
        }
        return StoreLock.holding(paths, () -> {
            ImageIndex index = IndexFile.read(paths);
            BlobWriter blobs = new BlobWriter(paths.blobs());
            Digest memoryDigest = blobs.write(memory, size);
            Digest configDigest = blobs.write(configJson);
            ImageManifest manifest = ImageManifest.of(Descriptor.of(MediaTypes.SNAPSHOT_CONFIG, configDigest,
                    configJson.length), Descriptor.of(MediaTypes.SNAPSHOT_MEMORY, memoryDigest, size),
                    config.created());
            byte[] manifestJson = StrictJson.write(manifest);
            Digest manifestDigest = blobs.write(manifestJson);
            blobs.sync();
            IndexFile.write(paths, index.withTag(tag, Descriptor.of(MediaTypes.MANIFEST, manifestDigest,
                    manifestJson.length)));
            return manifestDigest;
        });
    }

    /**
     * Copies a snapshot's blobs from {@code source} (memory, config, then manifest: the manifest last, so a
     * manifest here always has its blobs), each checked against its digest before it enters the store, checks
     * the snapshot as a load would, then points {@code tag} at it.
     */
    Digest receive(String tagName, SnapshotInfo info, BlobSource source) {
        Tag tag = new Tag(tagName);
        Digest manifest = Digest.parse(info.manifestDigest(), "manifest digest");
        return StoreLock.holding(paths, () -> {
            BlobWriter blobs = new BlobWriter(paths.blobs());
            receive(blobs, info.memoryDigest(), info.memorySize(), source);
            receive(blobs, info.configDigest(), info.configSize(), source);
            receive(blobs, info.manifestDigest(), info.manifestSize(), source);
            blobs.sync();
            SnapshotInfo received = new SnapshotLoader(paths).inspect(manifest.toString());
            if (!received.equals(info)) {
                throw new SnapshotFormatException(Problem.DIGEST_MISMATCH, "received manifest " + manifest
                        + " does not describe the snapshot announced for it");
            }
            IndexFile.write(paths, IndexFile.read(paths).withTag(tag, Descriptor.of(MediaTypes.MANIFEST, manifest,
                    info.manifestSize())));
            return manifest;
        });
    }

    private static void receive(BlobWriter blobs, String digest, long size, BlobSource source) {
        blobs.receive(Digest.parse(digest, "blob digest"), size, source);
    }

    /**
     * Removes a snapshot's tag from the index; false when it was not there. A tag that names only what another
     * tool put there is {@link Problem#NOT_A_SNAPSHOT}: snapgate does not delete other tools' images.
     */
    boolean delete(String tagName) {
        Tag tag = new Tag(tagName);
        return StoreLock.holding(paths, () -> {
            ImageIndex index = IndexFile.read(paths);
            List<IndexEntry> entries = IndexEntries.of(paths, index);
            Set<Descriptor> snapshots = new HashSet<>();
            String other = null;
            for (int i = 0; i < entries.size(); i++) {
                IndexEntry e = entries.get(i);
                if (tag.value().equals(e.refName())) {
                    if (e.snapshot()) {
                        snapshots.add(index.manifests().get(i));
                    } else {
                        other = e.notSnapshot();
                    }
                }
            }
            if (snapshots.isEmpty() && other != null) {
                throw new SnapshotFormatException(Problem.NOT_A_SNAPSHOT, "tag \"" + tag + "\" names " + other
                        + "; snapgate leaves it alone");
            }
            if (snapshots.isEmpty()) {
                return false;
            }
            IndexFile.write(paths, index.without(snapshots::contains));
            return true;
        });
    }
}
