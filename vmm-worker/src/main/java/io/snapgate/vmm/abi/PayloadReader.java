package io.snapgate.vmm.abi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;

/**
 * Reads one MessagePack frame payload that came from a guest, strictly: every value must have the shape
 * and type the ABI says, lengths may not point past the payload, strings must be valid UTF-8, and
 * nothing may follow the last value. Any violation is a {@link FrameException} naming the field.
 */
final class PayloadReader {
    private static final MessagePack.UnpackerConfig STRICT = new MessagePack.UnpackerConfig()
            .withActionOnMalformedString(CodingErrorAction.REPORT)
            .withActionOnUnmappableString(CodingErrorAction.REPORT);

    /*
     * One unpacker per thread, reset for every frame: a new one allocates its string decoder (and an 8 KiB
     * buffer) again, which cost more than the rest of a host call's decoding. A frame is read start to end
     * without calling out, so a thread never has two readers in use at once.
     */
    private static final ThreadLocal<MessageUnpacker> UNPACKERS =
            ThreadLocal.withInitial(() -> STRICT.newUnpacker(new byte[0]));

    private final MessageUnpacker unpacker;
    private final int length;
    private final String frame;

    PayloadReader(byte[] payload, String frame) {
        this.unpacker = UNPACKERS.get();
        try {
            unpacker.reset(new ArrayBufferInput(payload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.length = payload.length;
        this.frame = frame;
    }

    /** Reads an array header that must announce exactly {@code expected} elements. */
    void array(int expected, String what) {
        int n = arrayHeader(what);
        if (n != expected) {
            throw fail(what + ": expected an array of " + expected + ", found " + n + " elements");
        }
    }

    /** Reads an array header and returns its element count, bounded by the bytes left. */
    int arrayHeader(String what) {
        try {
            expect(org.msgpack.value.ValueType.ARRAY, what);
            int n = unpacker.unpackArrayHeader();
            if (n < 0 || n > remaining()) {
                throw fail(what + ": array of " + Integer.toUnsignedString(n) + " elements cannot fit in "
                        + remaining() + " bytes");
            }
            return n;
        } catch (IOException | MessagePackException e) {
            throw wrap(what, e);
        }
    }

    long integer(String what) {
        return (Long) value(ValueType.I64, what);
    }

    String string(String what) {
        return (String) value(ValueType.STRING, what);
    }

    /** The next value, which must be of {@code type}. */
    Object value(ValueType type, String what) {
        try {
            MessageFormat format = unpacker.getNextFormat();
            switch (type) {
                case VOID -> {
                    expect(org.msgpack.value.ValueType.NIL, type, format, what);
                    unpacker.unpackNil();
                    return null;
                }
                case I32, U32, I64 -> {
                    expect(org.msgpack.value.ValueType.INTEGER, type, format, what);
                    if (format == MessageFormat.UINT64) {
                        BigInteger big = unpacker.unpackBigInteger();
                        if (big.bitLength() > 63) {
                            throw fail(what + ": " + big + " is out of range for " + type);
                        }
                        return inRange(type, big.longValue(), what);
                    }
                    return inRange(type, unpacker.unpackLong(), what);
                }
                case U64 -> {
                    expect(org.msgpack.value.ValueType.INTEGER, type, format, what);
                    if (format == MessageFormat.UINT64) {
                        return unpacker.unpackBigInteger().longValue();
                    }
                    long v = unpacker.unpackLong();
                    if (v < 0) {
                        throw fail(what + ": " + v + " is negative, expected u64");
                    }
                    return v;
                }
                case F32, F64 -> {
                    expect(org.msgpack.value.ValueType.FLOAT, type, format, what);
                    double d = unpacker.unpackDouble();
                    return type == ValueType.F32 ? (Object) (float) d : (Object) d;
                }
                case BOOL -> {
                    expect(org.msgpack.value.ValueType.BOOLEAN, type, format, what);
                    return unpacker.unpackBoolean();
                }
                case STRING -> {
                    expect(org.msgpack.value.ValueType.STRING, type, format, what);
                    return unpacker.unpackString();
                }
                case JSON -> {
                    expect(org.msgpack.value.ValueType.STRING, type, format, what);
                    try {
                        return new JsonText(unpacker.unpackString());
                    } catch (IllegalArgumentException e) {
                        throw fail(what + ": " + e.getMessage());
                    }
                }
                case BYTES -> {
                    expect(org.msgpack.value.ValueType.BINARY, type, format, what);
                    int n = unpacker.unpackBinaryHeader();
                    if (n < 0 || n > remaining()) {
                        throw fail(what + ": " + Integer.toUnsignedString(n) + " bytes announced, "
                                + remaining() + " left in the frame");
                    }
                    return unpacker.readPayload(n);
                }
            }
            throw new IllegalStateException("unhandled type " + type);
        } catch (IOException | MessagePackException e) {
            throw wrap(what, e);
        }
    }

    /** Skips one value of any type (used to step over arguments nobody will read). */
    void skip(String what) {
        try {
            unpacker.skipValue();
        } catch (IOException | MessagePackException e) {
            throw wrap(what, e);
        }
    }

    /** Refuses bytes after the last value. */
    void finish() {
        if (remaining() != 0) {
            throw fail(remaining() + " unexpected bytes after the last value");
        }
    }

    private long remaining() {
        return length - unpacker.getTotalReadBytes();
    }

    private Object inRange(ValueType type, long v, String what) {
        return switch (type) {
            case I32 -> {
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw fail(what + ": " + v + " is out of range for i32");
                }
                yield (int) v;
            }
            case U32 -> {
                if (v < 0 || v > 0xFFFF_FFFFL) {
                    throw fail(what + ": " + v + " is out of range for u32");
                }
                yield v;
            }
            default -> v;
        };
    }

    private void expect(org.msgpack.value.ValueType wire, String what) throws IOException {
        MessageFormat format = unpacker.getNextFormat();
        if (format.getValueType() != wire) {
            throw fail(what + ": expected " + wire.name().toLowerCase() + ", found MessagePack " + format);
        }
    }

    private void expect(org.msgpack.value.ValueType wire, ValueType type, MessageFormat format, String what) {
        if (format.getValueType() != wire) {
            throw fail(what + ": expected " + type + ", found MessagePack " + format);
        }
    }

    private FrameException wrap(String what, Exception e) {
        if (e instanceof FrameException fe) {
            return fe;
        }
        String reason = unpacker.getTotalReadBytes() >= length ? "the frame ends too early" : e.getMessage();
        return fail(what + ": " + reason);
    }

    private FrameException fail(String message) {
        return new FrameException(frame + " frame: " + message);
    }
}
