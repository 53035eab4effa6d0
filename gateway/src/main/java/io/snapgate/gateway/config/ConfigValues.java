package io.snapgate.gateway.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Parses raw settings; every refusal names the key, the value and where it came from. */
final class ConfigValues {
    private static final String SUFFIXES = " (a number with an optional KiB, MiB or GiB)";

    private ConfigValues() {
    }

    static int integer(ConfigKey key, Setting s, int min, int max) {
        long v;
        try {
            v = Long.parseLong(s.value().strip());
        } catch (NumberFormatException e) {
            v = Long.MIN_VALUE;
        }
        if (v < min || v > max) {
            throw refuse(key, s, "expected a whole number from " + min + " to " + max);
        }
        return (int) v;
    }

    static long millis(ConfigKey key, Setting s) {
        long v = number(key, s);
        if (v < 1) {
            throw refuse(key, s, "expected a positive number of milliseconds");
        }
        return v;
    }

    /**
     * Bytes, with an optional binary suffix: {@code 1048576}, {@code 512KiB}, {@code 1MiB}; below 2GiB, since these
     * limits (bodies, messages, log bytes) are held in a Java array or an int.
     */
    static long bytes(ConfigKey key, Setting s) {
        long v = ByteSize.parse(s.value());
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw refuse(key, s, "expected a size from 1 byte to 2GiB less one byte" + SUFFIXES);
        }
        return v;
    }

    /** Bytes, as {@link #bytes(ConfigKey, Setting)}, up to {@code maxGiB} GiB included. */
    static long bytes(ConfigKey key, Setting s, long maxGiB) {
        long v = ByteSize.parse(s.value());
        if (v < 1 || v > maxGiB << 30) {
            throw refuse(key, s, "expected a size from 1 byte to " + maxGiB + "GiB" + SUFFIXES);
        }
        return v;
    }

    static boolean bool(ConfigKey key, Setting s) {
        return switch (s.value().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw refuse(key, s, "expected true or false");
        };
    }

    /** A vCPU backend name: auto, emulated or kvm (whether this machine has it is checked when it is used). */
    static String backend(ConfigKey key, Setting s) {
        String name = s.value().strip();
        if (!List.of("auto", "emulated", "kvm").contains(name)) {
            throw refuse(key, s, "expected auto, emulated or kvm");
        }
        return name;
    }

    static List<String> list(Setting s) {
        return Arrays.stream(s.value().split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    private static long number(ConfigKey key, Setting s) {
        try {
            return Long.parseLong(s.value().strip());
        } catch (NumberFormatException e) {
            throw refuse(key, s, "expected a whole number");
        }
    }

    static ConfigException refuse(ConfigKey key, Setting s, String why) {
        return new ConfigException(key.key() + " = \"" + s.value() + "\" (from " + s.origin() + "): " + why);
    }
}
