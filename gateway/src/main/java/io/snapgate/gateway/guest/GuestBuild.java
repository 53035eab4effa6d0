package io.snapgate.gateway.guest;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds guest ELFs from C sources with the SDK, written under a cache folder as {@code sdk-<digest>} with its
 * objects compiled once ({@code make -f guest.mk sdk-objects}); each ELF keeps its own objects there too, so a
 * rebuild compiles only what changed. make's output goes to a writer as it comes. Needs gcc, make and musl-dev.
 */
public final class GuestBuild {
    /** What make takes in a file name without quoting trouble: no spaces, quotes, $, :, #, % or backslashes. */
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9._+,@=/~-]+");
    private static final String COMPILED = "objects/.compiled";

    private final Path sdk;
    private final Path cache;

    private GuestBuild(Path sdk, Path cache) {
        this.sdk = sdk;
        this.cache = cache;
    }

    /**
     * The SDK under {@code cache}, written and compiled unless an earlier build did; a lock file keeps two
     * builds from doing it at once. The compiler's messages go to {@code out}.
     */
    public static GuestBuild prepare(GuestSdk sdk, Path cache, PrintWriter out) throws IOException,
            InterruptedException {
        Path dir = cache.resolve("sdk-" + sdk.digest());
        Files.createDirectories(cache);
        try (FileChannel channel = FileChannel.open(cache.resolve("sdk-" + sdk.digest() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            if (!Files.exists(dir.resolve(COMPILED))) {
                sdk.writeTo(dir);
                out.println("compiling the guest SDK into " + dir + " (once)");
                if (make(List.of(plain(dir.resolve(GuestSdk.BUILD_RULES)), "SDK_BUILD=" + plain(dir.resolve("objects")),
                        "sdk-objects"), out) != 0) {
                    throw new GuestSdkException("the guest SDK did not compile (see the messages above)");
                }
                Files.createFile(dir.resolve(COMPILED));
            }
        }
        return new GuestBuild(dir, cache);
    }

    /**
     * Builds {@code elf} from {@code sources}; returns make's exit status (0 when the ELF was built and passed the
     * SDK's checks).
     */
    public int run(List<Path> sources, Path elf, boolean verbose, PrintWriter out) throws IOException,
            InterruptedException {
        StringBuilder list = new StringBuilder();
        for (Path source : sources) {
            if (!Files.isRegularFile(source)) {
                throw new GuestSdkException("no source file " + source);
            }
            if (!source.toString().endsWith(".c")) {
                throw new GuestSdkException(source + " is not a C source (.c)");
            }
            list.append(list.isEmpty() ? "" : " ").append(plain(source));
        }
        List<String> args = new ArrayList<>(List.of(plain(sdk.resolve(GuestSdk.BUILD_RULES)), "ELF=" + plain(elf),
                "SOURCES=" + list, "BUILD=" + plain(cache.resolve("objects").resolve(key(elf))),
                "SDK_BUILD=" + plain(sdk.resolve("objects"))));
        if (verbose) {
            args.add("V=1");
        }
        return make(args, out);
    }

    /** Runs {@code make -f <args>}, copying what it prints to {@code out}; returns its exit status. */
    private static int make(List<String> args, PrintWriter out) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("make", "--no-print-directory", "-f"));
        command.addAll(args);
        Process make;
        try {
            make = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new GuestSdkException("cannot run make (" + e.getMessage() + "): a guest is built with gcc, make"
                    + " and musl-dev (apt-get install gcc make musl-dev)");
        }
        make.getOutputStream().close();
        try (Reader in = new InputStreamReader(make.getInputStream(), StandardCharsets.UTF_8)) {
            char[] chunk = new char[8192];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
                out.flush();
            }
        }
        return make.waitFor();
    }

    private static String plain(Path path) {
        String s = path.toAbsolutePath().normalize().toString();
        if (!PLAIN_PATH.matcher(s).matches()) {
            throw new GuestSdkException("make cannot take the path " + s + ": use one without spaces, quotes or"
                    + " any of $:#%\\");
        }
        return s;
    }

    /** Where an ELF's objects go: named after its absolute path, so two guests never share them. */
    private static String key(Path elf) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                    elf.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
