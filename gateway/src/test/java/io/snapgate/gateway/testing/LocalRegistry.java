package io.snapgate.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Distribution registry (Debian's {@code docker-registry}, the registry most others derive from) started for a
 * test on a free port of 127.0.0.1 only, its storage in the test's directory: anonymous, with htpasswd basic
 * authentication, or with bearer tokens from a {@link TokenService}. A test that needs it is skipped, saying why,
 * where it is not installed. {@link #close} stops it.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START = Duration.ofSeconds(20);

    private final Process process;
    private final Path dir;
    private final int port;

    private LocalRegistry(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test, with the reason, unless docker-registry is installed. */
    public static void assumeInstalled() {
        assumeTrue(binary().isPresent(), "docker-registry (Debian's Distribution registry) is not installed, so"
                + " pushes and pulls are not tested here (apt-get install docker-registry;"
                + " scripts/ensure-deps.sh --test installs it)");
    }

    /** A registry anyone may push to and pull from. */
    public static LocalRegistry anonymous(Path dir) {
        return start(dir, "");
    }

    /** A registry that takes {@code user} and {@code password} only (htpasswd, bcrypt, as the registry wants). */
    public static LocalRegistry withBasicAuth(Path dir, String user, String password) {
        Path htpasswd = write(dir.resolve("htpasswd"), user + ":" + Crypt.LIB.crypt(password,
                "$2b$05$snapgatetestsaltsaltsu") + "\n");
        return start(dir, "auth:\n  htpasswd:\n    realm: snapgate-test\n    path: " + htpasswd + "\n");
    }

    /** A registry that takes the bearer tokens {@code tokens} issues. */
    public static LocalRegistry withTokenAuth(Path dir, TokenService tokens) {
        return start(dir, "auth:\n  token:\n    realm: " + tokens.realm() + "\n    service: " + TokenService.SERVICE
                + "\n    issuer: " + TokenService.ISSUER + "\n    rootcertbundle: " + tokens.certificate() + "\n");
    }

    private static LocalRegistry start(Path dir, String auth) {
        int port = FreePort.onLoopback();
        Path config = write(dir.resolve("registry.yml"), "version: 0.1\nlog:\n  level: warn\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data") + "\n  delete:\n"
                + "    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
        Path log = dir.resolve("registry.log");
        try {
            Process process = new ProcessBuilder(binary().orElseThrow().toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LocalRegistry registry = new LocalRegistry(process, dir, port);
            registry.awaitUp(log);
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * How many {@code method} requests to {@code path} ({@code /v2/REPO/manifests/TAG}) the registry has logged: its
     * access log, which it writes as it finishes each response.
     */
    public long requests(String method, String path) {
        String line = "\"" + method + " " + path + " HTTP/";
        return read(dir.resolve("registry.log")).lines().filter(l -> l.contains(line)).count();
    }

    /**
     * Flips one bit (of byte 8192) of a blob the registry holds, as damaged or tampered storage would: the registry
     * still serves it under its digest.
     */
    public void tamper(String digest) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(blobData(digest).toFile(), "rw")) {
            file.seek(8192);
            int b = file.read();
            file.seek(8192);
            file.write(b ^ 1);
        }
    }

    /** Where the registry keeps a blob's bytes (its filesystem storage driver's layout). */
    private Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    private void awaitUp(Path log) {
        try {
            Waits.until("docker-registry answers on " + host(), START, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("docker-registry exited " + process.exitValue() + ": "
                            + read(log));
                }
                return answers();
            });
        } catch (AssertionError | RuntimeException e) {
            close();
            throw new IllegalStateException(e.getMessage() + "; its log: " + read(log), e);
        }
    }

    /** Whether {@code GET /v2/} answers as a registry does (200, or 401 with authentication). */
    private boolean answers() {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 401;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker-registry");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** crypt(3) of libcrypt, which makes the bcrypt hashes htpasswd files hold. */
    private interface Crypt extends Library {
        Crypt LIB = Native.load("crypt", Crypt.class);

        String crypt(String key, String salt);
    }
}
