package io.snapgate.gateway.limits;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.gateway.testing.Waits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node with a small memory budget: sessions whose guests dirty all their memory are refused once it is spent
 * (after the idle cached sandboxes were evicted), with a 503 that names the budget; the node and every earlier
 * session go on, and an ended session makes room for a new one. Request bodies count too.
 */
class MemoryBudgetTest {
    private static final long BUDGET = 10 << 20;

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.MEMORY_BUDGET, "10MiB"));

    private static JsonObject memory() {
        return json(gw.get("/health"), 200).getJsonObject("memory");
    }

    private static HttpResponse<Buffer> open() {
        return gw.post("/v1/sessions", new JsonObject().put("snapshot", "testguest"));
    }

    private static HttpResponse<Buffer> call(String id, String function, Object... args) {
        return gw.post("/v1/sessions/" + id + "/functions/" + function,
                new JsonObject().put("args", new JsonArray(List.of(args))));
    }

    /** Opens a session whose guest dirties its whole memory and adds its number to its state. */
    private static String dirtySession(HttpResponse<Buffer> opened, int number) {
        String id = json(opened, 201).getString("id");
        assertThat(((Number) result(call(id, "dirty_memory"))).longValue()).as("its heap and 1 MiB of data")
                .isGreaterThan(1_900_000L);
        assertThat(result(call(id, "add_to_static", number))).isEqualTo(number);
        return id;
    }

    @Test
    void sessionsThatDirtyAllTheirMemoryAreRefusedPastTheBudgetAndTheNodeStaysUp() {
        assertThat(result(gw.call("testguest", "noop"))).isNull();
        assertThat(memory().getLong("cachedSandboxes")).as("the stateless call's sandbox is kept").isPositive();

        List<String> sessions = new ArrayList<>();
        HttpResponse<Buffer> opened = open();
        while (opened.statusCode() == 201 && sessions.size() < 100) {
            sessions.add(dirtySession(opened, sessions.size() + 1));
            opened = open();
        }
        JsonObject refusal = error(opened, 503, "OVERLOADED");
        assertThat(opened.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refusal.getString("message")).startsWith("the node's memory budget of 10 MiB is spent (")
                .contains("a session of sha256:")
                .endsWith("end sessions or retry later, or raise memoryBudget (--memory-budget,"
                        + " SNAPGATE_MEMORY_BUDGET)");

        JsonObject memory = memory();
        assertThat(memory.getLong("budgetBytes")).isEqualTo(BUDGET);
        assertThat(memory.getLong("cachedSandboxes")).as("idle cached sandboxes are evicted first").isZero();
        long perSession = memory.getLong("sessions") / sessions.size();
        assertThat(perSession).as("a session reserves its writable memory").isGreaterThan(2L << 20);
        assertThat(sessions).as("as many sessions as the budget holds").hasSize((int) (BUDGET / perSession));

        assertThat(json(gw.get("/health"), 200).getString("status")).isEqualTo("UP");
        for (int i = 0; i < sessions.size(); i++) {
            assertThat(result(call(sessions.get(i), "get_static"))).as("session %d still answers", i + 1)
                    .isEqualTo(i + 1);
        }
        assertThat(error(gw.call("testguest", "noop"), 503, "OVERLOADED").getString("message"))
                .as("a stateless call needing a sandbox again is refused too").contains("a sandbox of sha256:");
        HttpResponse<Buffer> build = gw.post("/v1/snapshots?tag=more", Buffer.buffer(ExampleGuests.elf("testguest")));
        assertThat(error(build, 503, "OVERLOADED").getString("message")).as("so is building a guest")
                .contains("; building this guest needs ");

        assertThat(gw.delete("/v1/sessions/" + sessions.remove(0)).statusCode()).isEqualTo(204);
        sessions.add(dirtySession(open(), 100));
        sessions.forEach(id -> assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204));
        Waits.until("the sessions' memory is given back", Duration.ofSeconds(10),
                () -> memory().getLong("sessions") == 0);
        assertThat(result(gw.call("hello", "add", 1, 2))).isEqualTo(3);
    }

    @Test
    void anUploadPastTheBudgetIsRefusedAndGivesItsBytesBack() {
        HttpResponse<Buffer> response = gw.post("/v1/snapshots?tag=too-big", Buffer.buffer(new byte[12 << 20]));
        assertThat(error(response, 503, "OVERLOADED").getString("message"))
                .startsWith("the node's memory budget of 10 MiB is spent (").contains("receiving this body needs");
        Waits.until("the body's bytes are given back", Duration.ofSeconds(10),
                () -> memory().getLong("requestBodies") == 0);
    }

    @Test
    void aBodyAbandonedHalfWayGivesItsBytesBack() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gw.gateway().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/snapshots?tag=abandoned HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[1 << 20]);
            out.flush();
            Waits.until("the body's first MiB is reserved", Duration.ofSeconds(10),
                    () -> memory().getLong("requestBodies") >= 1 << 20);
        }
        Waits.until("the abandoned body's bytes are given back", Duration.ofSeconds(10),
                () -> memory().getLong("requestBodies") == 0);
    }
}
