package io.snapgate.gateway.cli;

import io.snapgate.vmm.abi.Utf8;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The program's arguments as the exact text their bytes spell. The JVM decodes argv with the platform charset
 * and puts U+FFFD for what it cannot decode (every non-ASCII byte under {@code LANG=C}, bytes that are not UTF-8
 * under a UTF-8 locale), so {@code snapgate call} could hand a guest text other than what was typed. On Linux
 * {@code /proc/self/cmdline} holds the bytes: the arguments are its last entries (each must decode with the
 * platform charset to what the JVM gave, or they are not taken), read as UTF-8; one that is not UTF-8 is refused,
 * naming it and its first bad byte. Where the bytes cannot be had, an argument holding U+FFFD is refused: it may
 * stand for bytes the JVM could not decode.
 */
public final class ExactArguments {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");
    private static final int SHOWN = 40;

    private ExactArguments() {
    }

    /** The exact arguments of this process, or an IllegalArgumentException naming one that is not UTF-8. */
    public static String[] of(String[] decoded) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(CMDLINE);
        } catch (IOException e) {
            cmdline = null;
        }
        String platform = System.getProperty("sun.jnu.encoding");
        return of(decoded, cmdline, platform != null && Charset.isSupported(platform) ? Charset.forName(platform)
                : null);
    }

    /** {@code cmdline}: the process's NUL-terminated argv bytes, or null; {@code platform}: how the JVM decoded. */
    static String[] of(String[] decoded, byte[] cmdline, Charset platform) {
        List<byte[]> bytes = cmdline == null || platform == null ? null : lastEntries(cmdline, decoded.length);
        for (int i = 0; bytes != null && i < decoded.length; i++) {
            if (!new String(bytes.get(i), platform).equals(decoded[i])) {
                bytes = null; // not this JVM's argv (an embedding launcher): the bytes are unknown
            }
        }
        String[] exact = new String[decoded.length];
        for (int i = 0; i < decoded.length; i++) {
            if (bytes == null && decoded[i].indexOf('\ufffd') >= 0) {
                throw new IllegalArgumentException("argument " + (i + 1) + " holds U+FFFD, which may stand for bytes"
                        + " that are not UTF-8, and the bytes cannot be read here (no " + CMDLINE + ")");
            }
            String problem = bytes == null ? null : Utf8.problem(bytes.get(i));
            if (problem != null) {
                throw new IllegalArgumentException("argument " + (i + 1) + ", " + shellQuoted(bytes.get(i))
                        + ", is not UTF-8: " + problem);
            }
            exact[i] = bytes == null ? decoded[i] : new String(bytes.get(i), StandardCharsets.UTF_8);
        }
        return exact;
    }

    /** The last {@code count} NUL-terminated entries, or null when there are fewer. */
    private static List<byte[]> lastEntries(byte[] cmdline, int count) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                entries.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        return entries.size() < count ? null : entries.subList(entries.size() - count, entries.size());
    }

    /** The argument as bash's {@code $'...'} would write it, its first bytes only when long. */
    private static String shellQuoted(byte[] argument) {
        StringBuilder text = new StringBuilder("$'");
        for (int i = 0; i < Math.min(argument.length, SHOWN); i++) {
            int b = argument[i] & 0xff;
            if (b == '\'' || b == '\\') {
                text.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return text.append(argument.length > SHOWN ? "'..." : "'").toString();
    }
}
