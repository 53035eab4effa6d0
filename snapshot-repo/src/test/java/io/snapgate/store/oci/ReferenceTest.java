package io.snapgate.store.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"a", "_", "0", "v1.2.3", "my_app-2025.01", "A..b", "x--"})
    void validTags(String tag) {
        assertThat(Reference.parse(tag).tag().value()).isEqualTo(tag);
    }

    @Test
    void longestTag() {
        assertThat(new Tag("a".repeat(128)).value()).hasSize(128);
        assertThatThrownBy(() -> new Tag("a".repeat(129))).isInstanceOf(SnapshotFormatException.class);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"..", "../x", "a/b", "a\\b", ".", "-a", "a b", "a\n", "a\0b", "ü"})
    void invalidTags(String tag) {
        assertThatThrownBy(() -> new Tag(tag)).isInstanceOfSatisfying(SnapshotFormatException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_TAG));
    }

    @Test
    void aColonMakesADigest() {
        Reference ref = Reference.parse("sha256:" + HEX);
        assertThat(ref.isDigest()).isTrue();
        assertThat(ref.digest().hex()).isEqualTo(HEX);
        assertThat(ref.toString()).isEqualTo("sha256:" + HEX);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"sha256:", "sha256:" + "0", "sha384:" + HEX, "sha256:" + HEX + "0", "sha256:" + HEX + "\n",
            "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "app:latest"})
    void malformedDigests(String ref) {
        assertThatThrownBy(() -> Reference.parse(ref)).isInstanceOfSatisfying(SnapshotFormatException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_DIGEST))
                .hasMessageContaining("malformed digest");
    }

    @Test
    void digestOfBytes() {
        // sha256 of the empty string
        assertThat(Digest.of(new byte[0]).toString())
                .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
