package io.snapgate.gateway.console;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One file of the console, read from the jar once: its bytes, media type and an ETag of its content. */
record ConsoleAsset(String name, String contentType, Buffer body, String etag) {
    static final String RESOURCES = "/io/snapgate/gateway/console/";

    static ConsoleAsset load(String name) {
        try (InputStream in = ConsoleAsset.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar (" + RESOURCES
                        + name + ")");
            }
            byte[] bytes = in.readAllBytes();
            return new ConsoleAsset(name, contentType(name), Buffer.buffer(bytes), etag(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the console's " + name + " from the jar", e);
        }
    }

    private static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalArgumentException("no media type for the console's " + name);
        };
    }

    /** A strong validator: the first 128 bits of the content's SHA-256. */
    private static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + HexFormat.of().formatHex(hash, 0, 16) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
