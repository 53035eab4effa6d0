package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.oci.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/**
 * Passes bytes to a channel while hashing and counting them, so a blob's digest is known when its last byte
 * is written (no second pass). Refuses to write past the declared size. Writes at most 1 MiB at a time: a
 * file channel copies a heap buffer through a temporary direct buffer as large as the write.
 */
final class HashingChannel implements WritableByteChannel {
    private static final int CHUNK = 1 << 20;

    private final WritableByteChannel out;
    private final long declared;
    private final MessageDigest hash = Digest.hasher();
    private long count;

    HashingChannel(WritableByteChannel out, long declared) {
        this.out = out;
        this.declared = declared;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int length = Math.min(src.remaining(), CHUNK);
        if (count + src.remaining() > declared) {
            throw new SnapshotFormatException(Problem.MEMORY_SIZE_MISMATCH,
                    "the memory source wrote more than its size " + declared);
        }
        ByteBuffer chunk = src.slice().limit(length);
        int written = out.write(chunk);
        hash.update(src.slice().limit(written));
        src.position(src.position() + written);
        count += written;
        return written;
    }

    long count() {
        return count;
    }

    Digest digest() {
        return Digest.fromHash(hash.digest());
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
