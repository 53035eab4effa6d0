package io.snapgate.gateway.worker;

import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls queued on a worker run in turns (several per hand-over to the emulator process), across snapshots, and
 * each is answered as if it had run alone: from its snapshot, with its own result.
 */
class CallTurnsOverRestTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.WORKERS, "1"));

    private static Future<HttpResponse<Buffer>> call(String snapshot, String function, Object... args) {
        return gw.client().post("/v1/snapshots/" + snapshot + "/functions/" + function)
                .sendJsonObject(new JsonObject().put("args", new JsonArray(List.of(args))));
    }

    private static double turnCalls() {
        return gw.get("/metrics").bodyAsString().lines()
                .filter(line -> line.startsWith("snapgate_worker_turns_total{counted=\"calls\"} "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void queuedCallsOfTwoSnapshotsRunInTurnsAndEachStartsFromItsSnapshot() {
        result(gw.call("testguest", "noop"));
        result(gw.call("hello", "add", 1, 2));
        double before = turnCalls();
        Future<HttpResponse<Buffer>> busy = call("testguest", "spin_for_ms", 200); // the calls below queue meanwhile
        List<Future<HttpResponse<Buffer>>> statics = new ArrayList<>();
        List<Future<HttpResponse<Buffer>>> adds = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statics.add(call("testguest", "add_to_static", i));
            adds.add(call("hello", "add", i, 1000));
        }
        assertThat(result(busy.await())).isNotNull();
        for (int i = 0; i < 30; i++) {
            assertThat(result(statics.get(i).await())).as("add_to_static(%d) on a restored sandbox", i).isEqualTo(i);
            assertThat(result(adds.get(i).await())).isEqualTo(i + 1000);
        }
        // how many share a turn depends on the machine's timing (a turn starts no call 200 us after its first)
        assertThat(turnCalls() - before).as("calls that ran in turns of several").isGreaterThanOrEqualTo(2);
        assertThat(result(gw.call("testguest", "get_static"))).isEqualTo(0);
    }
}
