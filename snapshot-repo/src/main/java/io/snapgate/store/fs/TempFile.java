package io.snapgate.store.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * A new file with a unique name starting {@link AtomicFiles#TEMP_PREFIX}, created exclusively with its final
 * permissions, to be {@linkplain #moveTo moved} over its target once written. Closing a temp file that was
 * not moved deletes it.
 */
public final class TempFile implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    private final FileChannel channel;
    private boolean moved;

    private TempFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates one in {@code dir} (O_CREAT|O_EXCL, no symlink followed) with permission bits {@code mode}. */
    public static TempFile create(Path dir, int mode) {
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path path = dir.resolve(AtomicFiles.TEMP_PREFIX + HexFormat.of().formatHex(suffix));
        try {
            FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(permissions(mode)));
            return new TempFile(path, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Where to write the content. */
    public WritableByteChannel channel() {
        return channel;
    }

    /** Makes the content durable ({@code fsync}), closes, and renames over {@code target} in the same directory. */
    public void moveTo(Path target) {
        try {
            channel.force(true);
            channel.close();
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalArgumentException(target + " is not in the temp file's directory " + path.getParent(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("rename " + path + " to " + target, e);
        }
    }

    @Override
    public void close() {
        if (moved) {
            return;
        }
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + path, e);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder rwx = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }
}
