package io.snapgate.gateway.snapshot;

import io.snapgate.store.MemorySource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blob's bytes from over the network, for the store to hash and write (from another node, from a registry):
 * streamed, never more than its size, and resumed from the byte reached when a transfer breaks, up to a number of
 * attempts. The store refuses the blob unless its bytes hash to its digest.
 */
public final class ResumedDownload implements MemorySource {
    private static final Logger LOG = LoggerFactory.getLogger(ResumedDownload.class);
    private static final int BUFFER = 1 << 20;
    private static final long PROGRESS_EVERY = 64L << 20;

    /** Opens the blob's bytes from {@code offset} on (a Range request past 0); closing the stream ends the transfer. */
    @FunctionalInterface
    public interface Source {
        InputStream from(long offset) throws IOException;
    }

    private final String what;
    private final long size;
    private final int attempts;
    private final Source source;
    private final LongConsumer counted;
    private long done;
    private long reported;

    /** {@code what} names the blob and where from, in messages; {@code counted} hears of each run of bytes. */
    public ResumedDownload(String what, long size, int attempts, Source source, LongConsumer counted) {
        this.what = what;
        this.size = size;
        this.attempts = attempts;
        this.source = source;
        this.counted = counted;
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
                if (attempt == attempts || e instanceof InterruptedIOException) {
                    throw new IOException(what + " broke at byte " + done + " of " + size + " (" + attempt
                            + " attempts): " + e.getMessage(), e);
                }
                LOG.info("{} broke at {} of {} bytes ({}); resuming", what, done, size, e.getMessage());
            }
        }
    }

    private void transfer(WritableByteChannel out) throws IOException {
        try (InputStream in = source.from(done)) {
            byte[] buffer = new byte[BUFFER];
            while (done < size) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - done));
                if (n < 0) {
                    throw new IOException("the transfer ended at byte " + done);
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                done += n;
                counted.accept(n);
                if (done - reported >= PROGRESS_EVERY) {
                    reported = done;
                    LOG.info("{}: {} of {} MiB", what, done >> 20, size >> 20);
                }
            }
        }
    }
}
