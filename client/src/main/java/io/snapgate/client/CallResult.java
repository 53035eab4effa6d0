package io.snapgate.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * A call's answer: the result as the JSON value the REST API gives (docs/api.md, "Values"), read as the Java
 * type the function returns, and the time the guest ran, in microseconds (without queueing, transport and the
 * restore). Reading a result as a type it is not fails with an {@link IllegalStateException} naming both.
 *
 * <p>A {@code json} result (a JavaScript function's) is {@link #value()} as it is: a {@link JsonObject}, a
 * {@link JsonArray}, a String, a Number (Integer, Long, BigInteger or Double, as the JSON wrote it), a Boolean or
 * null; {@link #asJsonObject()} and {@link #asJsonArray()} read the first two typed, {@code asString()},
 * {@code asLong()}, {@code asDouble()}, {@code asBoolean()} and {@code isNull()} the others.
 */
public record CallResult(Object value, long durationMicros) {

    /** {@code {result, durationMicros}}, as a gateway answers. */
    public static CallResult fromJson(JsonObject answer) {
        Long micros = answer.getLong("durationMicros");
        return new CallResult(answer.getValue("result"), micros == null ? 0 : micros);
    }

    /** A void function's result, or a json function's null. */
    public boolean isNull() {
        return value == null;
    }

    /** string. */
    public String asString() {
        return as(String.class, "a string");
    }

    /** bool. */
    public boolean asBoolean() {
        return as(Boolean.class, "a bool");
    }

    /** i32, u32 (within int's range). */
    public int asInt() {
        try {
            return exact("an int").intValueExact();
        } catch (ArithmeticException e) {
            throw wrong("an int");
        }
    }

    /** i32, u32, i64, u64 (within long's range). */
    public long asLong() {
        try {
            return exact("a long").longValueExact();
        } catch (ArithmeticException e) {
            throw wrong("a long");
        }
    }

    /** Any integer, u64 beyond {@link Long#MAX_VALUE} included. */
    public BigInteger asBigInteger() {
        return exact("an integer");
    }

    /** f32, f64 (NaN and the infinities come as the strings "NaN", "Infinity", "-Infinity"); an integer too. */
    public double asDouble() {
        if (value instanceof String s) {
            switch (s) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> throw wrong("a double");
            }
        }
        return as(Number.class, "a double").doubleValue();
    }

    /** bytes (standard base64 in the answer). */
    public byte[] asBytes() {
        try {
            return Base64.getDecoder().decode(as(String.class, "bytes (base64)"));
        } catch (IllegalArgumentException e) {
            throw wrong("bytes (base64)");
        }
    }

    /** json, when the function returned an object. */
    public JsonObject asJsonObject() {
        return as(JsonObject.class, "a JSON object");
    }

    /** json, when the function returned an array. */
    public JsonArray asJsonArray() {
        return as(JsonArray.class, "a JSON array");
    }

    private BigInteger exact(String what) {
        try {
            if (value instanceof BigInteger big) {
                return big;
            }
            if (value instanceof Integer || value instanceof Long) {
                return BigInteger.valueOf(((Number) value).longValue());
            }
            if (value instanceof Number n) {
                return new BigDecimal(n.toString()).toBigIntegerExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw wrong(what);
        }
        throw wrong(what);
    }

    private <T> T as(Class<T> type, String what) {
        if (!type.isInstance(value)) {
            throw wrong(what);
        }
        return type.cast(value);
    }

    private IllegalStateException wrong(String what) {
        return new IllegalStateException("the result " + (value instanceof String ? "\"" + value + "\"" : value)
                + " is not " + what);
    }
}
