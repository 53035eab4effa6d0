package io.snapgate.gateway.cluster;

import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.snapshot.ResumedDownload;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.index.Holder;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a snapshot from a holder into this node's store over HTTP ({@code GET /v1/cluster/blobs/{digest}}, with
 * the node token when the cluster uses tokens): streamed, resumed with a Range request where a transfer
 * breaks, and verified by the store (sha256) before any blob enters it. Blocking.
 */
final class BlobFetcher {
    static final String FETCHES = "snapgate.fetches";
    static final String BYTES = "snapgate.fetch.bytes";
    private static final Logger LOG = LoggerFactory.getLogger(BlobFetcher.class);
    private static final int ATTEMPTS = 3;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final Optional<String> token;
    private final GatewayMetrics metrics;

    BlobFetcher(Optional<String> token, GatewayMetrics metrics) {
        this.token = token;
        this.metrics = metrics;
    }

    /** Receives {@code info} from {@code from} into {@code store} under {@code tag}. */
    void fetch(SnapshotStore store, Holder from, SnapshotInfo info, String tag) {
        long start = System.nanoTime();
        LOG.info("fetching {} ({} MiB) from node {} at {}", info.manifestDigest(), info.memorySize() >> 20,
                from.node(), from.url());
        try {
            store.receive(tag, info, (digest, size) -> new ResumedDownload("fetch of " + digest + " from node "
                    + from.node(), size, ATTEMPTS, offset -> open(from, digest, offset),
                    n -> metrics.add(BYTES, "bytes of snapshot blobs fetched from other nodes", n)));
        } catch (RuntimeException e) {
            metrics.count(FETCHES, "snapshot copies fetched from other nodes", "failed");
            throw e;
        }
        metrics.count(FETCHES, "snapshot copies fetched from other nodes", "ok");
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        LOG.info("fetched {} from node {} in {} ms ({} MiB/s), verified", info.manifestDigest(), from.node(),
                Math.round(seconds * 1000), Math.round(info.memorySize() / seconds / (1 << 20)));
    }

    /** One blob's bytes from the holder, from {@code offset} on. */
    private InputStream open(Holder from, String digest, long offset) throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create(from.url() + "/v1/cluster/blobs/" + digest).toURL()
                .openConnection();
        http.setConnectTimeout(CONNECT_TIMEOUT_MS);
        http.setReadTimeout(READ_TIMEOUT_MS);
        token.ifPresent(t -> http.setRequestProperty("Authorization", "Bearer " + t));
        if (offset > 0) {
            http.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        int expected = offset == 0 ? 200 : 206;
        if (http.getResponseCode() != expected) {
            try (InputStream error = http.getErrorStream()) {
                throw new IOException("node " + from.node() + " answered " + http.getResponseCode() + " for blob "
                        + digest + " (expected " + expected + ")");
            }
        }
        return http.getInputStream();
    }
}
