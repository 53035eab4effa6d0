package io.snapgate.store;

/**
 * The store refused a snapshot, a reference or a store directory. The message starts with the
 * {@link Problem}'s description, then names the file or field and what was wrong with it. Expected in normal
 * operation (bad input, a damaged file), so it carries no stack trace of its own.
 */
public final class SnapshotFormatException extends RuntimeException {
    private final Problem problem;

    public SnapshotFormatException(Problem problem, String detail) {
        this(problem, detail, null);
    }

    public SnapshotFormatException(Problem problem, String detail, Throwable cause) {
        super(problem.description() + ": " + detail, cause, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    /** {@code value} quoted for a message, shortened when long (it may come from a damaged file). */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 77) + "..." : value;
        return '"' + shown + '"';
    }
}
