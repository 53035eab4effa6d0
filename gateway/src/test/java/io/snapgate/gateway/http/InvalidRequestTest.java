package io.snapgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests the HTTP decoder refuses still get the gateway's JSON error body, over a raw socket. */
class InvalidRequestTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private record Answer(int status, JsonObject error) {
    }

    @Test
    void aRequestLineOverTheLimitIs414() throws IOException {
        Answer answer = send("GET /v1/snapshots/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.error().getString("code")).isEqualTo("URI_TOO_LONG");
        assertThat(answer.error().getString("message")).isEqualTo("the request line is longer than 4096 bytes");
    }

    @Test
    void headersOverTheLimitAre431() throws IOException {
        Answer answer = send("GET /v1/snapshots HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.error().getString("code")).isEqualTo("HEADERS_TOO_LARGE");
    }

    @Test
    void aMalformedRequestIs400NamingTheProblem() throws IOException {
        Answer answer =
                send("POST /v1/snapshots/hello/functions/greet HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error().getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(answer.error().getString("message")).startsWith("malformed HTTP request: ")
                .containsIgnoringCase("content-length");
    }

    /** Sends raw bytes and reads the answer until the server closes the connection. */
    private static Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gw.gateway().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            return new Answer(status, new JsonObject(body).getJsonObject("error"));
        }
    }
}
