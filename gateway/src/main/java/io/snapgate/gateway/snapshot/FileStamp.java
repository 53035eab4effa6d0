package io.snapgate.gateway.snapshot;

import io.snapgate.store.fs.Posix;
import io.snapgate.store.fs.PosixException;
import java.nio.file.Path;
import java.util.Optional;

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
            return new Unreadable(e.getMessage()); // equal to nothing: the next lookup goes to the store
        }
    }

    /** Why the file could not be read when {@code stamp} was taken, or empty if it could. */
    public static Optional<String> problem(Object stamp) {
        return stamp instanceof Unreadable u ? Optional.of(u.why()) : Optional.empty();
    }

    /** Identity equality (a record's would make two failures equal): an unreadable file matches no stamp. */
    private static final class Unreadable {
        private final String why;

        Unreadable(String why) {
            this.why = why;
        }

        String why() {
            return why;
        }
    }
}
