package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.registry.RegistryCredentials;
import io.snapgate.gateway.registry.RegistryPush;
import io.snapgate.gateway.registry.RegistryRef;
import io.snapgate.store.SnapshotStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code snapgate push TAG REGISTRY/REPO:REF}: a snapshot of the store to an OCI registry. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Pushes a snapshot to an OCI registry (the Distribution spec), in chunks, blobs the registry",
                "holds already skipped. Credentials come from the auth file registryAuth names (as skopeo, podman",
                "or docker login write it); a registry on a loopback address is spoken to over plain HTTP."})
public final class PushCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TAG", description = "the snapshot: a tag or digest of the store")
    private String ref;

    @Parameters(index = "1", paramLabel = "REGISTRY/REPO:REF",
            description = "where to: registry host, repository, and a tag (or @sha256:... of this snapshot)")
    private String to;

    @Override
    public Integer call() {
        GatewayConfig config = config();
        RegistryRef target = RegistryRef.parse(to);
        String digest = new RegistryPush(new RegistryCredentials(config.registryAuth()))
                .push(SnapshotStore.openExisting(config.store()), ref, target);
        out().printf("pushed %s to %s as %s%n", ref, target, digest);
        return 0;
    }
}
