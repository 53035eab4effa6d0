package io.snapgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.gateway.testing.Waits;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snapgate serve} in a process of its own, stopped the way operators stop it: SIGTERM. */
class ServeProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheGuestStillRunningAfterTheGraceAnswersItsCallerAndExits() throws Exception {
        try (NodeProcess node = NodeProcess.start("serve", dir.resolve("serve.log"), List.of(), List.of("serve",
                "--port", "0", "--store", dir.resolve("store").toString(), "--examples", "true",
                "--grace-period-ms", "500")).awaitListening(Duration.ofMinutes(1))) {
            CompletableFuture<HttpResponse<String>> endless = node.postAsync(
                    "/v1/snapshots/testguest/functions/spin", "{\"args\": [], \"deadlineMs\": 20000}");
            Waits.until("the guest runs", Duration.ofSeconds(30), () -> node.metric("snapgate_workers_busy") >= 1);

            int status = node.terminate(Duration.ofSeconds(30));

            HttpResponse<String> answer = endless.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("code"))
                    .isEqualTo("SHUTTING_DOWN");
            assertThat(status).as("exit status (128 + SIGTERM)").isEqualTo(143);
            assertThat(node.logText()).as("the log of a clean stop")
                    .contains("stopping: no new calls; waiting up to 500 ms for the 1 calls in flight",
                            "grace period of 500 ms over: stopping the 1 calls still running", "stopped in")
                    .doesNotContain("Exception", "\tat ", " ERROR ");
        }
    }
}
