package io.snapgate.vmm.abi;

import java.math.BigInteger;

/**
 * Checks a Java value against a {@link ValueType} and converts it to the type's canonical Java class
 * (see {@link ValueType}). Integers of any width are accepted when in range; the error names the
 * expected type and what was given.
 */
public final class JavaValues {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private JavaValues() {
    }

    /** The canonical value, or an {@link IllegalArgumentException} saying why {@code value} is not a {@code type}. */
    public static Object coerce(ValueType type, Object value) {
        return switch (type) {
            case VOID -> {
                if (value != null) {
                    throw mismatch(type, value);
                }
                yield null;
            }
            case I32 -> (int) integer(type, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case U32 -> integer(type, value, 0, 0xFFFF_FFFFL);
            case I64 -> integer(type, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case U64 -> unsigned64(value);
            case F32 -> {
                if (value instanceof Float f) {
                    yield f;
                }
                if (value instanceof Double d) {
                    yield d.floatValue();
                }
                throw mismatch(type, value);
            }
            case F64 -> {
                if (value instanceof Double || value instanceof Float) {
                    yield ((Number) value).doubleValue();
                }
                throw mismatch(type, value);
            }
            case BOOL -> {
                if (value instanceof Boolean) {
                    yield value;
                }
                throw mismatch(type, value);
            }
            case STRING -> {
                if (value instanceof CharSequence s) {
                    yield s.toString();
                }
                throw mismatch(type, value);
            }
            case BYTES -> {
                if (value instanceof byte[]) {
                    yield value;
                }
                throw mismatch(type, value);
            }
            case JSON -> {
                if (value instanceof JsonText) {
                    yield value;
                }
                throw mismatch(type, value);
            }
        };
    }

    private static long integer(ValueType type, Object value, long min, long max) {
        long v;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else if (value instanceof BigInteger b && b.bitLength() < 64) {
            v = b.longValue();
        } else {
            throw mismatch(type, value);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range for " + type + " (" + min + " to " + max + ")");
        }
        return v;
    }

    private static long unsigned64(Object value) {
        if (value instanceof BigInteger b) {
            if (b.signum() < 0 || b.compareTo(U64_MAX) > 0) {
                throw new IllegalArgumentException(b + " is out of range for u64 (0 to " + U64_MAX + ")");
            }
            return b.longValue();
        }
        if (value instanceof Long bits) {
            return bits; // a Long holds u64's unsigned bits, as returned by calls
        }
        return integer(ValueType.U64, value, 0, Long.MAX_VALUE);
    }

    private static IllegalArgumentException mismatch(ValueType type, Object value) {
        String given = value == null ? "null" : value.getClass().getSimpleName() + " " + describe(value);
        return new IllegalArgumentException("expected " + type + ", got " + given);
    }

    private static String describe(Object value) {
        String text = value instanceof byte[] b ? "[" + b.length + " bytes]" : String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
