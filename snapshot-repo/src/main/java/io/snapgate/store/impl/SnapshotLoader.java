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
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.Reference;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
        Resolved resolved = resolve(reference, IndexFile.readTagged(paths));
        for (int attempt = 1; ; attempt++) {
            try {
                return load(resolved, verify);
            } catch (SnapshotFormatException e) {
                if (e.problem() != Problem.MISSING_BLOB || reference.isDigest() || attempt == ATTEMPTS) {
                    throw e;
                }
                Resolved now = resolve(reference, IndexFile.readTagged(paths));
                if (now.digest.equals(resolved.digest)) {
                    throw e;
                }
                resolved = now;
            }
        }
    }

    /** The manifest a reference names now. */
    Digest resolve(String ref) {
        return resolve(Reference.parse(ref), IndexFile.readTagged(paths)).digest;
    }

    /** A manifest and, when the index lists it, its descriptor (else null: a digest loaded directly). */
    private record Resolved(Digest digest, Descriptor descriptor) {
    }

    private Resolved resolve(Reference reference, Map<String, Descriptor> tagged) {
        if (!reference.isDigest()) {
            Descriptor d = tagged.get(reference.tag().value());
            if (d == null) {
                throw new SnapshotFormatException(Problem.UNKNOWN_TAG, "tag \"" + reference.tag() + "\" is not in "
                        + paths.dir() + "; the tags are " + list(tagged));
            }
            return new Resolved(Digest.parse(d.digest(), "manifest digest"), d);
        }
        for (Descriptor d : tagged.values()) {
            if (reference.digest().toString().equals(d.digest())) {
                return new Resolved(reference.digest(), d);
            }
        }
        if (!Files.exists(paths.blob(reference.digest()), LinkOption.NOFOLLOW_LINKS)) {
            throw new SnapshotFormatException(Problem.MISSING_BLOB, "manifest " + reference.digest()
                    + " is neither in index.json nor in blobs/sha256");
        }
        return new Resolved(reference.digest(), null);
    }

    /** The digests, sizes and validated config of the snapshot a reference names now; opens no memory blob. */
    SnapshotInfo inspect(String ref) {
        return inspect(resolve(Reference.parse(ref), IndexFile.readTagged(paths)));
    }

    private LoadedSnapshot load(Resolved resolved, boolean verify) {
        SnapshotInfo info = inspect(resolved);
        Digest memoryDigest = Digest.parse(info.memoryDigest(), "memory digest");
        OpenBlob blob = MemoryBlob.open(paths.blob(memoryDigest), memoryDigest, info.memorySize(), verify);
        return new LoadedSnapshot(info.config(), info.manifestDigest(), info.memoryDigest(), blob);
    }

    private SnapshotInfo inspect(Resolved resolved) {
        long manifestSize = resolved.descriptor == null ? -1 : resolved.descriptor.size();
        ImageManifest manifest = ManifestFile.read(paths, resolved.digest, manifestSize);
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

    private static String list(Map<String, Descriptor> tagged) {
        if (tagged.isEmpty()) {
            return "[] (the store is empty)";
        }
        TreeSet<String> sorted = new TreeSet<>(tagged.keySet());
        String shown = sorted.stream().limit(TAGS_LISTED).collect(Collectors.joining(", ", "[", ""));
        return shown + (sorted.size() > TAGS_LISTED ? ", ... " + (sorted.size() - TAGS_LISTED) + " more]" : "]");
    }
}
