package io.snapgate.store.config;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;

/** The rule every name in a config follows (regions, functions, backend), and the validators' one way to fail. */
final class Names {
    static final int MAX_LENGTH = 255;

    private Names() {
    }

    /** Whether {@link #check} would accept {@code name}: callers with many names build a field only to fail. */
    static boolean valid(String name) {
        return fault(name) == null;
    }

    /** Refuses null, empty, longer than 255 characters, or holding a control character. */
    static void check(Problem problem, String field, String name) {
        String fault = fault(name);
        if (fault != null) {
            throw fail(problem, field, fault);
        }
    }

    /** What is wrong with {@code name}, or null when nothing is. */
    private static String fault(String name) {
        if (name == null || name.isEmpty()) {
            return "is missing or empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "is " + name.length() + " characters long, more than " + MAX_LENGTH;
        }
        if (hasControl(name)) {
            return SnapshotFormatException.quote(name) + " holds a control character";
        }
        return null;
    }

    private static boolean hasControl(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static SnapshotFormatException fail(Problem problem, String field, String what) {
        return new SnapshotFormatException(problem, field + " " + what);
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
