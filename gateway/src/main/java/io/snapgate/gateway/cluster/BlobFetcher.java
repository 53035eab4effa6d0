package io.snapgate.gateway.cluster;

import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.store.MemorySource;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.index.Holder;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
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
    private static final int CHUNK = 1 << 20;
    private static final long PROGRESS_EVERY = 64L << 20;
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
            store.receive(tag, info, (digest, size) -> new Download(from, digest, size));
        } catch (RuntimeException e) {
            metrics.count(FETCHES, "snapshot copies fetched from other nodes", "failed");
            throw e;
        }
        metrics.count(FETCHES, "snapshot copies fetched from other nodes", "ok");
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        LOG.info("fetched {} from node {} in {} ms ({} MiB/s), verified", info.manifestDigest(), from.node(),
                Math.round(seconds * 1000), Math.round(info.memorySize() / seconds / (1 << 20)));
    }

    /** One blob's bytes from the holder, resumed from the byte reached when a transfer breaks. */
    private final class Download implements MemorySource {
        private final Holder from;
        private final String digest;
        private final long size;
        private long done;
        private long reported;

        Download(Holder from, String digest, long size) {
            this.from = from;
            this.digest = digest;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void writeTo(WritableByteChannel out) throws IOException {
            for (int attempt = 1; done < size; attempt++) {
                try {
                    transfer(out);
                } catch (IOException e) {
                    if (attempt == ATTEMPTS || e instanceof InterruptedIOException) {
                        throw e;
                    }
                    LOG.info("transfer of {} from node {} broke at {} of {} bytes ({}); resuming", digest, from.node(),
                            done, size, e.getMessage());
                }
            }
        }

        private void transfer(WritableByteChannel out) throws IOException {
            HttpURLConnection http = (HttpURLConnection) URI.create(from.url() + "/v1/cluster/blobs/" + digest).toURL()
                    .openConnection();
            http.setConnectTimeout(CONNECT_TIMEOUT_MS);
            http.setReadTimeout(READ_TIMEOUT_MS);
            token.ifPresent(t -> http.setRequestProperty("Authorization", "Bearer " + t));
            if (done > 0) {
                http.setRequestProperty("Range", "bytes=" + done + "-");
            }
            int expected = done == 0 ? 200 : 206;
            try (InputStream in = http.getResponseCode() == expected ? http.getInputStream() : http.getErrorStream()) {
                if (http.getResponseCode() != expected) {
                    throw new IOException("node " + from.node() + " answered " + http.getResponseCode() + " for blob "
                            + digest + " (expected " + expected + ")");
                }
                byte[] buffer = new byte[CHUNK];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    done += n;
                    metrics.add(BYTES, "bytes of snapshot blobs fetched from other nodes", n);
                    if (done - reported >= PROGRESS_EVERY) {
                        reported = done;
                        LOG.info("fetch of {}: {} of {} MiB", digest, done >> 20, size >> 20);
                    }
                }
            }
        }
    }
}
