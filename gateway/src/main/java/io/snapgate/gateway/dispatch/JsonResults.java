package io.snapgate.gateway.dispatch;

import io.snapgate.vmm.abi.JsonText;
import io.snapgate.vmm.abi.ValueType;
import io.vertx.core.json.Json;
import java.math.BigInteger;
import java.util.Base64;

/**
 * A call's result as JSON: integers as exact JSON numbers (u64 above 2^63 - 1 too), floats as numbers or
 * "NaN" / "Infinity" / "-Infinity", bytes as standard base64, json as the JSON value, void as null.
 */
public final class JsonResults {
    private JsonResults() {
    }

    public static Object encode(ValueType type, Object value) {
        return switch (type) {
            case VOID -> null;
            case U64 -> {
                long bits = (Long) value;
                yield bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
            }
            case F32, F64 -> {
                double d = ((Number) value).doubleValue();
                yield Double.isFinite(d) ? value : Double.toString(d);
            }
            case BYTES -> Base64.getEncoder().encodeToString((byte[]) value);
            case JSON -> Json.decodeValue(((JsonText) value).text()); // checked when read from the guest
            case I32, U32, I64, BOOL, STRING -> value;
        };
    }
}
