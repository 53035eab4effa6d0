package io.snapgate.store.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A new file with a unique name starting {@link AtomicFiles#TEMP_PREFIX}, created exclusively with its final
 * permissions, to be {@linkplain #moveTo moved} over its target once written. Closing a temp file that was
 * not moved deletes it. Every step goes through {@link Posix}, so a failure carries its errno: a full file
 * system is {@link PosixException#noSpace()}, whichever step ran out of room.
 */
public final class TempFile implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    private final int fd;
    private final WritableByteChannel channel = new Appender();
    private long written;
    private boolean open = true;
    private boolean moved;

    private TempFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Creates one in {@code dir} (O_CREAT|O_EXCL, no symlink followed) with permission bits {@code mode}. */
    public static TempFile create(Path dir, int mode) {
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path path = dir.resolve(AtomicFiles.TEMP_PREFIX + HexFormat.of().formatHex(suffix));
        return new TempFile(path, Posix.create(path, Posix.O_WRONLY | Posix.O_EXCL | Posix.O_NOFOLLOW, mode));
    }

    public Path path() {
        return path;
    }

    /** Where to write the content: each write appends. */
    public WritableByteChannel channel() {
        return channel;
    }

    /** Makes the content durable ({@code fsync}), closes, and renames over {@code target} in the same directory. */
    public void moveTo(Path target) {
        if (!Objects.equals(target.toAbsolutePath().getParent(), path.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException(target + " is not in the temp file's directory " + path.getParent());
        }
        Posix.fsync(fd, path);
        closeDescriptor();
        Posix.rename(path, target);
        moved = true;
    }

    @Override
    public void close() {
        if (moved) {
            return;
        }
        try {
            closeDescriptor();
        } finally {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("remove " + path, e);
            }
        }
    }

    private void closeDescriptor() {
        if (open) {
            open = false;
            Posix.close(fd);
        }
    }

    /** Writes at the end of what was written so far. */
    private final class Appender implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int n = src.remaining();
            Posix.writeFully(fd, src, written, path);
            written += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            closeDescriptor();
        }
    }
}
