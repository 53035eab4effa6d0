package io.snapgate.gateway.registry;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.store.LoadedSnapshot;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a snapshot of a store to a registry: the memory blob and the config, each unless the registry holds it
 * already, in chunks read from the file the store checked; then the manifest, byte for byte as stored, so its
 * digest in the registry is the store's. The snapshot stays loaded meanwhile, so a gc cannot remove its memory.
 */
public final class RegistryPush {
    /** The size of an upload's chunks. */
    public static final long CHUNK = 16L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryPush.class);

    private final RegistryCredentials credentials;
    private final long chunk;

    public RegistryPush(RegistryCredentials credentials) {
        this(credentials, CHUNK);
    }

    /** {@code chunk}: the size of an upload's chunks. */
    public RegistryPush(RegistryCredentials credentials, long chunk) {
        this.credentials = credentials;
        this.chunk = chunk;
    }

    /** Pushes the snapshot {@code ref} (a tag or digest) names to {@code to}; returns its digest. Blocking. */
    public String push(SnapshotStore store, String ref, RegistryRef to) {
        long start = System.nanoTime();
        try (LoadedSnapshot loaded = store.load(ref, false)) {
            SnapshotInfo info = store.inspect(loaded.manifestDigest());
            if (to.byDigest() && !to.reference().equals(info.manifestDigest())) {
                throw new GatewayException(ErrorCode.BAD_REQUEST, ref + " is " + info.manifestDigest()
                        + ", not the digest " + to.reference() + " names");
            }
            RegistryClient client = new RegistryClient(to, credentials);
            BlobUpload upload = new BlobUpload(client, chunk);
            if (!client.exists(info.memoryDigest())) {
                upload.upload(loaded.memory().fd(), info.memoryDigest(), info.memorySize());
            }
            byte[] config = stored(store, info.configDigest(), info.configSize());
            if (!client.exists(info.configDigest())) {
                client.uploadWhole(config, info.configDigest());
            }
            byte[] manifest = stored(store, info.manifestDigest(), info.manifestSize());
            String put = client.putManifest(to.reference(), manifest, MediaTypes.MANIFEST);
            if (put != null && !put.equals(info.manifestDigest())) {
                throw client.refused("stored the manifest as " + put + ", not " + info.manifestDigest());
            }
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            LOG.info("pushed {} ({}, {} MiB of memory) to {} in {} ms ({} MiB/s)", ref, info.manifestDigest(),
                    info.memorySize() >> 20, to, Math.round(seconds * 1000),
                    Math.round(info.memorySize() / seconds / (1 << 20)));
            return info.manifestDigest();
        }
    }

    /** A small blob of the store, checked against its digest (the load checked it a moment ago). */
    private static byte[] stored(SnapshotStore store, String digest, long size) {
        try (InputStream in = Files.newInputStream(store.blobFile(digest))) {
            byte[] bytes = in.readNBytes((int) size + 1);
            if (bytes.length != size || !Digest.of(bytes).toString().equals(digest)) {
                throw new SnapshotFormatException(Problem.BLOB_CHANGED, "blob " + digest + " changed in "
                        + store.directory() + " while it was pushed");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("read blob " + digest + " to push it", e);
        }
    }
}
