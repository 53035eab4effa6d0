package io.snapgate.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.RawWebSocket;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text messages as bytes, over a raw socket: one that is not UTF-8 fails the connection (1007) after an error
 * frame naming the byte; an unpaired surrogate escape is answered with an error naming the argument; neither is
 * dispatched. A character split across frames, or astral, reaches the guest unchanged.
 */
class WebSocketTextTest {
    private static final int LIMIT = 4096;

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.BODY_LIMIT, Integer.toString(LIMIT)));

    private RawWebSocket ws;

    @BeforeEach
    void connect() throws IOException {
        ws = RawWebSocket.connect(gw.gateway().port(), "/v1/ws");
    }

    @AfterEach
    void disconnect() throws IOException {
        ws.close();
    }

    /** An echo_string call with id 1 whose string is {@code bytes}; they start at byte 65 of the message. */
    private static byte[] echo(int... bytes) {
        byte[] start = "{\"id\":1,\"snapshot\":\"testguest\",\"function\":\"echo_string\",\"args\":[\""
                .getBytes(StandardCharsets.US_ASCII);
        byte[] message = Arrays.copyOf(start, start.length + bytes.length + 3);
        for (int i = 0; i < bytes.length; i++) {
            message[start.length + i] = (byte) bytes[i];
        }
        System.arraycopy("\"]}".getBytes(StandardCharsets.US_ASCII), 0, message, start.length + bytes.length, 3);
        return message;
    }

    private JsonObject answer() throws IOException {
        RawWebSocket.Frame frame = ws.receive();
        assertThat(frame.opcode()).as("an answer, not a close").isEqualTo(RawWebSocket.TEXT);
        return new JsonObject(frame.text());
    }

    private void assertFailedWith(String message) throws IOException {
        JsonObject answer = answer();
        assertThat(answer.getValue("id")).isNull();
        assertThat(answer.getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
        assertThat(answer.getJsonObject("error").getString("message")).isEqualTo("WebSocket message: " + message);
        RawWebSocket.Frame close = ws.receive();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeCode()).as("invalid frame payload data").isEqualTo(1007);
        assertThat(close.text().substring(2)).isEqualTo(message);
    }

    @Test
    void aMessageThatIsNotUtf8FailsTheConnectionNamingTheByte() throws IOException {
        double counted = gw.callsCounted();
        ws.sendText(echo(0xc3, 0x28));
        assertFailedWith("invalid UTF-8 at byte 65 (0xc3 0x28: a character cut short)");
        assertThat(gw.callsCounted()).as("calls dispatched").isEqualTo(counted);
    }

    @Test
    void encodedSurrogatesAndOverlongFormsAreNotUtf8() throws IOException {
        ws.sendText(echo(0xed, 0xa0, 0x80));
        assertFailedWith("invalid UTF-8 at byte 65 (0xed 0xa0: an encoded surrogate)");
        ws.close();
        ws = RawWebSocket.connect(gw.gateway().port(), "/v1/ws");
        ws.sendText(echo(0xc0, 0xaf));
        assertFailedWith("invalid UTF-8 at byte 65 (0xc0: an overlong encoding)");
    }

    @Test
    void aCharacterCutShortAcrossFramesIsFoundInTheWholeMessage() throws IOException {
        byte[] message = echo(0xf0, 0x9f, 0x41);
        ws.send(RawWebSocket.TEXT, false, Arrays.copyOf(message, 66));
        ws.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(message, 66, message.length));
        assertFailedWith("invalid UTF-8 at byte 65 (0xf0 0x9f 0x41: a character cut short)");
    }

    @Test
    void aCharacterSplitAcrossFramesReachesTheGuestWhole() throws IOException {
        byte[] message = echo(0xf0, 0x9f, 0x98, 0x80);
        ws.send(RawWebSocket.TEXT, false, Arrays.copyOf(message, 66));
        ws.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(message, 66, message.length));
        assertThat(answer().getString("result")).isEqualTo("😀");
    }

    @Test
    void anUnpairedSurrogateEscapeIsAnsweredNamingTheArgumentAndTheConnectionGoesOn() throws IOException {
        double counted = gw.callsCounted();
        ws.sendText(new JsonObject().put("id", 7).put("snapshot", "testguest").put("function", "echo_string")
                .put("args", new io.vertx.core.json.JsonArray().add("ab\ud800")).toBuffer().getBytes());
        JsonObject answer = answer();
        assertThat(answer.getInteger("id")).isEqualTo(7);
        assertThat(answer.getJsonObject("error").getString("code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(answer.getJsonObject("error").getString("message"))
                .isEqualTo("args[0]: unpaired surrogate \\ud800 at character 2");
        assertThat(answer.getJsonObject("error").getInteger("argument")).isZero();
        assertThat(gw.callsCounted()).as("calls dispatched").isEqualTo(counted);
        ws.sendText(echo(0xf0, 0x9f, 0x98, 0x80));
        assertThat(answer().getString("result")).isEqualTo("😀");
    }

    @Test
    void binaryMessagesAreRefused() throws IOException {
        ws.send(RawWebSocket.BINARY, true, echo());
        assertThat(answer().getJsonObject("error").getString("message")).isEqualTo("send calls as JSON text frames");
    }

    @Test
    void aMessageOverTheLimitInSeveralFramesClosesTheConnection() throws IOException {
        ws.send(RawWebSocket.TEXT, false, new byte[LIMIT / 2]);
        ws.send(RawWebSocket.CONTINUATION, true, new byte[LIMIT / 2 + 1]);
        RawWebSocket.Frame close = ws.receive();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeCode()).as("message too big").isEqualTo(1009);
        assertThat(close.text().substring(2)).isEqualTo("message over the limit of " + LIMIT + " bytes");
    }
}
