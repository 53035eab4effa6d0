package io.snapgate.store.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {
    record Point(long x, String name, List<String> tags) {
    }

    @Test
    void writesDeterministicallyAndReadsBack() {
        Point p = new Point(7, "a", List.of("t"));
        byte[] json = StrictJson.write(p);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"x\":7,\"name\":\"a\",\"tags\":[\"t\"]}");
        assertThat(StrictJson.read(json, Point.class, "point")).isEqualTo(p);
        assertThat(new String(StrictJson.write(Map.of("b", 1, "a", 2)), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":2,\"b\":1}");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "{\"x\":1,\"name\":\"a\",\"tags\":[],\"x\":2}",
        "{\"x\":\"1\",\"name\":\"a\",\"tags\":[]}",
        "{\"x\":1.5,\"name\":\"a\",\"tags\":[]}",
        "{\"x\":1e3,\"name\":\"a\",\"tags\":[]}",
        "{\"x\":true,\"name\":\"a\",\"tags\":[]}",
        "{\"x\":1,\"name\":5,\"tags\":[]}",
        "{\"x\":1,\"name\":\"a\",\"tags\":[]} {}",
        "{\"x\":1,\"name\":\"a\"}",
        "{\"x\":null,\"name\":\"a\",\"tags\":[]}",
        "{\"x\":99999999999999999999,\"name\":\"a\",\"tags\":[]}",
        "\u0000\u0000\u0000{",
        " "})
    void refusesWhatIsNotExactlyTheDocument(String json) {
        assertThatThrownBy(() -> StrictJson.read(json.getBytes(StandardCharsets.UTF_8), Point.class, "point"))
                .isInstanceOfSatisfying(SnapshotFormatException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_JSON))
                .hasMessageStartingWith("malformed JSON: point");
    }

    @Test
    void namesAnUnknownFieldAndWhereItIs() {
        byte[] json = "{\"x\":1,\"name\":\"a\",\"tags\":[],\"z\":0}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StrictJson.read(json, Point.class, "point"))
                .isInstanceOfSatisfying(SnapshotFormatException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_FIELD))
                .hasMessageContaining("\"z\"");
    }

    @Test
    void aDocumentThatIsJustNullIsRefusedByName() {
        byte[] json = " null ".getBytes(StandardCharsets.UTF_8);
        for (var read : List.<Runnable>of(() -> StrictJson.read(json, Point.class, "index.json"),
                () -> StrictJson.readExtensible(json, Point.class, "index.json"))) {
            assertThatThrownBy(read::run)
                    .isInstanceOfSatisfying(SnapshotFormatException.class,
                            e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_JSON))
                    .hasMessageContaining("index.json is null, expected a JSON object");
        }
    }

    @Test
    void anExtensibleDocumentMayMissOptionalComponentsAndHaveUnknownOnes() {
        byte[] json = "{\"x\":1,\"platform\":{\"os\":\"linux\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(StrictJson.readExtensible(json, Point.class, "point")).isEqualTo(new Point(1, null, null));
    }

    @Test
    void anExtensibleDocumentStillRefusesDuplicateKeysAndWrongTypes() {
        for (String json : List.of("{\"x\":1,\"x\":2}", "{\"x\":\"1\"}", "{\"x\":1,\"name\":7}")) {
            assertThatThrownBy(() -> StrictJson.readExtensible(json.getBytes(StandardCharsets.UTF_8), Point.class,
                    "point")).as(json).isInstanceOfSatisfying(SnapshotFormatException.class,
                            e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_JSON));
        }
        byte[] twice = "{\"a\":{\"b\":1,\"b\":2}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StrictJson.readTree(twice, "index.json"))
                .isInstanceOfSatisfying(SnapshotFormatException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED_JSON))
                .hasMessageContaining("Duplicate field 'b'");
    }

    @Test
    void refusesMoreThanOneMebibyteUnparsed() {
        byte[] huge = new byte[StrictJson.MAX_DOCUMENT + 1];
        assertThatThrownBy(() -> StrictJson.read(huge, Point.class, "point"))
                .isInstanceOfSatisfying(SnapshotFormatException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.DOCUMENT_TOO_LARGE));
    }
}
