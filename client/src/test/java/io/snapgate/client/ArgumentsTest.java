package io.snapgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Java values become the JSON the REST API documents (docs/api.md, "Values"). */
class ArgumentsTest {
    @Test
    void numbersStringsAndBooleansAreTheirJson() {
        assertThat(Arguments.json(1, 2L, (short) 3, (byte) 4, "five", true, null).encode())
                .isEqualTo("[1,2,3,4,\"five\",true,null]");
    }

    @Test
    void au64BeyondLongGoesAsItsDecimalStringAndASmallBigIntegerAsANumber() {
        assertThat(Arguments.json(new BigInteger("18446744073709551615"), BigInteger.TEN).encode())
                .isEqualTo("[\"18446744073709551615\",10]");
    }

    @Test
    void floatsThatJsonCannotWriteGoAsTheStringsTheGatewayReads() {
        assertThat(Arguments.json(Double.NaN, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5, 0.25f)
                .encode()).isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\",1.5,0.25]");
    }

    @Test
    void bytesGoAsStandardBase64() {
        assertThat(Arguments.json(new byte[] {(byte) 0xfb, (byte) 0xff}, Buffer.buffer(new byte[] {1, 2, 3}))
                .encode()).isEqualTo("[\"+/8=\",\"AQID\"]");
    }

    @Test
    void jsonValuesPassAsThey() {
        assertThat(Arguments.json(new JsonObject().put("a", 1), new JsonArray().add(2), Map.of("b", 3), List.of(4))
                .encode()).isEqualTo("[{\"a\":1},[2],{\"b\":3},[4]]");
    }

    @Test
    void aValueWithNoJsonFormIsRefusedNamingItsIndexAndType() {
        assertThatThrownBy(() -> Arguments.json(1, new Date()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 1 is a java.util.Date");
        assertThatThrownBy(() -> Arguments.json(Map.of(1, 2)))
                .hasMessageContaining("argument 0 is a Map with a key that is not a String: 1");
    }
}
