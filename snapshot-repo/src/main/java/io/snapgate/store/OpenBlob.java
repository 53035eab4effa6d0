package io.snapgate.store;

import io.snapgate.store.fs.FileStat;
import io.snapgate.store.fs.OpenFile;
import io.snapgate.store.fs.PosixException;
import java.nio.file.Path;

/**
 * The memory blob of a loaded snapshot, open ({@code O_RDONLY|O_NOFOLLOW|O_CLOEXEC|O_NONBLOCK}) and checked:
 * a regular file of exactly the config's memory size, and with a checked load, hashed on this descriptor.
 * The caller maps {@link #fd()} (MAP_PRIVATE), then calls {@link #recheck()} to make sure the file did not
 * change between the store's checks and the mapping, and closes it (or {@link #detach()}es the descriptor to
 * close it later itself).
 */
public final class OpenBlob implements AutoCloseable {
    private final OpenFile file;
    private final FileStat checked;

    /** For the store: {@code checked} is what the store verified ({@code fstat} of {@code file}). */
    public OpenBlob(OpenFile file, FileStat checked) {
        this.file = file;
        this.checked = checked;
    }

    public int fd() {
        return file.fd();
    }

    public long size() {
        return checked.size();
    }

    public long inode() {
        return checked.inode();
    }

    public long device() {
        return checked.device();
    }

    public Path path() {
        return file.path();
    }

    /** What the store checked: {@code fstat} of this descriptor before any check of the content. */
    public FileStat stat() {
        return checked;
    }

    /**
     * Takes {@code fstat} again and refuses ({@link Problem#BLOB_CHANGED}) if the size, inode, device or
     * modification time differs from what the store checked. Call it after mapping.
     */
    public void recheck() {
        FileStat now;
        try {
            now = file.stat();
        } catch (PosixException e) {
            throw new SnapshotFormatException(Problem.IO_ERROR, "recheck of " + file.path() + ": " + e.getMessage(), e);
        }
        if (!now.sameContentAs(checked)) {
            throw new SnapshotFormatException(Problem.BLOB_CHANGED, file.path() + " was " + describe(checked)
                    + " when checked and is " + describe(now) + " now");
        }
    }

    /** Hands the descriptor to the caller, who must close it; {@link #close()} then does nothing. */
    public int detach() {
        return file.detach();
    }

    @Override
    public void close() {
        file.close();
    }

    private static String describe(FileStat s) {
        return s.size() + " bytes, inode " + s.inode() + ", mtime " + s.mtimeSeconds() + "." + s.mtimeNanos();
    }

    @Override
    public String toString() {
        return "OpenBlob[" + file + ", " + checked.size() + " bytes]";
    }
}
