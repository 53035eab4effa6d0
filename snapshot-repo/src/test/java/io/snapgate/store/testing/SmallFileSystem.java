package io.snapgate.store.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real tmpfs of a few MiB mounted on a fresh directory, so that a test can fill it: the file system a full
 * disk is. Mounting needs root (CAP_SYS_ADMIN); without it the test is skipped, saying why. Closing unmounts
 * lazily: the mount point is free at once, and the file system goes when the last file on it is closed and
 * unmapped (pooled vCPU engines keep a guest's code mapped for the life of the JVM, on purpose).
 */
public final class SmallFileSystem implements AutoCloseable {
    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code bytes} (rounded up to pages) on a new directory under {@code parent}. */
    public static SmallFileSystem mount(Path parent, long bytes) throws IOException, InterruptedException {
        Path mountPoint = Files.createDirectory(parent.resolve("small-fs"));
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0755", "snapgate-test-tmpfs",
                mountPoint.toString());
        Assumptions.assumeTrue(failure == null, () -> "cannot mount a tmpfs to fill (needs root): " + failure);
        return new SmallFileSystem(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failure = run("umount", "--lazy", mountPoint.toString());
        if (failure != null) {
            throw new IOException("umount " + mountPoint + ": " + failure);
        }
    }

    /** Null when the command exits 0, else what it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish within 30 s";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return process.exitValue() == 0 ? null : String.join(" ", command) + " exited " + process.exitValue() + ": "
                + output;
    }
}
