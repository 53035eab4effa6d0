package io.snapgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Arguments read from their bytes, as {@code /proc/self/cmdline} holds them, against what the JVM decoded. */
class ExactArgumentsTest {
    private static final byte[] SMILE = {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80};
    private static final byte[] CUT = {'a', (byte) 0xc3, '('};

    /** {@code java -jar snapgate.jar} then {@code arguments}, each NUL-terminated. */
    private static byte[] cmdline(byte[]... arguments) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] entry : new byte[][] {"java".getBytes(), "-jar".getBytes(), "snapgate.jar".getBytes()}) {
            bytes.writeBytes(entry);
            bytes.write(0);
        }
        for (byte[] argument : arguments) {
            bytes.writeBytes(argument);
            bytes.write(0);
        }
        return bytes.toByteArray();
    }

    /** What the JVM hands main: each argument decoded with the platform charset, U+FFFD where it cannot. */
    private static String[] decoded(Charset platform, byte[]... arguments) {
        String[] strings = new String[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            strings[i] = new String(arguments[i], platform);
        }
        return strings;
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheArgumentAndTheByte() {
        byte[][] argv = {"call".getBytes(), "".getBytes(), CUT};
        assertThatThrownBy(() -> ExactArguments.of(decoded(StandardCharsets.UTF_8, argv), cmdline(argv),
                StandardCharsets.UTF_8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 3, $'a\\xc3(', is not UTF-8: invalid UTF-8 at byte 1 (0xc3 0x28: a character"
                        + " cut short)");
    }

    @Test
    void utf8IsReadExactlyWhateverThePlatformCharsetMadeOfIt() {
        byte[][] argv = {"call".getBytes(), SMILE, "it's \\ fine".getBytes()};
        for (Charset platform : new Charset[] {StandardCharsets.UTF_8, StandardCharsets.US_ASCII}) {
            String[] decoded = decoded(platform, argv);
            assertThat(ExactArguments.of(decoded, cmdline(argv), platform)).as(platform.name())
                    .containsExactly("call", "😀", "it's \\ fine");
        }
        assertThat(decoded(StandardCharsets.US_ASCII, argv)[1]).as("what LANG=C gives Java")
                .isEqualTo("\ufffd\ufffd\ufffd\ufffd");
    }

    @Test
    void withoutTheBytesAReplacementCharacterIsRefusedAndTheRestTakenAsDecoded() {
        assertThat(ExactArguments.of(new String[] {"call", "é"}, null, StandardCharsets.UTF_8))
                .containsExactly("call", "é");
        assertThatThrownBy(() -> ExactArguments.of(new String[] {"call", "a\ufffd("}, null, StandardCharsets.UTF_8))
                .hasMessageStartingWith("argument 2 holds U+FFFD, which may stand for bytes that are not UTF-8");
    }

    @Test
    void bytesOfAnotherCommandLineAreNotTaken() {
        byte[][] other = {"call".getBytes(), CUT};
        assertThat(ExactArguments.of(new String[] {"call", "b"}, cmdline(other), StandardCharsets.UTF_8))
                .containsExactly("call", "b");
        String[] more = {"a", "b", "c", "d", "e", "f"};
        assertThat(ExactArguments.of(more, cmdline(other), StandardCharsets.UTF_8))
                .as("more arguments than the bytes hold").containsExactly(more);
    }
}
