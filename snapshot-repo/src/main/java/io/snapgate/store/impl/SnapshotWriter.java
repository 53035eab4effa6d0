package io.snapgate.store.impl;

import io.snapgate.store.MemorySource;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.config.ConfigValidator;
import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.MediaTypes;
import io.snapgate.store.oci.Tag;

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
        return StoreLock.holding(paths.lock(), () -> {
            ImageIndex index = IndexFile.read(paths);
            BlobWriter blobs = new BlobWriter(paths.blobs());
            Digest memoryDigest = blobs.write(memory, size);
            Digest configDigest = blobs.write(configJson);
            ImageManifest manifest = ImageManifest.of(Descriptor.of(MediaTypes.SNAPSHOT_CONFIG, configDigest,
                    configJson.length), Descriptor.of(MediaTypes.SNAPSHOT_MEMORY, memoryDigest, size), config.created());
            byte[] manifestJson = StrictJson.write(manifest);
            Digest manifestDigest = blobs.write(manifestJson);
            blobs.sync();
            IndexFile.write(paths, index.withTag(tag, Descriptor.of(MediaTypes.MANIFEST, manifestDigest,
                    manifestJson.length)));
            return manifestDigest;
        });
    }

    /** Removes a tag from the index; false when it was not there. */
    boolean delete(String tagName) {
        Tag tag = new Tag(tagName);
        return StoreLock.holding(paths.lock(), () -> {
            ImageIndex index = IndexFile.read(paths);
            if (!index.tagged().containsKey(tag.value())) {
                return false;
            }
            IndexFile.write(paths, index.without(tag));
            return true;
        });
    }
}
