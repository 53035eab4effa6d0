package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.ConfigException;
import io.snapgate.gateway.error.Errors;
import java.util.Map;
import picocli.CommandLine;

/** Builds the {@code snapgate} command line: subcommands, configuration flags, and how failures are reported. */
public final class Cli {
    /** Exit status of a command that failed (a refused call, a damaged store, ...). */
    public static final int FAILED = 1;
    /** Exit status of a bad command line or configuration. */
    public static final int USAGE = 2;

    private Cli() {
    }

    /** The command line, reading configuration from {@code env} (the process environment in production). */
    public static CommandLine create(Map<String, String> env) {
        CommandLine cli = new CommandLine(new SnapgateCommand(env));
        ConfigOptions.addTo(cli.getSubcommands().get("serve").getCommandSpec(), true);
        for (String name : new String[] {"build", "call", "ls", "verify", "gc", "push", "pull"}) {
            ConfigOptions.addTo(cli.getSubcommands().get(name).getCommandSpec(), false);
        }
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            boolean usage = e instanceof ConfigException;
            // The operator runs the command: a store or system failure is shown whole (a client would get 500).
            String message = usage || Errors.selfDescribing(e) ? Errors.describe(e) : Errors.answer(e).getMessage();
            command.getErr().println("snapgate " + command.getCommandName() + ": " + message);
            return usage ? USAGE : FAILED;
        });
        return cli;
    }
}
