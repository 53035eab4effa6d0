package io.snapgate.gateway.metrics;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The bytes of the regular files under the store directory, and the bytes still free for it on its file system
 * (what an alert on a filling disk watches: a save that does not fit is refused, 507), re-measured off the event
 * loop every few seconds.
 */
public final class StoreSize {
    private static final long PERIOD_MS = 5_000;

    private final Path dir;
    private volatile long bytes;
    private volatile long free = -1;

    private StoreSize(Path dir) {
        this.dir = dir;
    }

    /** Measures at once and then periodically, on {@code vertx}'s worker pool (walking a directory blocks). */
    public static StoreSize watch(Vertx vertx, Path dir) {
        StoreSize size = new StoreSize(dir);
        vertx.setPeriodic(1, PERIOD_MS, id -> vertx.executeBlocking(() -> {
            size.measure();
            return null;
        }, false));
        return size;
    }

    public long bytes() {
        return bytes;
    }

    /** Bytes an unprivileged writer may still use on the store's file system; -1 before the first measure. */
    public long free() {
        return free;
    }

    private void measure() {
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            // the directory went away: keep the last measure (saves and loads say what is wrong)
        }
        try (Stream<Path> files = Files.walk(dir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(StoreSize::size).sum();
        } catch (IOException | UncheckedIOException e) {
            // a file removed while walking: keep the last measure
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
