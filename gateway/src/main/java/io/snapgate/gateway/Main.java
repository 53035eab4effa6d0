package io.snapgate.gateway;

import io.snapgate.gateway.cli.Cli;
import io.snapgate.gateway.cli.ExactArguments;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code snapgate} command; {@code snapgate --help} lists the subcommands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String[] exact;
        try {
            exact = ExactArguments.of(args);
        } catch (IllegalArgumentException e) {
            System.err.println("snapgate: " + e.getMessage());
            System.exit(Cli.USAGE);
            return;
        }
        System.exit(Cli.create(System.getenv()).setOut(utf8(System.out)).setErr(utf8(System.err)).execute(exact));
    }

    /** Output in UTF-8 whatever the locale: JSON is UTF-8, and under LANG=C Java would print '?' for "é". */
    private static PrintWriter utf8(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
