package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.registry.RegistryCredentials;
import io.snapgate.gateway.registry.RegistryPull;
import io.snapgate.gateway.registry.RegistryRef;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapgate pull REGISTRY/REPO:REF --tag NAME}: a snapshot from an OCI registry into the store. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Pulls a snapshot from an OCI registry into the store: every blob hashed as it streams in,",
                "nothing tagged unless all are verified; a broken transfer resumes, and pulling again fetches only",
                "what is missing. Credentials come from the auth file registryAuth names."})
public final class PullCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REGISTRY/REPO:REF", description = "registry host, repository, and a tag or @sha256:...")
    private String from;

    @Option(names = "--tag", required = true, paramLabel = "NAME", description = "the tag to give it in the store")
    private String tag;

    @Override
    public Integer call() {
        GatewayConfig config = config();
        RegistryRef source = RegistryRef.parse(from);
        SnapshotInfo info = new RegistryPull(new RegistryCredentials(config.registryAuth()))
                .pull(SnapshotStore.open(config.store()), source, tag);
        out().printf("pulled %s as %s: %s, %d KiB of memory, verified%n", source, tag, info.manifestDigest(),
                info.memorySize() / 1024);
        return 0;
    }
}
