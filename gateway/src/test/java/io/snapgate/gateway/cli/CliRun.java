package io.snapgate.gateway.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One run of the {@code snapgate} command, in process: its exit status and what it printed. */
record CliRun(int status, String out, String err) {

    /** Runs the command line with {@code args}, reading its configuration from {@code env}. */
    static CliRun of(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.create(env).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new CliRun(status, out.toString(), err.toString());
    }
}
