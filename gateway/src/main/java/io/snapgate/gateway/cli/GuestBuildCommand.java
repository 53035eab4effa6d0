package io.snapgate.gateway.cli;

import io.snapgate.gateway.guest.GuestBuild;
import io.snapgate.gateway.guest.GuestSdk;
import io.snapgate.gateway.guest.GuestSdkException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code snapgate guest build SOURCE... -o ELF}: a guest ELF from C sources, with the SDK the jar carries. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds a guest ELF from C sources with the SDK in this jar (needs gcc, make and musl-dev);"
                + " deploy it with `snapgate build --tag NAME ELF`.")
public final class GuestBuildCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SOURCE", description = "the guest's C files")
    private List<Path> sources;

    @Option(names = {"-o", "--output"}, paramLabel = "ELF",
            description = "the ELF to write (default: the first source's name with .elf)")
    private Path elf;

    @Option(names = {"-v", "--verbose"}, description = "show the compiler and linker commands")
    private boolean verbose;

    @ParentCommand
    private GuestCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Path output = elf != null ? elf : Path.of(sources.get(0).toString().replaceFirst("\\.c$", "") + ".elf");
        try {
            GuestBuild build = GuestBuild.prepare(GuestSdk.fromClassPath(), parent.cache(), err);
            if (build.run(sources, output, verbose, err) != 0) {
                err.println("snapgate guest build: " + output + " was not built (see the messages above)");
                return Cli.FAILED;
            }
        } catch (GuestSdkException e) {
            err.println("snapgate guest build: " + e.getMessage());
            return Cli.FAILED;
        }
        spec.commandLine().getOut().printf("built %s (%d KiB); deploy it with: snapgate build --tag NAME %s%n",
                output, (Files.size(output) + 1023) / 1024, output);
        return 0;
    }
}
