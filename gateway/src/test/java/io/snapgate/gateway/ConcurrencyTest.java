package io.snapgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many clients at once: each answer matches its own call's arguments. */
class ConcurrencyTest {
    private static final int CLIENTS = 16;
    private static final int CALLS_EACH = 40;

    @Test
    void manyClientsAtOnceEachGetTheirOwnAnswer() {
        try (TestGateway gw = TestGateway.start()) {
            Vertx vertx = gw.clients();
            List<WebClient> clients = new ArrayList<>();
            List<Future<Void>> checks = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(gw.gateway().port()));
                clients.add(client);
                for (int i = 0; i < CALLS_EACH; i++) {
                    int value = c * 100_000 + i;
                    boolean viaHost = i % 2 == 0; // half the calls cross into a host function and back
                    String function = viaHost ? "roundtrip_string" : "echo_i32";
                    Object arg = viaHost ? "v" + value : value;
                    checks.add(client.post("/v1/snapshots/testguest/functions/" + function)
                            .sendJsonObject(new JsonObject().put("args", new JsonArray().add(arg)))
                            .map(r -> {
                                assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
                                assertThat(r.bodyAsJsonObject().getValue("result")).isEqualTo(arg);
                                return null;
                            }));
                }
            }
            Future.all(checks).await();
            clients.forEach(WebClient::close);
        }
    }
}
