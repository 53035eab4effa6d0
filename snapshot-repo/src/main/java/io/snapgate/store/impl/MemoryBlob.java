package io.snapgate.store.impl;

import io.snapgate.store.OpenBlob;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.fs.FileStat;
import io.snapgate.store.fs.OpenFile;
import io.snapgate.store.fs.PosixException;
import io.snapgate.store.oci.Digest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Opens the memory blob for mapping: a regular file of the expected size, hashed on that same descriptor when asked,
 * and marked in use for as long as the descriptor stays open, so that no process's gc deletes it meanwhile.
 */
final class MemoryBlob {
    private static final int CHUNK = 1 << 20;
    /** One read buffer per loading thread: allocating 1 MiB of direct memory per load costs more than the hash. */
    private static final ThreadLocal<ByteBuffer> BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));

    private MemoryBlob() {
    }

    static OpenBlob open(Path file, Digest digest, long size, boolean verify) {
        String what = "memory blob " + digest;
        OpenFile f = Documents.open(file, Problem.MISSING_BLOB, what);
        try {
            FileStat stat = Documents.regular(f, what);
            if (!f.tryLockInUse()) {
                throw new SnapshotFormatException(Problem.MISSING_BLOB, what + " is being deleted by a gc");
            }
            if (stat.size() != size) {
                throw Documents.sizeMismatch(what, stat.size(), size);
            }
            if (verify) {
                Digest actual = hash(f, size, what);
                if (!actual.equals(digest)) {
                    throw Documents.digestMismatch(what, actual, digest);
                }
                if (!Documents.stat(f, what).sameContentAs(stat)) {
                    throw new SnapshotFormatException(Problem.BLOB_CHANGED, what + " changed while it was hashed");
                }
            }
            return new OpenBlob(f, stat);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** SHA-256 of the first {@code size} bytes, read with pread on the descriptor the caller will map. */
    private static Digest hash(OpenFile f, long size, String what) {
        MessageDigest hash = Digest.hasher();
        ByteBuffer buffer = BUFFER.get();
        long offset = 0;
        while (offset < size) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), size - offset));
            int n;
            try {
                n = f.readFully(buffer, offset);
            } catch (PosixException e) {
                throw new SnapshotFormatException(Problem.IO_ERROR, what + ": " + e.getMessage(), e);
            }
            if (n == 0) {
                throw new SnapshotFormatException(Problem.BLOB_CHANGED, what + " ended at " + offset
                        + " bytes while it was hashed, " + size + " expected");
            }
            hash.update(buffer.flip());
            offset += n;
        }
        return Digest.fromHash(hash.digest());
    }
}
