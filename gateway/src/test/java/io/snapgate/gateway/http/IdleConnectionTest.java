package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection that goes quiet (a request sent in part, or nothing at all) is closed after the idle timeout, and
 * so is one that drips its request headers; a WebSocket in use is not.
 */
class IdleConnectionTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.IDLE_TIMEOUT_SECONDS, "1",
            ConfigKey.DEFAULT_DEADLINE_MS, "500", ConfigKey.MAX_DEADLINE_MS, "500"));

    @Test
    void aRequestSentInPartIsClosed() throws IOException {
        assertThat(closedAfter("GET /health HTTP/1.1\r\nHost: x\r\n")).isEmpty(); // headers never end
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        assertThat(closedAfter("")).isEmpty();
    }

    @Test
    void aKeptAliveConnectionIsAnsweredThenClosedOnceQuiet() throws IOException {
        assertThat(closedAfter("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void aRequestSentAByteAtATimeIsClosed() throws Exception {
        // Vert.x counts a connection idle until the HTTP decoder delivers something: bytes of headers that never
        // end do not count, so the idle timeout also ends a client that drips its request (slowloris)
        try (Socket socket = new Socket("127.0.0.1", gw.gateway().port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            AtomicInteger dripped = new AtomicInteger();
            Thread dripping = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) { // 20 s at most: one byte every 200 ms, under the 1 s idle timeout
                        Thread.sleep(200);
                        out.write('x');
                        out.flush();
                        dripped.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server (or the test ended): stop dripping
                }
            });
            dripping.start();
            assertThat(socket.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
            assertThat(dripped.get()).as("bytes sent before the close: it came while they still came").isLessThan(100);
            dripping.interrupt();
            dripping.join();
        }
    }

    @Test
    void aWebSocketInUseOutlivesTheIdleTimeout() throws Exception {
        WebSocketClient client = gw.clients().createWebSocketClient();
        WebSocket ws = client.connect(gw.gateway().port(), "127.0.0.1", "/v1/ws").timeout(ANSWER_S, SECONDS).await();
        AtomicInteger answers = new AtomicInteger();
        ws.textMessageHandler(text -> answers.incrementAndGet());
        for (int i = 0; i < 10; i++) { // 3 s, three times the idle timeout
            ws.writeTextMessage(new JsonObject().put("id", i).put("snapshot", "testguest").put("function", "noop")
                    .put("args", new JsonArray()).encode());
            Thread.sleep(300);
        }
        assertThat(ws.isClosed()).isFalse();
        assertThat(answers.get()).isEqualTo(10);
        ws.close().timeout(ANSWER_S, SECONDS).await();
        client.close().timeout(ANSWER_S, SECONDS).await();
    }

    /** Sends {@code request} and returns what the server sent before it closed the connection. */
    private static String closedAfter(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gw.gateway().port())) {
            socket.setSoTimeout(30_000); // fails the test (SocketTimeoutException) if the server never closes
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
