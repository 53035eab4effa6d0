package io.snapgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** A result is read as the Java type its JSON stands for, or refused naming the value. */
class CallResultTest {
    private static CallResult of(String answer) {
        return CallResult.fromJson(new JsonObject(answer));
    }

    @Test
    void integersReadExactly() {
        assertThat(of("{\"result\":42,\"durationMicros\":7}").asInt()).isEqualTo(42);
        assertThat(of("{\"result\":42,\"durationMicros\":7}").durationMicros()).isEqualTo(7);
        assertThat(of("{\"result\":4294967295}").asLong()).isEqualTo(4294967295L);
        assertThat(of("{\"result\":18446744073709551615}").asBigInteger())
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThatThrownBy(() -> of("{\"result\":18446744073709551615}").asLong())
                .isInstanceOf(IllegalStateException.class).hasMessage("the result 18446744073709551615 is not a long");
        assertThatThrownBy(() -> of("{\"result\":4294967295}").asInt()).hasMessageContaining("is not an int");
        assertThatThrownBy(() -> of("{\"result\":1.5}").asLong()).hasMessageContaining("1.5 is not a long");
    }

    @Test
    void floatsReadTheirSpecialValuesFromStrings() {
        assertThat(of("{\"result\":\"NaN\"}").asDouble()).isNaN();
        assertThat(of("{\"result\":\"-Infinity\"}").asDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(of("{\"result\":0.5}").asDouble()).isEqualTo(0.5);
        assertThatThrownBy(() -> of("{\"result\":\"half\"}").asDouble())
                .hasMessage("the result \"half\" is not a double");
    }

    @Test
    void stringsBooleansBytesAndVoid() {
        assertThat(of("{\"result\":\"hi\"}").asString()).isEqualTo("hi");
        assertThat(of("{\"result\":true}").asBoolean()).isTrue();
        assertThat(of("{\"result\":\"AwIB\"}").asBytes()).containsExactly(3, 2, 1);
        assertThat(of("{\"result\":null}").isNull()).isTrue();
        assertThatThrownBy(() -> of("{\"result\":\"not base64!\"}").asBytes()).hasMessageContaining("is not bytes");
        assertThatThrownBy(() -> of("{\"result\":1}").asString()).hasMessage("the result 1 is not a string");
    }

    @Test
    void jsonResultsReadAsTheirJsonValues() {
        assertThat(of("{\"result\":{\"sum\":42,\"tags\":[\"a\"]}}").asJsonObject())
                .isEqualTo(new JsonObject().put("sum", 42).put("tags", new JsonArray().add("a")));
        assertThat(of("{\"result\":[1,{\"b\":null}]}").asJsonArray())
                .isEqualTo(new JsonArray().add(1).add(new JsonObject().putNull("b")));
        assertThatThrownBy(() -> of("{\"result\":[1]}").asJsonObject())
                .hasMessage("the result [1] is not a JSON object");
        assertThatThrownBy(() -> of("{\"result\":\"[1]\"}").asJsonArray())
                .hasMessage("the result \"[1]\" is not a JSON array");
    }
}
