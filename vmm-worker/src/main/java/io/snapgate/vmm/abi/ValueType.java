package io.snapgate.vmm.abi;

import java.util.Locale;

/**
 * The types a guest function or host function can take and return, with their ABI codes.
 * Java values: i32 {@link Integer}; u32, i64 and u64 {@link Long} (u64 holds the unsigned bits);
 * f32 {@link Float}; f64 {@link Double}; bool {@link Boolean}; string {@link String};
 * bytes {@code byte[]}; json {@link JsonText}; void {@code null}.
 */
public enum ValueType {
    VOID(0),
    I32(1),
    U32(2),
    I64(3),
    U64(4),
    F32(5),
    F64(6),
    BOOL(7),
    STRING(8),
    BYTES(9),
    /** Any JSON value, as one JSON text in a MessagePack str (docs/abi.md, "Types"). */
    JSON(10);

    private static final ValueType[] BY_CODE = values();

    private final int code;
    /** The ABI name, made once: a loaded snapshot converts every parameter of every function by name. */
    private final String abiName = name().toLowerCase(Locale.ROOT);

    ValueType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this ABI code, or null when the code means nothing. */
    public static ValueType fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }

    /** The type with this lower-case name ({@code "i32"}, {@code "string"}, ...), or null. */
    public static ValueType fromName(String name) {
        for (ValueType type : BY_CODE) {
            if (type.abiName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return abiName;
    }
}
