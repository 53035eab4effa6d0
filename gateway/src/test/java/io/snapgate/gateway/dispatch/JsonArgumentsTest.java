package io.snapgate.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.ValueType;
import io.vertx.core.json.JsonArray;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class JsonArgumentsTest {
    private static Object one(ValueType type, String json) {
        FunctionSignature f = FunctionSignature.of("f", ValueType.VOID, type);
        return JsonArguments.coerce(f, new JsonArray("[" + json + "]"))[0];
    }

    @Test
    void coercesEveryType() {
        assertThat(one(ValueType.I32, "-7")).isEqualTo(-7);
        assertThat(one(ValueType.U32, "4294967295")).isEqualTo(4294967295L);
        assertThat(one(ValueType.I64, "\"-9223372036854775808\"")).isEqualTo(Long.MIN_VALUE);
        assertThat(one(ValueType.U64, "18446744073709551615")).isEqualTo(-1L);
        assertThat(one(ValueType.U64, "\"18446744073709551615\"")).isEqualTo(-1L);
        assertThat(one(ValueType.F32, "1.5")).isEqualTo(1.5f);
        assertThat(one(ValueType.F64, "2")).isEqualTo(2.0);
        assertThat((Double) one(ValueType.F64, "\"NaN\"")).isNaN();
        assertThat(one(ValueType.BOOL, "true")).isEqualTo(true);
        assertThat(one(ValueType.STRING, "\"hé\"")).isEqualTo("hé");
        assertThat((byte[]) one(ValueType.BYTES, "\"AQID/w==\"")).containsExactly(1, 2, 3, 255);
        assertThat((byte[]) one(ValueType.BYTES, "\"AQID_w\"")).containsExactly(1, 2, 3, 255);
    }

    @Test
    void wrongTypeNamesTheArgumentAndTheTypeExpected() {
        FunctionSignature add = FunctionSignature.of("add", ValueType.I32, ValueType.I32, ValueType.I32);
        assertThatThrownBy(() -> JsonArguments.coerce(add, new JsonArray("[1, \"forty\"]")))
                .isInstanceOf(GatewayException.class)
                .hasMessage("argument 1 of add(i32, i32) -> i32: expected i32 (a JSON integer from -2147483648 to "
                        + "2147483647), got \"forty\"")
                .extracting(e -> ((GatewayException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void outOfRangeAndNegativeUnsignedAreRefused() {
        assertThatThrownBy(() -> one(ValueType.I32, "2147483648")).hasMessageContaining("out of range for i32");
        assertThatThrownBy(() -> one(ValueType.U64, "-1")).hasMessageContaining("expected u64")
                .hasMessageContaining("-1 is out of range for u64");
        assertThatThrownBy(() -> one(ValueType.U32, "1.5")).hasMessageContaining("got 1.5");
        assertThatThrownBy(() -> one(ValueType.I32, "\"12\"")).as("only 64-bit integers take strings")
                .hasMessageContaining("expected i32");
        assertThatThrownBy(() -> one(ValueType.BYTES, "\"not base64!\"")).hasMessageContaining("expected bytes")
                .hasMessageContaining(": not base64: ");
    }

    @Test
    void aNumberBeyondTheFloatsRangeIsRefusedNotMadeInfinite() {
        assertThatThrownBy(() -> one(ValueType.F32, "1e39")).hasMessageContaining("got 1.0E39: beyond the range"
                + " of f32; send \"Infinity\" or \"-Infinity\" for an infinity");
        assertThatThrownBy(() -> one(ValueType.F64, "-1e309")).hasMessageContaining("beyond the range of f64");
        assertThat(one(ValueType.F32, "3.4028235e38")).isEqualTo(Float.MAX_VALUE);
        assertThat(one(ValueType.F64, "1e308")).isEqualTo(1e308);
        assertThat(one(ValueType.F32, "\"-Infinity\"")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(one(ValueType.F64, "1e-400")).as("underflow rounds to zero, as IEEE 754 does").isEqualTo(0.0);
    }

    @Test
    void wrongCountSaysHowMany() {
        FunctionSignature noop = FunctionSignature.of("noop", ValueType.VOID);
        assertThatThrownBy(() -> JsonArguments.coerce(noop, new JsonArray("[1]")))
                .hasMessage("noop() -> void takes 0 arguments, got 1");
    }

    @Test
    void resultsAreExactJson() {
        assertThat(JsonResults.encode(ValueType.U64, -1L)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(JsonResults.encode(ValueType.BYTES, new byte[] {1, 2, 3, (byte) 255})).isEqualTo("AQID/w==");
        assertThat(JsonResults.encode(ValueType.F64, Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(JsonResults.encode(ValueType.VOID, null)).isNull();
    }
}
