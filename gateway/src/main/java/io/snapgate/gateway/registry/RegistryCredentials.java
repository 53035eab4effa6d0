package io.snapgate.gateway.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapgate.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Registry credentials from configuration (the {@code registryAuth} setting), never from the command line: a
 * containers auth file as {@code skopeo login}, {@code podman login} and {@code docker login} write it,
 * {@code {"auths": {"REGISTRY": {"auth": base64(user:password)}}}} ({@code username} and {@code password} apart
 * work too; {@code registrytoken} is a bearer token sent as it is). Read at each push or pull, so an edited file
 * applies without a restart.
 */
public final class RegistryCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to answer a registry's challenge with: a user and password, or a ready bearer token. */
    record Login(String username, String password, String token) {
        /** Never the secrets, should it reach a log. */
        @Override
        public String toString() {
            return token != null ? "Login[a registry token]" : "Login[" + username + "]";
        }
    }

    private final Optional<Path> file;

    /** {@code file}: the auth file; empty: anonymous access only. */
    public RegistryCredentials(Optional<Path> file) {
        this.file = file;
    }

    /** The login the file holds for {@code registry} (host or host:port), if any. */
    Optional<Login> forRegistry(String registry) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        JsonNode auths = read(file.get()).path("auths");
        JsonNode entry = auths.path(registry);
        if (entry.isMissingNode()) {
            entry = auths.path("https://" + registry); // docker writes some keys as URLs
        }
        if (!entry.isObject()) {
            return Optional.empty();
        }
        String where = file.get() + " auths." + registry;
        if (entry.hasNonNull("registrytoken")) {
            return Optional.of(new Login(null, null, text(entry, "registrytoken", where)));
        }
        if (entry.hasNonNull("auth")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(text(entry, "auth", where)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ".auth is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new ConfigException(where + ".auth is not base64 of user:password");
            }
            return Optional.of(new Login(decoded.substring(0, colon), decoded.substring(colon + 1), null));
        }
        if (entry.hasNonNull("username")) {
            return Optional.of(new Login(text(entry, "username", where), text(entry, "password", where), null));
        }
        return Optional.empty();
    }

    private static String text(JsonNode entry, String field, String where) {
        JsonNode value = entry.path(field);
        if (!value.isTextual()) {
            throw new ConfigException(where + "." + field + " is not a string");
        }
        return value.asText();
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ConfigException("registryAuth " + file + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("registryAuth " + file + " cannot be read: " + e);
        }
    }
}
