package io.snapgate.gateway.cli;

import io.snapgate.gateway.Gateway;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.store.SnapshotStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/** {@code snapgate serve}: runs a gateway node until the process is told to stop (SIGINT or SIGTERM). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves calls over REST (/v1), WebSocket (/v1/ws) and the event bus (snapgate.call).",
                "With the default store, the example guests hello and testguest are installed on first start."})
public final class ServeCommand extends ConfiguredCommand implements Callable<Integer> {
    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig config = config();
        Gateway gateway = Gateway.start(config).await();
        String url = "http://" + config.host() + ":" + gateway.port();
        PrintWriter out = out();
        out.printf("snapgate listening on %s (%s backend, %d workers, store %s%s)%n", url, gateway.backend(),
                config.workers(), config.store(), config.authenticates() ? ", bearer tokens required" : "");
        gateway.node().ifPresent(node -> out.printf("cluster node %s of cluster %s%n", node,
                config.cluster().orElseThrow().clusterName()));
        if (SnapshotStore.open(config.store()).tags().contains("hello")) {
            out.printf("try: curl -s -X POST %s/v1/snapshots/hello/functions/greet -d '{\"args\":[\"world\"]}'%n",
                    url.replace("0.0.0.0", "127.0.0.1"));
        } else {
            out.printf("add a snapshot: curl -s -X POST '%s/v1/snapshots?tag=NAME' --data-binary @guest.elf "
                    + "(or start with --examples true)%n", url.replace("0.0.0.0", "127.0.0.1"));
        }
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close().await(config.gracePeriod().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.println("snapgate: shutdown did not finish within the grace period");
            } finally {
                stopped.countDown();
            }
        }, "snapgate-shutdown"));
        stopped.await();
        return 0;
    }
}
