package io.snapgate.gateway.cli;

import io.snapgate.gateway.guest.GuestSdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code snapgate guest new NAME}: a starter guest, NAME.c, that builds and runs as it is. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Writes NAME.c, a starter guest with one function, ready for `snapgate guest build`.")
public final class GuestNewCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    @Parameters(index = "0", paramLabel = "NAME", description = "the guest's name (letters, digits, _ and -)")
    private String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "the folder to write it in (default: this one)")
    private Path dir = Path.of("");

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new ParameterException(spec.commandLine(), "guest name " + name + " is not a letter or _ followed by"
                    + " up to 63 letters, digits, _ or -");
        }
        Path file = dir.resolve(name + ".c");
        if (Files.exists(file)) {
            spec.commandLine().getErr().println("snapgate guest new: " + file + " exists; not overwritten");
            return Cli.FAILED;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, GuestSdk.fromClassPath().starter(name), StandardCharsets.UTF_8);
        spec.commandLine().getOut().printf("wrote %s; build it with: snapgate guest build %s -o %s.elf%n", file, file,
                dir.resolve(name));
        return 0;
    }
}
