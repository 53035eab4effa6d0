package io.snapgate.gateway.cli;

import io.snapgate.gateway.guest.GuestSdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code snapgate guest sdk DIR}: the SDK the jar carries, written out for builds with make itself. */
@Command(name = "sdk", mixinStandardHelpOptions = true,
        description = "Writes the guest SDK (headers, runtime, C library glue, linker script, checks, guest.mk)"
                + " into DIR, for building guests with make directly.")
public final class GuestSdkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "the folder to write it in")
    private Path dir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        GuestSdk.fromClassPath().writeTo(dir);
        spec.commandLine().getOut().printf("wrote the guest SDK to %s; build a guest with:%n"
                + "  make -f %s ELF=NAME.elf SOURCES=NAME.c%n", dir, dir.resolve(GuestSdk.BUILD_RULES));
        return 0;
    }
}
