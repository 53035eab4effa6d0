package io.snapgate.gateway.limits;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A guest's floods through the gateway, with the node's per-call limits set low: log lines past them are dropped
 * with one summary and a metric, a host-call flood is stopped with a clear error, a result too large for the
 * output buffer is a guest error; the node, the snapshot and the session go on.
 */
class GuestFloodTest {
    private static final Pattern DROPPED = Pattern.compile("(?m)^snapgate_guest_log_dropped_total (\\S+)");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.LOG_LINES_PER_CALL, "10",
            ConfigKey.LOG_BYTES_PER_CALL, "64KiB", ConfigKey.HOST_CALLS_PER_CALL, "1000"));

    private final Logger guestLogger = (Logger) LoggerFactory.getLogger("io.snapgate.guest");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureTheGuestLog() {
        logged.start();
        guestLogger.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        guestLogger.detachAppender(logged);
    }

    private static double droppedMetric() {
        Matcher m = DROPPED.matcher(gw.get("/metrics").bodyAsString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aLogFloodLeavesTheLimitOneSummaryAndTheMetric() {
        double before = droppedMetric();
        assertThat(result(gw.call("testguest", "log_flood", 20_000, 120))).isEqualTo(20_000);
        List<ILoggingEvent> events = List.copyOf(logged.list);
        assertThat(events.stream().filter(e -> e.getLevel() == Level.ERROR)).hasSize(10);
        assertThat(events.stream().filter(e -> e.getLevel() == Level.WARN)).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).isEqualTo("call to log_flood: dropped 19990"
                        + " guest log lines (2478760 bytes) past the limit of 10 lines or 65536 bytes per call"));
        assertThat(droppedMetric() - before).isEqualTo(19_990);
        assertThat(json(gw.get("/health"), 200).getString("status")).isEqualTo("UP");
    }

    @Test
    void printIsLimitedLikeTheLog() {
        double before = droppedMetric();
        assertThat(result(gw.call("testguest", "print_flood", 50, 10))).isEqualTo(500);
        assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.INFO)).hasSize(10)
                .allMatch(e -> e.getFormattedMessage().equals("p".repeat(10)));
        assertThat(droppedMetric() - before).isEqualTo(40);
    }

    @Test
    void aHostCallFloodIsStoppedAndTheNextCallWorks() {
        JsonObject e = error(gw.call("testguest", "host_call_count", 1_000_000), 500, "GUEST_CRASHED");
        assertThat(e.getString("message")).isEqualTo("call to host_call_count made more than 1000 host calls,"
                + " the limit per call, and was stopped");
        assertThat(result(gw.call("testguest", "host_call_count", 1_000))).isEqualTo(1_001);
    }

    @Test
    void aHostCallFloodInASessionRestoresTheSession() {
        String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "testguest")), 201).getString("id");
        String calls = "/v1/sessions/" + id + "/functions/";
        assertThat(result(gw.post(calls + "add_to_static", new JsonObject().put("args", new JsonArray().add(5)))))
                .isEqualTo(5);
        JsonObject e = error(gw.post(calls + "host_call_count", new JsonObject().put("args",
                new JsonArray().add(5_000))), 500, "GUEST_CRASHED");
        assertThat(e.getString("message")).endsWith("and was stopped (the session was restored to its snapshot)");
        assertThat(result(gw.post(calls + "get_static", new JsonObject()))).isEqualTo(0);
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
    }

    @Test
    void aResultLargerThanTheOutputBufferIsAGuestError() {
        JsonObject e = error(gw.call("testguest", "big_out", 70_000), 422, "GUEST_ERROR");
        assertThat(e.getInteger("guestCode")).isEqualTo(7);
        assertThat(e.getString("guestMessage")).isEqualTo("big_out: the result does not fit the output buffer");
        JsonObject forged = error(gw.call("testguest", "corrupt_result_length"), 500, "GUEST_CRASHED");
        assertThat(forged.getString("message")).contains("result frame length 4294967280 exceeds the output buffer");
        assertThat(result(gw.call("testguest", "big_out", 60_000))).asString().hasSize(80_000); // base64
    }
}
