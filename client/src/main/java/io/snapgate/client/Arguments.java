package io.snapgate.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Java values as the JSON arguments of a call (docs/api.md, "Values"): the gateway checks them against the
 * function's signature, so a value of the wrong type is its {@code INVALID_ARGUMENT}, not ours. Only a Java type
 * with no JSON form at all is refused here.
 */
final class Arguments {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Arguments() {
    }

    static JsonArray json(Object... args) {
        JsonArray array = new JsonArray();
        for (int i = 0; i < args.length; i++) {
            array.add(json(i, args[i]));
        }
        return array;
    }

    private static Object json(int index, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof BigDecimal || value instanceof JsonObject
                || value instanceof JsonArray) {
            return value;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof BigInteger big) { // a u64 beyond Long.MAX_VALUE goes as its decimal string
            return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? (Object) big.longValue()
                    : big.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : value;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Buffer buffer) {
            return Base64.getEncoder().encodeToString(buffer.getBytes());
        }
        if (value instanceof Map<?, ?> map) {
            return new JsonObject(stringKeys(index, map));
        }
        if (value instanceof List<?> list) {
            return new JsonArray(list);
        }
        throw new IllegalArgumentException("argument " + index + " is a " + value.getClass().getName()
                + ", which has no JSON form: pass a number, a String, a Boolean, a byte[] (bytes), or a JSON value");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(int index, Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("argument " + index + " is a Map with a key that is not a String: "
                        + key);
            }
        }
        return (Map<String, Object>) map;
    }
}
