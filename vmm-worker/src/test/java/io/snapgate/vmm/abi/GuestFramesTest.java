package io.snapgate.vmm.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** Frames as a hostile guest could write them: each is refused with a message naming the problem. */
class GuestFramesTest {

    private interface Writer {
        void write(MessageBufferPacker p) throws IOException;
    }

    private static byte[] pack(Writer w) throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        w.write(p);
        return p.toByteArray();
    }

    @Test
    void readsAnInitFrame() throws IOException {
        byte[] frame = pack(p -> {
            p.packArrayHeader(3).packInt(1).packLong(0x100040);
            p.packArrayHeader(1).packArrayHeader(3).packString("add");
            p.packArrayHeader(2).packInt(1).packInt(1);
            p.packInt(1);
        });
        InitFrame init = GuestFrames.init(frame);
        assertThat(init.dispatchAddress()).isEqualTo(0x100040);
        assertThat(init.functions()).containsExactly(FunctionSignature.of("add", ValueType.I32, ValueType.I32,
                ValueType.I32));
    }

    @Test
    void refusesAnInitFrameWithAnUnknownType() throws IOException {
        byte[] frame = pack(p -> {
            p.packArrayHeader(3).packInt(1).packLong(0x100040);
            p.packArrayHeader(1).packArrayHeader(3).packString("f").packArrayHeader(1).packInt(42).packInt(0);
        });
        assertThatThrownBy(() -> GuestFrames.init(frame)).isInstanceOf(FrameException.class)
                .hasMessage("init frame: f parameter 0 has unknown type code 42");
    }

    @Test
    void refusesADuplicateFunction() throws IOException {
        byte[] frame = pack(p -> {
            p.packArrayHeader(3).packInt(1).packLong(0x100040).packArrayHeader(2);
            for (int i = 0; i < 2; i++) {
                p.packArrayHeader(3).packString("f").packArrayHeader(0).packInt(0);
            }
        });
        assertThatThrownBy(() -> GuestFrames.init(frame)).hasMessage("init frame: function f is registered twice");
    }

    @Test
    void refusesAnotherAbiVersion() throws IOException {
        byte[] frame = pack(p -> p.packArrayHeader(3).packInt(2).packLong(0).packArrayHeader(0));
        assertThatThrownBy(() -> GuestFrames.init(frame)).hasMessageContaining("guest ABI version 2, host speaks 1");
    }

    @Test
    void readsResults() throws IOException {
        assertThat(GuestFrames.result(pack(p -> p.packArrayHeader(2).packInt(0).packString("hi")), ValueType.STRING))
                .isEqualTo(new GuestResult.Returned("hi"));
        assertThat(GuestFrames.result(pack(p -> p.packArrayHeader(2).packInt(1).packArrayHeader(2).packInt(70)
                .packString("no")), ValueType.I32)).isEqualTo(new GuestResult.Failed(70, "no"));
    }

    @Test
    void refusesAResultOfTheWrongType() throws IOException {
        byte[] frame = pack(p -> p.packArrayHeader(2).packInt(0).packString("hi"));
        assertThatThrownBy(() -> GuestFrames.result(frame, ValueType.I32))
                .hasMessage("result frame: return value: expected i32, found MessagePack FIXSTR");
    }

    @Test
    void refusesAnI32OutOfRange() throws IOException {
        byte[] frame = pack(p -> p.packArrayHeader(2).packInt(0).packLong(1L << 40));
        assertThatThrownBy(() -> GuestFrames.result(frame, ValueType.I32))
                .hasMessage("result frame: return value: 1099511627776 is out of range for i32");
    }

    @Test
    void refusesTrailingBytes() throws IOException {
        byte[] frame = pack(p -> p.packArrayHeader(2).packInt(0).packNil().packInt(9));
        assertThatThrownBy(() -> GuestFrames.result(frame, ValueType.VOID))
                .hasMessage("result frame: 1 unexpected bytes after the last value");
    }

    @Test
    void refusesATruncatedFrame() throws IOException {
        byte[] whole = pack(p -> p.packArrayHeader(2).packInt(0).packString("truncated string"));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> GuestFrames.result(cut, ValueType.STRING))
                .isInstanceOf(FrameException.class).hasMessageContaining("result frame: return value:");
    }

    @Test
    void refusesLengthsPointingPastTheFrame() {
        byte[] bin = {(byte) 0x92, 0x00, (byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2};
        assertThatThrownBy(() -> GuestFrames.result(bin, ValueType.BYTES))
                .hasMessage("result frame: return value: 2147483647 bytes announced, 2 left in the frame");
        byte[] array = {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> GuestFrames.init(array))
                .hasMessageContaining("array of 2147483647 elements cannot fit in 0 bytes");
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] frame = {(byte) 0x92, 0x00, (byte) 0xa2, (byte) 0xc3, 0x28};
        assertThatThrownBy(() -> GuestFrames.result(frame, ValueType.STRING))
                .isInstanceOf(FrameException.class).hasMessageContaining("result frame: return value");
    }

    @Test
    void hostCallToAnUnknownOrMistypedFunctionIsAnErrorForTheGuest() throws IOException {
        FunctionSignature add = FunctionSignature.of("host_add", ValueType.I32, ValueType.I32, ValueType.I32);
        byte[] unknown = pack(p -> p.packArrayHeader(2).packString("nope").packArrayHeader(1).packInt(1));
        assertThat(GuestFrames.hostCall(unknown, n -> null)).isEqualTo(new HostCall.Invalid("nope",
                GuestErrorCode.HOST_FUNCTION_ERROR, "host function nope is not registered"));
        byte[] mistyped = pack(p -> p.packArrayHeader(2).packString("host_add").packArrayHeader(2).packInt(1)
                .packString("x"));
        HostCall call = GuestFrames.hostCall(mistyped, n -> add);
        assertThat(call).isInstanceOfSatisfying(HostCall.Invalid.class,
                i -> assertThat(i.code()).isEqualTo(GuestErrorCode.ARGUMENT_TYPE_MISMATCH));
        byte[] good = pack(p -> p.packArrayHeader(2).packString("host_add").packArrayHeader(2).packInt(1).packInt(2));
        assertThat(((HostCall.Valid) GuestFrames.hostCall(good, n -> add)).arguments()).containsExactly(1, 2);
        assertThat(List.of(GuestFrames.log(pack(p -> p.packArrayHeader(2).packInt(2).packString("m")))))
                .containsExactly(new LogFrame(2, "m"));
    }
}
