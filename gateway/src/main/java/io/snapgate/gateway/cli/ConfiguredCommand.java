package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.snapshot.SnapshotBuilder;
import io.snapgate.vmm.sandbox.GuestLog;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What the subcommands that read the configuration share: their config, output streams and snapshot builder. */
abstract class ConfiguredCommand {
    @ParentCommand
    private SnapgateCommand parent;

    @Spec
    private CommandSpec spec;

    /** Flags over environment over config file over defaults. */
    GatewayConfig config() {
        return ConfigOptions.resolve(spec, parent.env());
    }

    /**
     * A builder with the gateway's host functions, on the configured backend, with its guest limits; no memory
     * budget (a command builds one guest at a time).
     */
    static SnapshotBuilder builder(GatewayConfig config) {
        return new SnapshotBuilder(GatewayHostFunctions.all(), config.vcpuBackend(),
                config.sandboxConfig().withCallTimeout(config.maxDeadline()), GuestLog.SLF4J, MemoryBudget.unlimited());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
