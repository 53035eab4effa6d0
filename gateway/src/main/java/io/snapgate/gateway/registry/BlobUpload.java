package io.snapgate.gateway.registry;

import io.snapgate.store.fs.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a blob from an open file in chunks (the spec's chunked upload: PATCH with Content-Range, then PUT with
 * the digest, which the registry checks), read with {@code pread} straight from the file, so a large memory image
 * never sits in the heap. A chunk that fails is resumed from what the registry says it holds, up to
 * {@value #ATTEMPTS} times.
 */
final class BlobUpload {
    private static final Logger LOG = LoggerFactory.getLogger(BlobUpload.class);
    private static final int ATTEMPTS = 5;

    private final RegistryClient client;
    private final long chunk;

    BlobUpload(RegistryClient client, long chunk) {
        this.client = client;
        this.chunk = chunk;
    }

    /** Uploads the {@code size} bytes of {@code fd} as blob {@code digest}. */
    void upload(int fd, String digest, long size) {
        URI upload = client.startUpload();
        long done = 0;
        for (int failures = 0; done < size; ) {
            long offset = done;
            long length = Math.min(chunk, size - offset);
            try {
                upload = client.uploadChunk(upload, offset, length, () -> region(fd, offset, length));
                done = offset + length;
            } catch (IOException e) {
                if (++failures == ATTEMPTS || e instanceof InterruptedIOException) {
                    throw client.refused("upload of " + digest + " broke at byte " + offset + " of " + size + " ("
                            + failures + " attempts): " + e.getMessage());
                }
                done = client.uploaded(upload);
                LOG.info("upload of {} to {} broke at {} of {} bytes ({}); the registry holds {}, resuming", digest,
                        client.repository(), offset, size, e.getMessage(), done);
            }
        }
        client.finishUpload(upload, digest);
    }

    /** Bytes {@code offset..offset+length-1} of the file, read as the request is sent. */
    private static BodyPublisher region(int fd, long offset, long length) {
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new InputStream() {
            private long position = offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long left = offset + length - position;
                if (left <= 0) {
                    return -1;
                }
                int n = Posix.pread(fd, ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
                if (n == 0) {
                    return -1; // the file shrank: the registry refuses the short chunk
                }
                position += n;
                return n;
            }
        }), length);
    }
}
