package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text that is not valid Unicode in a REST call is refused with 400, naming where, and no call is dispatched
 * (no guest sees it, altered or not); valid text, astral characters included, reaches the guest unchanged.
 */
class InvalidTextTest {
    private static final String ECHO = "/v1/snapshots/testguest/functions/echo_string";
    private static final String PREFIX = "{\"args\":[\"";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    /** {@code {"args":["<bytes>"]}}: the bytes start at byte 10 of the body. */
    static Buffer argument(int... bytes) {
        Buffer body = Buffer.buffer(PREFIX);
        for (int b : bytes) {
            body.appendByte((byte) b);
        }
        return body.appendString("\"]}");
    }

    private static void refusedBytes(String path, Buffer body, String message) {
        double counted = gw.callsCounted();
        assertThat(error(gw.post(path, body), 400, "BAD_REQUEST").getString("message")).isEqualTo(message);
        assertThat(gw.callsCounted()).as("calls dispatched").isEqualTo(counted);
    }

    private static JsonObject refusedText(String path, String body, String code, String message) {
        double counted = gw.callsCounted();
        JsonObject error = error(gw.post(path, body), 400, code);
        assertThat(error.getString("message")).isEqualTo(message);
        assertThat(gw.callsCounted()).as("calls dispatched").isEqualTo(counted);
        return error;
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheByte() {
        refusedBytes(ECHO, argument(0xc3, 0x28),
                "request body: invalid UTF-8 at byte 10 (0xc3 0x28: a character cut short)");
        refusedBytes(ECHO, argument(0xc0, 0xaf), "request body: invalid UTF-8 at byte 10 (0xc0: an overlong encoding)");
        refusedBytes(ECHO, argument(0xed, 0xa0, 0x80),
                "request body: invalid UTF-8 at byte 10 (0xed 0xa0: an encoded surrogate)");
        refusedBytes(ECHO, argument(0xf4, 0x90, 0x80, 0x80),
                "request body: invalid UTF-8 at byte 10 (0xf4 0x90: beyond U+10FFFF)");
        refusedBytes(ECHO, Buffer.buffer("{\"args\":[\"x\"]} ").appendByte((byte) 0xe2).appendByte((byte) 0x82),
                "request body: invalid UTF-8 at byte 15 (0xe2 0x82: the text ends inside a character)");
    }

    @Test
    void escapesThatLeaveASurrogateUnpairedAreRefusedNamingTheArgument() {
        JsonObject error = refusedText(ECHO, "{\"args\":[\"\\ud800\"]}", "INVALID_ARGUMENT",
                "args[0]: unpaired surrogate \\ud800 at character 0");
        assertThat(error.getInteger("argument")).isZero();
        refusedText(ECHO, "{\"args\":[\"\\udc00x\"]}", "INVALID_ARGUMENT",
                "args[0]: unpaired surrogate \\udc00 at character 0");
        refusedText("/v1/snapshots/testguest/functions/abort_with_message", "{\"args\":[1,\"ok \\ud83d\"]}",
                "INVALID_ARGUMENT", "args[1]: unpaired surrogate \\ud83d at character 3");
        refusedText(ECHO, "{\"args\":[\"x\"],\"\\ud800\":1}", "BAD_REQUEST",
                "a field name: unpaired surrogate \\ud800 at character 0");
    }

    @Test
    void aPathWhoseBytesAreNotUtf8IsRefusedRatherThanReadWithReplacementCharacters() throws IOException {
        refusedText("/v1/snapshots/testguest/functions/%C3%28", "{}", "BAD_REQUEST",
                "request path, percent-decoded: invalid UTF-8 at byte 34 (0xc3 0x28: a character cut short)");
        refusedText("/v1/sessions/%ED%A0%80/functions/f", "{}", "BAD_REQUEST",
                "request path, percent-decoded: invalid UTF-8 at byte 13 (0xed 0xa0: an encoded surrogate)");
        error(gw.post("/v1/snapshots/testguest/functions/%F0%9F%98%80", "{}"), 404, "UNKNOWN_FUNCTION");
        try (Socket socket = new Socket("127.0.0.1", gw.gateway().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(Buffer.buffer("POST /v1/snapshots/testguest/functions/echo")
                    .appendByte((byte) 0xff).appendString(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes());
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains(
                    "request path, percent-decoded: invalid UTF-8 at byte 38 (0xff: not a byte of UTF-8)");
        }
    }

    @Test
    void astralCharactersReachTheGuestUnchanged() {
        assertThat(result(gw.post(ECHO, argument(0xf0, 0x9f, 0x98, 0x80)))).isEqualTo("😀");
        assertThat(result(gw.post(ECHO, "{\"args\":[\"\\ud83d\\ude00 \\u00e9\"]}"))).isEqualTo("😀 é");
    }

    @Test
    void sessionCallsAndOpeningsAreCheckedTheSameWay() {
        String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "testguest")), 201).getString("id");
        String echo = "/v1/sessions/" + id + "/functions/echo_string";
        refusedBytes(echo, argument(0xc3, 0x28),
                "request body: invalid UTF-8 at byte 10 (0xc3 0x28: a character cut short)");
        refusedText(echo, "{\"args\":[\"\\ud800\"]}", "INVALID_ARGUMENT",
                "args[0]: unpaired surrogate \\ud800 at character 0");
        assertThat(result(gw.post(echo, argument(0xf0, 0x9f, 0x98, 0x80)))).isEqualTo("😀");
        refusedText("/v1/sessions", "{\"snapshot\":\"test\\udfffguest\"}", "BAD_REQUEST",
                "snapshot: unpaired surrogate \\udfff at character 4");
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
    }
}
