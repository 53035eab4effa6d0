package io.snapgate.gateway.registry;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.snapshot.ResumedDownload;
import io.snapgate.store.MemorySource;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.config.ConfigValidator;
import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.MediaTypes;
import io.snapgate.store.oci.Tag;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls a snapshot from a registry into a store. The manifest is checked as a snapshot's and the config validated
 * before the memory is fetched; the memory then streams into the store, hashed as it is written. The store refuses
 * a blob that does not hash to its digest before it enters, and tags the snapshot only once all three blobs are in
 * and checked: a failed pull registers nothing. A transfer that breaks resumes where it broke, and blobs the store
 * already holds are not fetched again, so pulling again after a failure fetches only what is missing.
 */
public final class RegistryPull {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryPull.class);
    /** Tries per blob: a broken transfer resumes where it broke. */
    private static final int ATTEMPTS = 5;

    private final RegistryCredentials credentials;

    public RegistryPull(RegistryCredentials credentials) {
        this.credentials = credentials;
    }

    /** Pulls {@code from} into {@code store} as {@code tag}; blocking. */
    public SnapshotInfo pull(SnapshotStore store, RegistryRef from, String tag) {
        return pull(store, from, tag, false, n -> { }).orElseThrow();
    }

    /**
     * {@link #pull}, or empty, nothing stored, when the registry has no manifest under {@code from}'s reference
     * (it answers 404); {@code received} hears of each run of memory bytes fetched.
     */
    public Optional<SnapshotInfo> pullIfPresent(SnapshotStore store, RegistryRef from, String tag,
            LongConsumer received) {
        return pull(store, from, tag, true, received);
    }

    private Optional<SnapshotInfo> pull(SnapshotStore store, RegistryRef from, String tag, boolean missingOk,
            LongConsumer received) {
        new Tag(tag);
        long start = System.nanoTime();
        RegistryClient client = new RegistryClient(from, credentials);
        try {
            Optional<byte[]> found = client.document(client.manifest(from.reference()), MediaTypes.MANIFEST,
                    StrictJson.MAX_DOCUMENT, missingOk);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            byte[] manifestJson = found.get();
            Digest manifestDigest = Digest.of(manifestJson);
            if (from.byDigest() && !manifestDigest.toString().equals(from.reference())) {
                throw client.refused("sent a manifest that hashes to " + manifestDigest + " for " + from);
            }
            String name = "manifest " + manifestDigest + " of " + from;
            ImageManifest manifest = StrictJson.readExtensible(manifestJson, ImageManifest.class, name);
            if (!manifest.saysSnapshot()) {
                throw new GatewayException(ErrorCode.REGISTRY_ERROR, from + " is " + manifest.kind()
                        + ", not a snapgate snapshot");
            }
            manifest.check(name);
            Descriptor configBlob = manifest.config();
            byte[] configJson = small(client, configBlob, "config of " + from);
            SnapshotConfig config = StrictJson.read(configJson, SnapshotConfig.class, "config " + configBlob.digest());
            ConfigValidator.validate(config);
            Descriptor memory = manifest.memory();
            if (memory.size() != config.memory().size()) {
                throw new SnapshotFormatException(Problem.MEMORY_SIZE_MISMATCH, name + " memory layer holds "
                        + memory.size() + " bytes, the config's memory.size is " + config.memory().size());
            }
            SnapshotInfo info = new SnapshotInfo(manifestDigest.toString(), manifestJson.length, configBlob.digest(),
                    configBlob.size(), memory.digest(), memory.size(), config);
            store.receive(tag, info, (digest, size) -> digest.equals(info.manifestDigest()) ? bytes(manifestJson)
                    : digest.equals(info.configDigest()) ? bytes(configJson) : new ResumedDownload("pull of blob "
                    + digest + " from " + from, size, ATTEMPTS, offset -> client.stream(digest, offset), received));
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            LOG.info("pulled {} as {} ({}, {} MiB of memory) in {} ms ({} MiB/s), verified", from, tag,
                    manifestDigest, memory.size() >> 20, Math.round(seconds * 1000),
                    Math.round(memory.size() / seconds / (1 << 20)));
            return Optional.of(info);
        } catch (SnapshotFormatException e) {
            if (e.problem() == Problem.STORE_FULL || e.problem() == Problem.IO_ERROR || e.problem().storeGone()) {
                throw e; // this node's trouble, not the registry's
            }
            throw new GatewayException(ErrorCode.REGISTRY_ERROR, "pull of " + from + " refused, nothing stored: "
                    + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new GatewayException(ErrorCode.REGISTRY_ERROR, "pull of " + from + " failed, nothing stored: "
                    + e.getCause().getMessage());
        }
    }

    /** A config blob: read whole (at most 1 MiB), of its descriptor's size and hashing to its digest. */
    private static byte[] small(RegistryClient client, Descriptor blob, String what) {
        Digest digest = Digest.parse(blob.digest(), what + " digest");
        byte[] bytes = client.document(client.blob(blob.digest()), RegistryClient.OCTETS, (int) blob.size());
        if (bytes.length != blob.size()) {
            throw new SnapshotFormatException(Problem.SIZE_MISMATCH, what + " holds " + bytes.length
                    + " bytes, its descriptor says " + blob.size());
        }
        if (!Digest.of(bytes).equals(digest)) {
            throw new SnapshotFormatException(Problem.DIGEST_MISMATCH, what + " hashes to " + Digest.of(bytes)
                    + ", expected " + digest);
        }
        return bytes;
    }

    private static MemorySource bytes(byte[] content) {
        return MemorySource.of(ByteBuffer.wrap(content));
    }
}
