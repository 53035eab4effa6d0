package io.snapgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A connection that goes quiet (a request sent in part, or nothing at all) is closed after the idle timeout. */
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
