package io.snapgate.store.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The writers' exclusive lock on a store: a JVM-wide lock per lock file, then an {@code fcntl} lock
 * ({@link FileChannel#lock()}) on it for other processes. The JVM-wide lock comes first because file locks
 * belong to the process: a second thread asking for one the process holds gets
 * {@link java.nio.channels.OverlappingFileLockException}, and closing any descriptor of the file would drop
 * it. Readers never lock.
 */
final class StoreLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;

    private StoreLock(ReentrantLock local, FileChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    /**
     * Runs {@code body} holding the store's lock (its lock file's path is real, so that aliases share it),
     * blocking until it is free.
     */
    static <T> T holding(StorePaths paths, Supplier<T> body) {
        StoreLock held = acquire(paths);
        try {
            return body.get();
        } finally {
            held.close();
        }
    }

    private static StoreLock acquire(StorePaths paths) {
        Path lockFile = paths.lock();
        ReentrantLock local = IN_THIS_JVM.computeIfAbsent(lockFile, p -> new ReentrantLock());
        if (local.isHeldByCurrentThread()) {
            throw new IllegalStateException("this thread already holds the store lock " + lockFile);
        }
        local.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            channel.lock(); // held until the channel closes
            return new StoreLock(local, channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            local.unlock();
            if (e instanceof NoSuchFileException && !Files.isDirectory(paths.dir(), LinkOption.NOFOLLOW_LINKS)) {
                throw paths.gone();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("lock " + lockFile, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Closing the channel releases the file lock, even when release() alone would fail. */
    private void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("unlock store", e);
        } finally {
            local.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }
}
