package io.snapgate.gateway.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code snapgate}: with no subcommand, prints the help. */
@Command(name = "snapgate", mixinStandardHelpOptions = true, version = "snapgate 0.1.0",
        description = "Runs function calls inside micro-VM sandboxes: a gateway over REST, WebSocket and the "
                + "Vert.x event bus, and tools for its snapshot store.",
        subcommands = {ServeCommand.class, BuildCommand.class, CallCommand.class, LsCommand.class,
                VerifyCommand.class, GcCommand.class, PushCommand.class, PullCommand.class, DemoCommand.class,
                GuestCommand.class,
                CommandLine.HelpCommand.class})
public final class SnapgateCommand implements Runnable {
    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    SnapgateCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The environment the configuration is read from. */
    Map<String, String> env() {
        return env;
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        spec.commandLine().usage(out);
    }
}
