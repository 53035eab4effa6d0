package io.snapgate.store.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Durable, atomic replacement of a file: write a temp file in the same directory, {@code fsync} it, rename
 * it over the target, {@code fsync} the directory. A reader sees the old content or the new, never a mix;
 * after a crash the target holds one of the two, and at worst a stale temp file is left behind (its name
 * starts with {@link #TEMP_PREFIX}, so a cleaner can find it).
 */
public final class AtomicFiles {
    /** Every temp file's name starts with this. */
    public static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /** Replaces (or creates) {@code target} with {@code content}, permission bits {@code mode}. */
    public static void replace(Path target, byte[] content, int mode) {
        Path dir = target.toAbsolutePath().getParent();
        try (TempFile temp = TempFile.create(dir, mode)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                temp.channel().write(buffer);
            }
            temp.moveTo(target);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + target, e);
        }
        Posix.fsyncDirectory(dir);
    }

    /** True for the names {@link TempFile} gives. */
    public static boolean isTemp(Path file) {
        return file.getFileName().toString().startsWith(TEMP_PREFIX);
    }
}
