package io.snapgate.gateway.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guest SDK the jar carries as the class path resources {@code snapgate-sdk/<file>}, listed in
 * {@code snapgate-sdk/files} (the guests module's build writes both): what a guest is built with.
 */
public final class GuestSdk {
    private static final String ROOT = "/snapgate-sdk/";
    /** The build rules: {@code make -f <sdk>/guest.mk ELF=... SOURCES=...}. */
    public static final String BUILD_RULES = "guest.mk";

    private final Map<String, byte[]> files;

    private GuestSdk(Map<String, byte[]> files) {
        this.files = files;
    }

    /** The SDK on the class path. */
    public static GuestSdk fromClassPath() {
        String list = new String(resource("files"), StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : list.split("\n")) {
            if (!name.isBlank()) {
                files.put(name, resource(name));
            }
        }
        return new GuestSdk(files);
    }

    private static byte[] resource(String name) {
        try (InputStream in = GuestSdk.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the guest SDK's " + name + " is not on the class path ("
                        + ROOT + name + "): the guests module was not built");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest SDK's " + name, e);
        }
    }

    /** The starter guest {@code snapgate guest new} writes, with {@code NAME} replaced by {@code name}. */
    public String starter(String name) {
        return new String(files.get("starter.c"), StandardCharsets.UTF_8).replace("NAME", name);
    }

    /** The first 16 hex digits of the SHA-256 of every file's name and bytes: which SDK this is. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.forEach((name, bytes) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Writes every file under {@code dir} (created when missing), replacing files of the same name. */
    public void writeTo(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
    }
}
