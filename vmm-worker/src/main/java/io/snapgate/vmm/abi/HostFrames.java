package io.snapgate.vmm.abi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Encodes the frames the host writes into the guest's input buffer: calls and host-function replies.
 * One instance per sandbox reuses its buffer; not thread-safe.
 */
public final class HostFrames {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();

    /**
     * {@code [name, [args...]]}; the arguments must already be checked by {@link JavaValues#coerce}. A string
     * with no UTF-8 encoding is an IllegalArgumentException naming the argument, never a {@code ?} in its place.
     */
    public byte[] call(FunctionSignature function, Object[] args) {
        try {
            packer.clear();
            packer.packArrayHeader(2);
            packer.packString(function.name());
            packer.packArrayHeader(args.length);
            for (int i = 0; i < args.length; i++) {
                try {
                    pack(function.parameters().get(i), args[i]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("argument " + i + " of " + function + ": " + e.getMessage());
                }
            }
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [0, value]}; a string with no UTF-8 encoding is an IllegalArgumentException saying why. */
    public byte[] returned(ValueType type, Object value) {
        try {
            packer.clear();
            packer.packArrayHeader(2);
            packer.packInt(0);
            pack(type, value);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [1, [code, message]]}; the host's own message, sent as best it encodes (never refused). */
    public byte[] failed(int code, String message) {
        try {
            packer.clear();
            packer.packArrayHeader(2);
            packer.packInt(1);
            packer.packArrayHeader(2);
            packer.packInt(code);
            packer.packString(message);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pack(ValueType type, Object value) throws IOException {
        switch (type) {
            case VOID -> packer.packNil();
            case I32 -> packer.packInt((Integer) value);
            case U32, I64 -> packer.packLong((Long) value);
            case U64 -> {
                long bits = (Long) value;
                if (bits >= 0) {
                    packer.packLong(bits);
                } else {
                    packer.packBigInteger(BigInteger.valueOf(bits).add(TWO_TO_64));
                }
            }
            case F32 -> packer.packFloat((Float) value);
            case F64 -> packer.packDouble((Double) value);
            case BOOL -> packer.packBoolean((Boolean) value);
            case STRING -> packer.packString(Utf8.require((String) value)); // packString would send '?'
            case JSON -> packer.packString(((JsonText) value).text()); // checked when made
            case BYTES -> {
                byte[] bytes = (byte[]) value;
                packer.packBinaryHeader(bytes.length);
                packer.writePayload(bytes);
            }
        }
    }
}
