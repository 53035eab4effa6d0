package io.snapgate.gateway.dispatch;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.JavaValues;
import io.snapgate.vmm.abi.JsonText;
import io.snapgate.vmm.abi.ValueType;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Converts a call's JSON arguments to the canonical Java values of the function's parameter types, before any
 * guest runs. Integers are JSON integers (64-bit ones also decimal strings), floats JSON numbers (or "NaN",
 * "Infinity", "-Infinity"), bytes base64 strings (standard or URL-safe), json any JSON value (as its text). A
 * refusal names the argument and the type expected.
 */
public final class JsonArguments {
    /** Integral doubles up to 2^53 are exact, so {@code 3.0} passes as an integer. */
    private static final double MAX_EXACT_DOUBLE = 0x1p53;

    private JsonArguments() {
    }

    public static Object[] coerce(FunctionSignature signature, JsonArray args) {
        int expected = signature.parameters().size();
        if (args.size() != expected) {
            throw new GatewayException(ErrorCode.INVALID_ARGUMENT, signature + " takes " + expected + " argument"
                    + (expected == 1 ? "" : "s") + ", got " + args.size());
        }
        Object[] values = new Object[expected];
        for (int i = 0; i < expected; i++) {
            ValueType type = signature.parameters().get(i);
            Object json = args.getValue(i);
            try {
                values[i] = JavaValues.coerce(type, javaValue(type, json));
            } catch (IllegalArgumentException e) {
                throw new GatewayException(ErrorCode.INVALID_ARGUMENT, "argument " + i + " of " + signature
                        + ": expected " + type + " (" + expectation(type) + "), got " + describe(json)
                        + (e.getMessage().startsWith("expected") ? "" : ": " + e.getMessage()),
                        new JsonObject().put("argument", i).put("expected", type.toString()), 0);
            }
        }
        return values;
    }

    /** The JSON value as the Java value {@link JavaValues#coerce} takes, or an IllegalArgumentException. */
    private static Object javaValue(ValueType type, Object json) {
        return switch (type) {
            case I32, U32, I64, U64 -> integer(type, json);
            case F32, F64 -> floating(type, json);
            case BYTES -> json instanceof String s ? base64(s) : json;
            case JSON -> new JsonText(Json.encode(json));
            case VOID, BOOL, STRING -> json;
        };
    }

    private static BigInteger integer(ValueType type, Object json) {
        boolean wide = type == ValueType.I64 || type == ValueType.U64;
        if (json instanceof Integer || json instanceof Long) {
            return BigInteger.valueOf(((Number) json).longValue());
        }
        if (json instanceof BigInteger b) {
            return b;
        }
        if (json instanceof Double d && d == Math.rint(d) && Math.abs(d) <= MAX_EXACT_DOUBLE) {
            return BigDecimal.valueOf(d).toBigIntegerExact();
        }
        if (wide && json instanceof String s) {
            try {
                return new BigInteger(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected");
            }
        }
        throw new IllegalArgumentException("expected");
    }

    /** Infinities only as the strings: a JSON number beyond the type's range is a mistake, not an infinity. */
    private static Object floating(ValueType type, Object json) {
        if (json instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isInfinite(d) || (type == ValueType.F32 && Float.isInfinite((float) d))) {
                throw new IllegalArgumentException("beyond the range of " + type + "; send \"Infinity\" or"
                        + " \"-Infinity\" for an infinity");
            }
            return d;
        }
        if (json instanceof String s) {
            switch (s) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        return json;
    }

    private static byte[] base64(String s) {
        boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: " + e.getMessage());
        }
    }

    private static String expectation(ValueType type) {
        return switch (type) {
            case I32 -> "a JSON integer from -2147483648 to 2147483647";
            case U32 -> "a JSON integer from 0 to 4294967295";
            case I64 -> "a JSON integer or decimal string from -9223372036854775808 to 9223372036854775807";
            case U64 -> "a JSON integer or decimal string from 0 to 18446744073709551615";
            case F32, F64 -> "a JSON number, or \"NaN\", \"Infinity\" or \"-Infinity\"";
            case BOOL -> "true or false";
            case STRING -> "a JSON string";
            case BYTES -> "a base64 string";
            case JSON -> "any JSON value";
            case VOID -> "nothing";
        };
    }

    /** A JSON value as a client wrote it, shortened. */
    static String describe(Object json) {
        String text = json instanceof String s ? "\"" + s + "\""
                : json instanceof JsonObject o ? o.encode()
                : json instanceof JsonArray a ? a.encode()
                : String.valueOf(json);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
