package io.snapgate.vmm.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;

/** Text that is not valid Unicode is found and described; valid text, astral characters included, passes. */
class Utf8Test {
    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** {@code "ab"} then {@code bad}: the problem is found at byte 2. */
    private static String afterAb(int... bad) {
        byte[] b = bytes(bad);
        byte[] text = Arrays.copyOf("ab".getBytes(StandardCharsets.US_ASCII), 2 + b.length);
        System.arraycopy(b, 0, text, 2, b.length);
        return Utf8.problem(text);
    }

    @Test
    void unpairedSurrogatesAreFoundByCharacter() {
        assertThat(Utf8.problem("\ud800")).isEqualTo("unpaired surrogate \\ud800 at character 0");
        assertThat(Utf8.problem("\udc00x")).isEqualTo("unpaired surrogate \\udc00 at character 0");
        assertThat(Utf8.problem("ab\ud83d")).isEqualTo("unpaired surrogate \\ud83d at character 2");
        assertThat(Utf8.problem("\ude00\ud83d")).isEqualTo("unpaired surrogate \\ude00 at character 0");
        assertThat(Utf8.problem("😀😀\ud800")).as("a pair counts as one character")
                .isEqualTo("unpaired surrogate \\ud800 at character 2");
    }

    @Test
    void validTextHasNoProblem() {
        for (String text : new String[] {"", "plain", "héllo ✓", "😀", "\ud83d\ude00x", "\uffff\ufffd"}) {
            assertThat(Utf8.problem(text)).as(text).isNull();
            assertThat(Utf8.problem(text.getBytes(StandardCharsets.UTF_8))).as(text).isNull();
        }
        assertThat(Utf8.problem(bytes(0xf4, 0x8f, 0xbf, 0xbf))).as("U+10FFFF").isNull();
        assertThat(Utf8.problem(bytes(0xef, 0xbb, 0xbf))).as("a byte-order mark is a character").isNull();
    }

    @Test
    void invalidBytesAreFoundWithWhatIsWrong() {
        assertThat(afterAb(0xc3, 0x28)).isEqualTo("invalid UTF-8 at byte 2 (0xc3 0x28: a character cut short)");
        assertThat(afterAb(0xc0, 0xaf)).isEqualTo("invalid UTF-8 at byte 2 (0xc0: an overlong encoding)");
        assertThat(afterAb(0xe0, 0x80, 0xaf)).isEqualTo("invalid UTF-8 at byte 2 (0xe0 0x80: an overlong encoding)");
        assertThat(afterAb(0xf0, 0x8f, 0xbf, 0xbf))
                .isEqualTo("invalid UTF-8 at byte 2 (0xf0 0x8f: an overlong encoding)");
        assertThat(afterAb(0xed, 0xa0, 0x80)).isEqualTo("invalid UTF-8 at byte 2 (0xed 0xa0: an encoded surrogate)");
        assertThat(afterAb(0xf4, 0x90, 0x80, 0x80)).isEqualTo("invalid UTF-8 at byte 2 (0xf4 0x90: beyond U+10FFFF)");
        assertThat(afterAb(0xf5, 0x80)).isEqualTo("invalid UTF-8 at byte 2 (0xf5: not a byte of UTF-8)");
        assertThat(afterAb(0xff)).isEqualTo("invalid UTF-8 at byte 2 (0xff: not a byte of UTF-8)");
        assertThat(afterAb(0x80)).isEqualTo("invalid UTF-8 at byte 2 (0x80: a continuation byte with no lead byte)");
        assertThat(afterAb(0xe2, 0x82)).isEqualTo(
                "invalid UTF-8 at byte 2 (0xe2 0x82: the text ends inside a character)");
        assertThat(afterAb(0xf0, 0x9f, 0x98)).isEqualTo(
                "invalid UTF-8 at byte 2 (0xf0 0x9f 0x98: the text ends inside a character)");
        assertThat(afterAb(0xf0, 0x9f, 0x98, 0x41)).isEqualTo(
                "invalid UTF-8 at byte 2 (0xf0 0x9f 0x98 0x41: a character cut short)");
    }

    @Test
    void theFirstProblemIsReported() {
        byte[] text = "😀 ok \u00e9".getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(text, text.length + 2);
        bad[text.length] = (byte) 0xc3; // cut short by the next lead byte
        bad[text.length + 1] = (byte) 0xc3;
        assertThat(Utf8.problem(bad)).isEqualTo("invalid UTF-8 at byte " + text.length
                + " (0xc3 0xc3: a character cut short)");
    }

    @Test
    void requireReturnsValidTextAndRefusesTheRest() {
        assertThat(Utf8.require("😀")).isEqualTo("😀");
        assertThatThrownBy(() -> Utf8.require("x\udc00")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unpaired surrogate \\udc00 at character 1");
    }

    @Test
    void theCallEncoderRefusesAStringNoUtf8EncodesNamingTheArgument() {
        FunctionSignature concat = FunctionSignature.of("concat", ValueType.STRING, ValueType.STRING,
                ValueType.STRING);
        HostFrames frames = new HostFrames();
        assertThatThrownBy(() -> frames.call(concat, new Object[] {"fine", "a\ud800b"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 1 of concat(string, string) -> string: "
                        + "unpaired surrogate \\ud800 at character 1");
        assertThatThrownBy(() -> frames.returned(ValueType.STRING, "\udfff"))
                .hasMessage("unpaired surrogate \\udfff at character 0");
    }

    @Test
    void theCallEncoderSendsAstralCharactersAsTheirFourBytes() throws Exception {
        FunctionSignature echo = FunctionSignature.of("echo", ValueType.STRING, ValueType.STRING);
        byte[] frame = new HostFrames().call(echo, new Object[] {"😀"});
        var unpacker = MessagePack.newDefaultUnpacker(frame);
        unpacker.unpackArrayHeader();
        unpacker.unpackString();
        unpacker.unpackArrayHeader();
        assertThat(unpacker.unpackValue().asRawValue().asByteArray()).containsExactly(0xf0, 0x9f, 0x98, 0x80);
    }
}
