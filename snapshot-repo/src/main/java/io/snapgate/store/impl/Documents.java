package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.fs.Errno;
import io.snapgate.store.fs.FileStat;
import io.snapgate.store.fs.FileTooLargeException;
import io.snapgate.store.fs.OpenFile;
import io.snapgate.store.fs.PosixException;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Digest;
import java.nio.file.Path;

/**
 * Opening and reading the store's files, with every failure turned into the {@link Problem} it is: no file,
 * a symbolic link, not a regular file, too large, truncated, or not the content its digest names.
 */
final class Documents {
    private Documents() {
    }

    /** Opens without following a symbolic link; {@code missing} is the problem when there is no such file. */
    static OpenFile open(Path file, Problem missing, String what) {
        try {
            return OpenFile.readOnly(file);
        } catch (PosixException e) {
            throw switch (e.errno()) {
                case Errno.ENOENT -> new SnapshotFormatException(missing, what + " " + file + " does not exist");
                case Errno.ELOOP -> new SnapshotFormatException(Problem.SYMLINK, what + " " + file
                        + " is a symbolic link; the store only reads regular files");
                case Errno.ENXIO -> new SnapshotFormatException(Problem.NOT_REGULAR_FILE, what + " " + file
                        + " is a socket or device, not a regular file");
                default -> new SnapshotFormatException(Problem.IO_ERROR, what + ": " + e.getMessage(), e);
            };
        }
    }

    /** {@code fstat}, refusing anything but a regular file. */
    static FileStat regular(OpenFile file, String what) {
        FileStat stat = stat(file, what);
        if (!stat.regularFile()) {
            throw new SnapshotFormatException(Problem.NOT_REGULAR_FILE, what + " " + file.path() + " is a "
                    + stat.typeName() + ", not a regular file");
        }
        return stat;
    }

    static FileStat stat(OpenFile file, String what) {
        try {
            return file.stat();
        } catch (PosixException e) {
            throw new SnapshotFormatException(Problem.IO_ERROR, what + ": " + e.getMessage(), e);
        }
    }

    /** A whole JSON file such as {@code index.json}, refused unread when over {@link StrictJson#MAX_DOCUMENT}. */
    static byte[] read(Path file, Problem missing, String what) {
        try (OpenFile f = open(file, missing, what)) {
            return readAll(f, regular(f, what), what);
        }
    }

    /**
     * A small blob (manifest or config): regular, at most 1 MiB, exactly {@code expectedSize} bytes when that is
     * not negative, and hashing to {@code digest}.
     */
    static byte[] readBlob(Path file, Digest digest, long expectedSize, String what) {
        try (OpenFile f = open(file, Problem.MISSING_BLOB, what)) {
            FileStat stat = regular(f, what);
            if (expectedSize >= 0 && stat.size() != expectedSize) {
                throw sizeMismatch(what, stat.size(), expectedSize);
            }
            byte[] bytes = readAll(f, stat, what);
            if (expectedSize >= 0 && bytes.length != expectedSize) {
                throw sizeMismatch(what, bytes.length, expectedSize);
            }
            Digest actual = Digest.of(bytes);
            if (!actual.equals(digest)) {
                throw digestMismatch(what, actual, digest);
            }
            return bytes;
        }
    }

    static SnapshotFormatException sizeMismatch(String what, long actual, long expected) {
        return new SnapshotFormatException(Problem.SIZE_MISMATCH, what + " holds " + actual
                + " bytes, its descriptor says " + expected);
    }

    static SnapshotFormatException digestMismatch(String what, Digest actual, Digest expected) {
        return new SnapshotFormatException(Problem.DIGEST_MISMATCH, what + " hashes to " + actual + ", expected "
                + expected);
    }

    private static byte[] readAll(OpenFile f, FileStat stat, String what) {
        try {
            return f.readAll(stat.size(), StrictJson.MAX_DOCUMENT);
        } catch (FileTooLargeException e) {
            throw new SnapshotFormatException(Problem.DOCUMENT_TOO_LARGE, what + " " + f.path() + " holds " + e.size()
                    + " bytes, more than the " + e.limit() + " a JSON document may");
        } catch (PosixException e) {
            throw new SnapshotFormatException(Problem.IO_ERROR, what + ": " + e.getMessage(), e);
        }
    }
}
