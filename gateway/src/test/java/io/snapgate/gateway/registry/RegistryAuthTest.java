package io.snapgate.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.cli.Cli;
import io.snapgate.gateway.testing.CliRun;
import io.snapgate.gateway.testing.LocalRegistry;
import io.snapgate.gateway.testing.TokenService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push and pull against a registry that wants credentials, given in configuration (an auth file named by
 * {@code SNAPGATE_REGISTRY_AUTH}): basic authentication (htpasswd), and bearer tokens from a token service that
 * takes the same credentials. Without them, or with a wrong password, the command fails saying so.
 */
class RegistryAuthTest {
    @TempDir
    Path dir;
    LocalRegistry registry;
    TokenService tokens;

    @BeforeEach
    void examples() {
        LocalRegistry.assumeInstalled();
        CliRun examples = CliRun.of(Map.of(), "ls", "--store", store("built"), "--examples", "true");
        assertThat(examples.status()).as(examples.err()).isZero();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private String store(String name) {
        return dir.resolve(name).toString();
    }

    /** An auth file as {@code skopeo login} writes it, for the registry. */
    private Map<String, String> login(String user, String password) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path file = Files.writeString(dir.resolve("auth-" + user + "-" + password.length() + ".json"),
                "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        return Map.of("SNAPGATE_REGISTRY_AUTH", file.toString());
    }

    private CliRun push(Map<String, String> env) {
        return CliRun.of(env, "push", "--store", store("built"), "hello", registry.host() + "/private/hello:v1");
    }

    private CliRun pull(Map<String, String> env) {
        return CliRun.of(env, "pull", "--store", store("pulled"), registry.host() + "/private/hello:v1", "--tag",
                "hello");
    }

    @Test
    void basicAuthentication() throws IOException {
        registry = LocalRegistry.withBasicAuth(Files.createDirectories(dir.resolve("registry")), "alice", "s3cret");
        assertPushAndPullTakeTheConfiguredCredentialsOnly();
    }

    @Test
    void bearerTokensFromTheRegistrysTokenService() throws IOException {
        Path registryDir = Files.createDirectories(dir.resolve("registry"));
        tokens = TokenService.start(registryDir, "alice", "s3cret");
        registry = LocalRegistry.withTokenAuth(registryDir, tokens);
        assertPushAndPullTakeTheConfiguredCredentialsOnly();
        // The registry names a scope's actions in either order ("push,pull" or "pull,push").
        assertThat(tokens.requests().stream().map(RegistryAuthTest::sortedActions).toList())
                .as("tokens asked with the credentials, for the repository")
                .contains("user repository:private/hello:pull,push", "user repository:private/hello:pull");
    }

    /** "who repository:NAME:b,a" with its actions sorted: "who repository:NAME:a,b". */
    private static String sortedActions(String request) {
        int colon = request.lastIndexOf(':');
        return request.substring(0, colon + 1)
                + String.join(",", new TreeSet<>(List.of(request.substring(colon + 1).split(","))));
    }

    private void assertPushAndPullTakeTheConfiguredCredentialsOnly() throws IOException {
        CliRun anonymous = push(Map.of());
        assertThat(anonymous.status()).isEqualTo(Cli.FAILED);
        assertThat(anonymous.err()).contains("registry " + registry.host()
                + " asks for credentials, and registryAuth holds none for it");
        CliRun wrong = push(login("alice", "wrong"));
        assertThat(wrong.status()).isEqualTo(Cli.FAILED);
        assertThat(wrong.err()).contains("registry " + registry.host()
                + " refused the credentials registryAuth gives for it").doesNotContain("wrong");

        CliRun push = push(login("alice", "s3cret"));
        assertThat(push.status()).as(push.err()).isZero();
        assertThat(pull(Map.of()).status()).as("pulls need the credentials too").isEqualTo(Cli.FAILED);
        CliRun pull = pull(login("alice", "s3cret"));
        assertThat(pull.status()).as(pull.err()).isZero();
        CliRun call = CliRun.of(Map.of(), "call", "--store", store("pulled"), "hello", "greet", "alice");
        assertThat(call.out().strip()).isEqualTo("\"Hello, alice!\"");
    }
}
