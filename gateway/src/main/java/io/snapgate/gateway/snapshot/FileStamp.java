package io.snapgate.gateway.snapshot;

import io.snapgate.store.fs.Posix;
import io.snapgate.store.fs.PosixException;
import java.nio.file.Path;

/**
 * Tells whether a file may have changed, with one {@code statx}: a new device, inode, mode, size or modification
 * time. The store replaces {@code index.json} atomically on every write (so a new stamp means new tags), and never
 * rewrites a blob in place (so an unchanged stamp means an unchanged blob). Cheap enough for every call: the
 * store's own {@link Posix#lstat}, no attribute objects or strings.
 */
public final class FileStamp {
    private FileStamp() {
    }

    /** A value equal to an earlier one only while the file is unchanged. */
    public static Object of(Path file) {
        try {
            return Posix.lstat(file);
        } catch (PosixException e) {
            return new Unreadable(); // equal to nothing: the next lookup goes to the store and reports the problem
        }
    }

    /** Whether the file could be read when {@code stamp} was taken. */
    public static boolean readable(Object stamp) {
        return !(stamp instanceof Unreadable);
    }

    private static final class Unreadable {
    }
}
