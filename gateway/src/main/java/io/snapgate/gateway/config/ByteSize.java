package io.snapgate.gateway.config;

/** A size as settings and query parameters write it: bytes, with an optional binary suffix ({@code 16MiB}). */
public final class ByteSize {
    private static final String[][] SUFFIXES = {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"}};

    private ByteSize() {
    }

    /** The bytes {@code text} says ({@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 2GiB}), or -1. */
    public static long parse(String text) {
        String number = text.strip();
        long unit = 1;
        for (String[] suffix : SUFFIXES) {
            if (number.endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                number = number.substring(0, number.length() - suffix[0].length()).strip();
            }
        }
        try {
            long v = Long.parseLong(number);
            return v < 0 || v > Long.MAX_VALUE / unit ? -1 : v * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code 16MiB}, {@code 4KiB}, {@code 1000 bytes}: the largest unit that divides it. */
    public static String describe(long bytes) {
        for (int i = SUFFIXES.length - 1; i >= 0; i--) {
            long unit = Long.parseLong(SUFFIXES[i][1]);
            if (bytes > 0 && bytes % unit == 0) {
                return bytes / unit + SUFFIXES[i][0];
            }
        }
        return bytes + " bytes";
    }
}
