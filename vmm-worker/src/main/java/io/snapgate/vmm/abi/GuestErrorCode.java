package io.snapgate.vmm.abi;

/**
 * The error codes the runtime and the host put in {@code [1, [code, message]]} frames; 64 and up are the guest's own.
 */
public enum GuestErrorCode {
    FUNCTION_NOT_FOUND(1),
    WRONG_ARGUMENT_COUNT(2),
    ARGUMENT_TYPE_MISMATCH(3),
    OUT_OF_MEMORY(4),
    HOST_FUNCTION_ERROR(5),
    MALFORMED_FRAME(6),
    RESULT_TOO_LARGE(7);

    /** The first code a guest may use for its own errors. */
    public static final int FIRST_USER_CODE = 64;

    private final int code;

    GuestErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name of a known code, or {@code "user error"}. */
    public static String describe(int code) {
        for (GuestErrorCode known : values()) {
            if (known.code == code) {
                return known.name();
            }
        }
        return code >= FIRST_USER_CODE ? "user error" : "unknown error";
    }
}
