package io.snapgate.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Drives skopeo (Debian's package; scripts/ensure-deps.sh installs it), the standard tool that copies images
 * between OCI layouts and registries, to test the layouts it writes. A test that needs it is skipped, saying why,
 * where it is not installed.
 */
public final class Skopeo {
    private static final long TIMEOUT_SECONDS = 120;

    private Skopeo() {
    }

    /** Skips the calling test, with the reason, unless skopeo runs here. */
    public static void assumeInstalled() {
        assumeTrue(runs(), "skopeo is not installed, so the layouts it writes are not tested here"
                + " (apt-get install skopeo; scripts/ensure-deps.sh installs it)");
    }

    /** {@code skopeo copy oci:FROM:FROM_TAG oci:TO:TO_TAG}, which must succeed. */
    public static void copy(Path from, String fromTag, Path to, String toTag) {
        transfer("oci:" + from + ":" + fromTag, "oci:" + to + ":" + toTag);
    }

    /** {@code skopeo copy docker://REF oci:TO:TO_TAG} from a registry on loopback. */
    public static void copyFromRegistry(String ref, Path to, String toTag) {
        transfer("docker://" + ref, "oci:" + to + ":" + toTag);
    }

    /**
     * {@code skopeo copy SOURCE DESTINATION} (each {@code transport:reference}), which must succeed; a registry is
     * spoken to over plain HTTP (the tests' are on loopback).
     */
    public static void transfer(String source, String destination) {
        String out = run("skopeo", "--insecure-policy", "copy", "--quiet", "--src-tls-verify=false",
                "--dest-tls-verify=false", source, destination);
        assertThat(out).as("skopeo copy").doesNotContain("level=error");
    }

    private static boolean runs() {
        try {
            run("skopeo", "--version");
            return true;
        } catch (UncheckedIOException | AssertionError e) {
            return false;
        }
    }

    /** Runs a command to its end; returns its output; fails the test when it fails. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ended).as(String.join(" ", command) + " ended within " + TIMEOUT_SECONDS + " s").isTrue();
            assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
