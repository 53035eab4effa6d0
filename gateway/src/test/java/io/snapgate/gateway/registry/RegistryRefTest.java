package io.snapgate.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.gateway.error.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registry references as docker and skopeo write them, and the WWW-Authenticate challenges registries send. */
class RegistryRefTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void parsesTagsDigestsAndWhereToSpeak() {
        RegistryRef tagged = RegistryRef.parse("registry.example.com/team/snapshots/hello:v1.2");
        assertThat(tagged).isEqualTo(new RegistryRef("registry.example.com", "team/snapshots/hello", "v1.2"));
        assertThat(tagged.base()).hasToString("https://registry.example.com/v2/team/snapshots/hello/");
        assertThat(tagged.byDigest()).isFalse();

        RegistryRef pinned = RegistryRef.parse("127.0.0.1:5000/hello@" + DIGEST);
        assertThat(pinned.byDigest()).isTrue();
        assertThat(pinned.base()).as("loopback: plain HTTP").hasToString("http://127.0.0.1:5000/v2/hello/");
        assertThat(pinned).hasToString("127.0.0.1:5000/hello@" + DIGEST);
        assertThat(RegistryRef.parse("localhost:5000/a:b").base().getScheme()).isEqualTo("http");
        assertThat(RegistryRef.parse("[::1]:5000/a:b").base().getScheme()).isEqualTo("http");
        assertThat(RegistryRef.parse("10.0.0.1:5000/a:b").base().getScheme()).isEqualTo("https");
        assertThat(RegistryRef.parse("localhost.example.com/a:b").base().getScheme())
                .as("a name is never resolved to choose plain HTTP").isEqualTo("https");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"hello:v1", "hello/x:v1", "registry.example.com/hello", "registry.example.com/Hello:v1",
            "registry.example.com/hello:../x", "registry.example.com/a//b:v1", "registry.example.com/hello@sha256:1",
            "registry.example.com/:v1", "reg istry.example.com/a:v1", "/a:v1", ""})
    void refusesWhatIsNotAReferenceSayingWhy(String ref) {
        assertThatThrownBy(() -> RegistryRef.parse(ref)).satisfies(e -> assertThat(Errors.from(e).status())
                .isEqualTo(400));
    }

    @Test
    void challengesWithQuotedCommas() {
        Challenge bearer = Challenge.parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry\","
                + "scope=\"repository:team/hello:pull,push\"");
        assertThat(bearer.scheme()).isEqualTo("bearer");
        assertThat(bearer.param("realm")).isEqualTo("https://auth.example.com/token");
        assertThat(bearer.param("scope")).isEqualTo("repository:team/hello:pull,push");
        assertThat(bearer.param("service")).isEqualTo("registry");
        Challenge basic = Challenge.parse("Basic realm=\"Registry Realm\"");
        assertThat(basic.scheme()).isEqualTo("basic");
        assertThat(basic.param("realm")).isEqualTo("Registry Realm");
    }
}
