package io.snapgate.gateway.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code snapgate guest}: write and build guests outside this repository, with the SDK the jar carries. */
@Command(name = "guest", mixinStandardHelpOptions = true,
        description = "Writes a starter guest, builds a guest ELF from C sources, or writes the guest SDK out.",
        subcommands = {GuestNewCommand.class, GuestBuildCommand.class, GuestSdkCommand.class})
public final class GuestCommand implements Runnable {
    @ParentCommand
    private SnapgateCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where builds keep the SDK and their objects: $XDG_CACHE_HOME/snapgate, or ~/.cache/snapgate. */
    Path cache() {
        Map<String, String> env = parent.env();
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "snapgate");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "snapgate");
    }
}
