package io.snapgate.store.impl;

import io.snapgate.store.BlobSource;
import io.snapgate.store.MemorySource;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.fs.FileStat;
import io.snapgate.store.fs.Posix;
import io.snapgate.store.fs.PosixException;
import io.snapgate.store.fs.TempFile;
import io.snapgate.store.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes blobs into {@code blobs/sha256}: each into a temp file in that directory, created read-only (0444),
 * fsynced, then renamed to its digest. A blob already there as a regular file of the right size is kept and
 * never rewritten (a live sandbox may map it); one there with the wrong size or type is damaged and is replaced
 * by the rename (which leaves any existing mapping of the old file intact). Call {@link #sync()} once all are
 * written, before committing anything that names them.
 */
final class BlobWriter {
    private static final int READ_ONLY = 0444;

    private final Path dir;
    private boolean renamed;

    BlobWriter(Path dir) {
        this.dir = dir;
    }

    /** Streams {@code source} (exactly {@code size} bytes) into a blob, hashing as it goes. */
    Digest write(MemorySource source, long size) {
        return write(source, size, null);
    }

    /**
     * Streams a blob received from elsewhere, unless one of that size is already here; refuses it
     * ({@link Problem#DIGEST_MISMATCH}) before it enters the store when its bytes do not hash to {@code expected}.
     */
    Digest receive(Digest expected, long size, BlobSource source) {
        if (intact(dir.resolve(expected.hex()), size)) {
            renamed = true; // see publish()
            return expected;
        }
        return write(source.blob(expected.toString(), size), size, expected);
    }

    private Digest write(MemorySource source, long size, Digest expected) {
        try (TempFile temp = TempFile.create(dir, READ_ONLY)) {
            HashingChannel out = new HashingChannel(temp.channel(), size);
            source.writeTo(out);
            if (out.count() != size) {
                throw new SnapshotFormatException(Problem.MEMORY_SIZE_MISMATCH, "the memory source wrote "
                        + out.count() + " bytes, its size is " + size);
            }
            Digest digest = out.digest();
            if (expected != null && !expected.equals(digest)) {
                throw new SnapshotFormatException(Problem.DIGEST_MISMATCH, "received blob " + expected
                        + " hashes to " + digest + "; refused, nothing stored");
            }
            publish(temp, digest, size);
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException("write blob in " + dir, e);
        }
    }

    /** Writes {@code content} (a small JSON blob) unless it is already there. */
    Digest write(byte[] content) {
        Digest digest = Digest.of(content);
        if (holds(dir.resolve(digest.hex()), content)) {
            renamed = true; // see publish(): the entry may not be durable yet
            return digest;
        }
        try (TempFile temp = TempFile.create(dir, READ_ONLY)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                temp.channel().write(buffer);
            }
            temp.moveTo(dir.resolve(digest.hex())); // replaces a damaged copy by rename, never in place
            renamed = true;
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException("write blob " + digest, e);
        }
    }

    /** Makes the directory entries of this save's blobs durable. */
    void sync() {
        if (renamed) {
            Posix.fsyncDirectory(dir);
            renamed = false;
        }
    }

    private void publish(TempFile temp, Digest digest, long size) {
        Path target = dir.resolve(digest.hex());
        if (!intact(target, size)) {
            temp.moveTo(target);
        }
        // Also when the blob was already there: a writer that died may have renamed it without the directory
        // fsync, and the index this save commits must not name an entry a power loss can take away.
        renamed = true;
    }

    /** Whether a small blob is already there with exactly this content (a damaged copy does not count). */
    private static boolean holds(Path blob, byte[] content) {
        if (!intact(blob, content.length)) {
            return false;
        }
        try {
            return Arrays.equals(Files.readAllBytes(blob), content);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean intact(Path blob, long size) {
        try {
            FileStat stat = Posix.lstat(blob);
            return stat.regularFile() && stat.size() == size;
        } catch (PosixException e) {
            return false;
        }
    }
}
