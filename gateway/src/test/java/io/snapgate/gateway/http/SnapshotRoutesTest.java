package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/snapshots}: build, list, describe, delete. */
class SnapshotRoutesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void listsTheExampleSnapshots() {
        JsonObject body = json(gw.get("/v1/snapshots"), 200);
        assertThat(body.getJsonArray("snapshots").stream().map(s -> ((JsonObject) s).getJsonArray("tags").getString(0)))
                .contains("hello", "testguest");
    }

    @Test
    void describesOneByTagOrDigest() {
        JsonObject hello = json(gw.get("/v1/snapshots/hello"), 200);
        assertThat(hello.getString("digest")).startsWith("sha256:");
        assertThat(hello.getLong("memoryBytes")).isPositive();
        assertThat(hello.getString("created")).isNotBlank();
        assertThat(hello.getString("createdBy")).isEqualTo(gw.gateway().backend());
        assertThat(hello.getJsonArray("functions").getJsonObject(0).getString("signature"))
                .isEqualTo("greet(string) -> string");
        JsonObject byDigest = json(gw.get("/v1/snapshots/" + hello.getString("digest")), 200);
        assertThat(byDigest.getJsonArray("tags")).contains("hello");
        error(gw.get("/v1/snapshots/nope"), 404, "UNKNOWN_SNAPSHOT");
        error(gw.get("/v1/snapshots/bad..tag%2F"), 400, "BAD_REQUEST");
    }

    @Test
    void buildsAnUploadedElfThenCallsAndDeletesIt() {
        var response = gw.post("/v1/snapshots?tag=mine", Buffer.buffer(ExampleGuests.elf("hello")));
        JsonObject built = json(response, 201);
        assertThat(response.getHeader("Location")).isEqualTo("/v1/snapshots/mine");
        assertThat(built.getString("digest")).startsWith("sha256:");
        assertThat(built.getLong("memoryBytes")).isPositive();
        assertThat(built.getJsonArray("functions")).hasSize(5);
        assertThat(result(gw.call("mine", "greet", "again"))).isEqualTo("Hello, again!");

        assertThat(gw.delete("/v1/snapshots/mine").statusCode()).isEqualTo(204);
        error(gw.call("mine", "greet", "x"), 404, "UNKNOWN_SNAPSHOT");
        error(gw.delete("/v1/snapshots/mine"), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void badUploadsAreRefused() {
        error(gw.post("/v1/snapshots", Buffer.buffer(ExampleGuests.elf("hello"))), 400, "BAD_REQUEST");
        error(gw.post("/v1/snapshots?tag=../x", Buffer.buffer(ExampleGuests.elf("hello"))), 400, "BAD_REQUEST");
        error(gw.post("/v1/snapshots?tag=junk", Buffer.buffer("not an elf")), 422, "INVALID_GUEST");
        error(gw.post("/v1/snapshots?tag=empty", Buffer.buffer()), 400, "BAD_REQUEST");
    }
}
