package io.snapgate.store.impl;

import io.snapgate.store.LoadedSnapshot;
import io.snapgate.store.OpenBlob;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.config.ConfigValidator;
import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.fs.Posix;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.MediaTypes;
import io.snapgate.store.oci.Reference;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Load: resolve the reference in the index, then read and check the manifest, the config and the memory blob,
 * in that order. Takes no lock: the index it reads is the one before or after any concurrent write.
 */
final class SnapshotLoader {
    /** A tag moved and a gc removed its old blobs between our index read and our blob reads: read again. */
    private static final int ATTEMPTS = 3;
    private static final int TAGS_LISTED = 50;

    private final StorePaths paths;

    SnapshotLoader(StorePaths paths) {
        this.paths = paths;
    }

    LoadedSnapshot load(String ref, boolean verify) {
        Reference reference = Reference.parse(ref);
        Resolved resolved = resolve(reference, IndexFile.read(paths));
        for (int attempt = 1; ; attempt++) {
            try {
                return load(resolved, verify);
            } catch (SnapshotFormatException e) {
                if (e.problem() != Problem.MISSING_BLOB || reference.isDigest() || attempt == ATTEMPTS) {
                    throw e;
                }
                Resolved now = resolve(reference, IndexFile.read(paths));
                if (now.digest.equals(resolved.digest)) {
                    throw e;
                }
                resolved = now;
            }
        }
    }

    /** The manifest a reference names now. */
    Digest resolve(String ref) {
        return resolve(Reference.parse(ref), IndexFile.read(paths)).digest;
    }

    /**
     * A manifest and, when the index lists it, its descriptor (else null: a digest loaded directly);
     * {@code declared} when that entry says it is a snapshot (else its manifest must say so); the tag it was
     * named by, or null.
     */
    private record Resolved(Digest digest, Descriptor descriptor, boolean declared, String tag) {
    }

    private Resolved resolve(Reference reference, ImageIndex index) {
        List<Descriptor> manifests = index.manifests();
        if (!reference.isDigest()) {
            String tag = reference.tag().value();
            List<Integer> named = IntStream.range(0, manifests.size())
                    .filter(i -> tag.equals(manifests.get(i).refName())).boxed().toList();
            if (named.isEmpty()) {
                throw new SnapshotFormatException(Problem.UNKNOWN_TAG, "tag \"" + tag + "\" is not in " + paths.dir()
                        + "; the tags are " + list(IndexEntries.tags(IndexEntries.of(paths, index))));
            }
            if (named.size() > 1) {
                throw new SnapshotFormatException(Problem.DUPLICATE_TAG, ImageIndex.FILE + " lists tag \"" + tag
                        + "\" more than once");
            }
            return entry(manifests, named.get(0), tag);
        }
        for (int i = 0; i < manifests.size(); i++) {
            if (reference.digest().toString().equals(manifests.get(i).digest())) {
                return entry(manifests, i, null);
            }
        }
        if (!Files.exists(paths.blob(reference.digest()), LinkOption.NOFOLLOW_LINKS)) {
            throw new SnapshotFormatException(Problem.MISSING_BLOB, "manifest " + reference.digest()
                    + " is neither in index.json nor in blobs/sha256");
        }
        return new Resolved(reference.digest(), null, false, null);
    }

    /**
     * Index entry {@code i} (named by {@code tag}, or else by its digest), checked as a snapshot's; one that is not
     * a snapshot is refused as such.
     */
    private static Resolved entry(List<Descriptor> manifests, int i, String tag) {
        Descriptor d = manifests.get(i);
        String notSnapshot = d.notSnapshot();
        if (notSnapshot != null) {
            String named = tag == null ? d.digest() : "tag \"" + tag + "\"";
            throw new SnapshotFormatException(Problem.NOT_A_SNAPSHOT, named + " names " + notSnapshot + " ("
                    + ImageIndex.where(i) + "); snapgate leaves it alone");
        }
        Digest digest = d.check(ImageIndex.where(i), MediaTypes.MANIFEST, StrictJson.MAX_DOCUMENT);
        return new Resolved(digest, d, d.artifactType() != null, tag);
    }

    /** The digests, sizes and validated config of the snapshot a reference names now; opens no memory blob. */
    SnapshotInfo inspect(String ref) {
        return inspect(resolve(Reference.parse(ref), IndexFile.read(paths)));
    }

    private LoadedSnapshot load(Resolved resolved, boolean verify) {
        SnapshotInfo info = inspect(resolved);
        Digest memoryDigest = Digest.parse(info.memoryDigest(), "memory digest");
        OpenBlob blob = MemoryBlob.open(paths.blob(memoryDigest), memoryDigest, info.memorySize(), verify);
        return new LoadedSnapshot(info.config(), info.manifestDigest(), info.memoryDigest(), blob);
    }

    private SnapshotInfo inspect(Resolved resolved) {
        long manifestSize = resolved.descriptor == null ? -1 : resolved.descriptor.size();
        ImageManifest manifest = ManifestFile.readSnapshot(paths, resolved.digest, manifestSize, resolved.declared,
                resolved.tag);
        if (manifestSize < 0) {
            manifestSize = Posix.lstat(paths.blob(resolved.digest)).size(); // checked against its digest just now
        }

        Descriptor configDescriptor = manifest.config();
        Digest configDigest = Digest.parse(configDescriptor.digest(), "config digest");
        String configName = "config " + configDigest;
        byte[] configJson = Documents.readBlob(paths.blob(configDigest), configDigest, configDescriptor.size(),
                configName);
        SnapshotConfig config = StrictJson.read(configJson, SnapshotConfig.class, configName);
        ConfigValidator.validate(config);

        Descriptor memory = manifest.memory();
        if (memory.size() != config.memory().size()) {
            throw new SnapshotFormatException(Problem.MEMORY_SIZE_MISMATCH, "manifest " + resolved.digest
                    + " memory layer holds " + memory.size() + " bytes, the config's memory.size is "
                    + config.memory().size());
        }
        Digest memoryDigest = Digest.parse(memory.digest(), "memory digest");
        return new SnapshotInfo(resolved.digest.toString(), manifestSize, configDigest.toString(),
                configDescriptor.size(), memoryDigest.toString(), memory.size(), config);
    }

    private static String list(List<String> sorted) {
        if (sorted.isEmpty()) {
            return "[] (the store holds no snapshot)";
        }
        String shown = sorted.stream().limit(TAGS_LISTED).collect(Collectors.joining(", ", "[", ""));
        return shown + (sorted.size() > TAGS_LISTED ? ", ... " + (sorted.size() - TAGS_LISTED) + " more]" : "]");
    }
}
