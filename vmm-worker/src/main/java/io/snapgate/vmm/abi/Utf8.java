package io.snapgate.vmm.abi;

/**
 * Where text is not valid Unicode, so that it is refused rather than altered: Java's encoders turn an unpaired
 * surrogate into {@code ?} and its decoders turn bytes that are not UTF-8 into U+FFFD, silently. Bytes are
 * UTF-8 only in their shortest form (Unicode's table 3-7): no overlong encodings, no encoded surrogates,
 * nothing past U+10FFFF, no character cut short.
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * Why {@code text} has no UTF-8 encoding ({@code "unpaired surrogate \ud800 at character 3"}, characters
     * counted from 0 in code points), or null when it has one.
     */
    public static String problem(CharSequence text) {
        int character = 0;
        for (int i = 0; i < text.length(); i++, character++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
                continue;
            }
            return String.format("unpaired surrogate \\u%04x at character %d", (int) c, character);
        }
        return null;
    }

    /** {@code text}, or an IllegalArgumentException saying why no UTF-8 encodes it. */
    public static String require(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return text;
    }

    /**
     * Why {@code bytes} are not UTF-8 ({@code "invalid UTF-8 at byte 17 (0xc3 0x28)"}, bytes counted from 0,
     * with the bytes of the first bad sequence and what is wrong with it), or null when they are.
     */
    public static String problem(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xff;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3
                    : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
            if (length == 0) {
                return at(bytes, i, 1, lead >= 0x80 && lead <= 0xbf ? "a continuation byte with no lead byte"
                        : lead <= 0xc1 ? "an overlong encoding" : "not a byte of UTF-8");
            }
            for (int k = 1; k < length; k++) {
                if (i + k == bytes.length) {
                    return at(bytes, i, k, "the text ends inside a character");
                }
                int next = bytes[i + k] & 0xff;
                if (next < 0x80 || next > 0xbf) {
                    return at(bytes, i, k + 1, "a character cut short");
                }
                String narrowed = k == 1 ? secondByteProblem(lead, next) : null;
                if (narrowed != null) {
                    return at(bytes, i, 2, narrowed);
                }
            }
            i += length;
        }
        return null;
    }

    /** The second byte of a sequence narrows what the lead byte allows. */
    private static String secondByteProblem(int lead, int second) {
        if ((lead == 0xe0 && second < 0xa0) || (lead == 0xf0 && second < 0x90)) {
            return "an overlong encoding";
        }
        if (lead == 0xed && second > 0x9f) {
            return "an encoded surrogate";
        }
        if (lead == 0xf4 && second > 0x8f) {
            return "beyond U+10FFFF";
        }
        return null;
    }

    private static String at(byte[] bytes, int start, int count, String why) {
        StringBuilder text = new StringBuilder("invalid UTF-8 at byte ").append(start).append(" (");
        for (int k = 0; k < count; k++) {
            text.append(k == 0 ? "" : " ").append(String.format("0x%02x", bytes[start + k] & 0xff));
        }
        return text.append(": ").append(why).append(')').toString();
    }
}
