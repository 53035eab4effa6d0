package io.snapgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/openapi.json} describes exactly the routes the router of a cluster node serves (the node-to-node
 * route included; see {@link OpenApiSingleNodeTest}), every error code with its status, and real answers
 * of a running gateway, successes and errors, fit the schemas, status codes and headers the document gives them
 * (vertx-openapi's validator; it reads response header names in lower case, so the document writes them so).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {
    private static final String TOKEN = "openapi-test-token";
    private static final String CLUSTER_ONLY = "x-snapgate-cluster-only";

    /** A cluster of one (the node-to-node route is mounted), with tokens (so that 401 and 403 can be seen). */
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(TestGateway.clusterOfOne("openapi",
            Map.of(ConfigKey.TOKENS, TOKEN, ConfigKey.BODY_LIMIT, "64KiB")));

    private JsonObject document;
    private ResponseValidator validator;

    @BeforeAll
    void readTheDocument() {
        HttpResponse<Buffer> served = request(HttpMethod.GET, "/v1/openapi.json").send().await();
        assertThat(served.statusCode()).isEqualTo(200);
        document = served.bodyAsJsonObject();
        validator = ResponseValidator.create(gw.clients(), OpenAPIContract.from(gw.clients(), document.copy()).await());
    }

    @Test
    void theDocumentDescribesExactlyTheRoutesTheRouterServes() {
        assertThat(served(gw.gateway().routes())).isEqualTo(documented(document, true));
    }

    @Test
    void theDocumentListsEveryErrorCodeUnderItsStatus() {
        JsonObject components = document.getJsonObject("components");
        assertThat(components.getJsonObject("schemas").getJsonObject("ErrorCode").getJsonArray("enum"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
        Map<Integer, Set<String>> byStatus = new HashMap<>();
        components.getJsonObject("responses").forEach(e -> {
            JsonObject schema = ((JsonObject) e.getValue()).getJsonObject("content").getJsonObject("application/json")
                    .getJsonObject("schema");
            JsonArray codes = schema.getJsonObject("properties").getJsonObject("error").getJsonObject("properties")
                    .getJsonObject("code").getJsonArray("enum");
            for (Object code : codes) {
                byStatus.computeIfAbsent(ErrorCode.valueOf((String) code).status(), s -> new TreeSet<>())
                        .add((String) code);
            }
            assertThat(codes.stream().map(c -> ErrorCode.valueOf((String) c).status()).distinct())
                    .as("codes of response %s", e.getKey()).hasSize(1);
        });
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(byStatus.get(code.status())).as("a response for " + code).contains(code.name());
        }
    }

    @Test
    void realAnswersFitTheirSchemas() {
        String elf = "/v1/snapshots?tag=built";
        answers("getHealth", send(HttpMethod.GET, "/health", null), 200);
        answers("getMetrics", send(HttpMethod.GET, "/metrics", null), 200);
        answers("getOpenApi", send(HttpMethod.GET, "/v1/openapi.json", null), 200);
        answers("getOpenApi", gw.client().get("/v1/openapi.json").send().await(), 401);
        answers("getOpenApi", gw.client().get("/v1/openapi.json").bearerTokenAuthentication("wrong").send().await(),
                403);

        answers("buildSnapshot", send(HttpMethod.POST, elf, Buffer.buffer(ExampleGuests.elf("hello"))), 201);
        answers("buildSnapshot", send(HttpMethod.POST, "/v1/snapshots", Buffer.buffer(ExampleGuests.elf("hello"))),
                400);
        answers("buildSnapshot", send(HttpMethod.POST, elf, Buffer.buffer("not an ELF")), 422);
        answers("listSnapshots", send(HttpMethod.GET, "/v1/snapshots", null), 200);
        HttpResponse<Buffer> hello = send(HttpMethod.GET, "/v1/snapshots/hello", null);
        answers("describeSnapshot", hello, 200);
        assertThat(hello.bodyAsJsonObject().getJsonArray("holders")).as("a cluster node's description").hasSize(1);
        answers("describeSnapshot", send(HttpMethod.GET, "/v1/snapshots/nope", null), 404);
        answers("describeSnapshot", send(HttpMethod.GET, "/v1/snapshots/sha256:zz", null), 400);
        answers("deleteSnapshotTag", send(HttpMethod.DELETE, "/v1/snapshots/built", null), 204);
        answers("deleteSnapshotTag", send(HttpMethod.DELETE, "/v1/snapshots/built", null), 404);

        String add = "/v1/snapshots/hello/functions/add";
        answers("callFunction", send(HttpMethod.POST, add, json("{\"args\": [2, 3]}")), 200);
        answers("callFunction", send(HttpMethod.POST, add, json("{\"args\": [2, \"three\"]}")), 400);
        answers("callFunction", send(HttpMethod.POST, add, json("{\"args\": [\"" + "x".repeat(70_000) + "\"]}")),
                413);
        answers("callFunction", send(HttpMethod.POST, "/v1/snapshots/hello/functions/nope", json("{}")), 404);
        String testguest = "/v1/snapshots/testguest/functions/";
        answers("callFunction", send(HttpMethod.POST, testguest + "add_to_static_and_fail", json("{\"args\": [1]}")),
                422);
        answers("callFunction", send(HttpMethod.POST, testguest + "invalid_instruction", json("{}")), 500);
        answers("callFunction", send(HttpMethod.POST, testguest + "spin", json("{\"deadlineMs\": 100}")), 504);
        answers("callFunction", send(HttpMethod.POST, testguest + "echo_f64", json("{\"args\": [\"NaN\"]}")), 200);

        HttpResponse<Buffer> opened = send(HttpMethod.POST, "/v1/sessions", json("{\"snapshot\": \"hello\"}"));
        answers("openSession", opened, 201);
        answers("openSession", send(HttpMethod.POST, "/v1/sessions", json("{\"snapshot\": \"nope\"}")), 404);
        answers("openSession", send(HttpMethod.POST, "/v1/sessions", json("{\"snap\": \"hello\"}")), 400);
        String session = "/v1/sessions/" + opened.bodyAsJsonObject().getString("id");
        answers("callSessionFunction", send(HttpMethod.POST, session + "/functions/count", json("{\"args\": [2]}")),
                200);
        answers("callSessionFunction", send(HttpMethod.POST, "/v1/sessions/gone-node.ab/functions/count",
                json("{\"args\": [2]}")), 410);
        answers("restoreSession", send(HttpMethod.POST, session + "/restore", null), 200);
        answers("saveSession", send(HttpMethod.POST, session + "/snapshot?tag=saved", null), 201);
        answers("saveSession", send(HttpMethod.POST, session + "/snapshot?tag=no%20spaces", null), 400);
        answers("closeSession", send(HttpMethod.DELETE, session, null), 204);
        answers("closeSession", send(HttpMethod.DELETE, session, null), 404);
        answers("restoreSession", send(HttpMethod.POST, session + "/restore", null), 404);

        String blob = "/v1/cluster/blobs/" + hello.bodyAsJsonObject().getString("digest");
        answers("getBlob", send(HttpMethod.GET, blob, null), 200);
        answers("getBlob", request(HttpMethod.GET, blob).putHeader("Range", "bytes=10-").send().await(), 206);
        answers("getBlob", request(HttpMethod.GET, blob).putHeader("Range", "bytes=1-2").send().await(), 400);
        answers("getBlob", send(HttpMethod.GET, "/v1/cluster/blobs/sha256:" + "0".repeat(64), null), 404);
        answers("openWebSocket", send(HttpMethod.GET, "/v1/ws", null), 400);
    }

    @Test
    void anAnswerThatDoesNotFitItsOperationIsRefused() {
        HttpResponse<Buffer> described = send(HttpMethod.GET, "/v1/snapshots/hello", null);
        assertThatThrownBy(() -> fits("buildSnapshot", 201, described)).as("a summary has no createdBy")
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not allow");
        assertThatThrownBy(() -> answers("getHealth", send(HttpMethod.GET, "/v1/snapshots/nope", null), 404))
                .as("a status the operation does not answer").hasMessageContaining("does not allow");
    }

    /** Asserts the answer has {@code status} and fits what the document says operation {@code id} answers. */
    private void answers(String id, HttpResponse<Buffer> answer, int status) {
        assertThat(answer.statusCode()).as(id + ": " + answer.bodyAsString()).isEqualTo(status);
        fits(id, status, answer);
    }

    /** Asserts the answer, as an answer of {@code status}, fits what the document says operation {@code id} answers. */
    private void fits(String id, int status, HttpResponse<Buffer> answer) {
        Map<String, String> headers = new HashMap<>();
        // vertx-openapi reads a header value that is not a word as JSON, and fails on one with quotes in it
        // (WWW-Authenticate: Bearer realm="snapgate"): such a value goes to it as a JSON string, read back exactly
        answer.headers().forEach(h -> headers.put(h.getKey(), h.getValue().contains("\"")
                ? Json.encode(h.getValue()) : h.getValue()));
        String type = answer.getHeader("Content-Type");
        Buffer body = answer.body() == null || answer.body().length() == 0 ? null : answer.body();
        String mediaType = type == null || body == null ? null : type.replaceFirst(";.*", "").trim();
        try {
            validator.validate(ValidatableResponse.create(status, headers, body, mediaType), id).await();
        } catch (RuntimeException e) {
            throw new AssertionError(id + " answered " + status + " " + headers + " " + answer.bodyAsString()
                    + "\nwhich the document does not allow: " + e.getMessage(), e);
        }
    }

    /** {@code METHOD /path/{}/...} of every endpoint the routes serve (middleware on no method left out). */
    static Set<String> served(List<Route> routes) {
        return routes.stream().filter(r -> r.getPath() != null && r.methods() != null && !r.methods().isEmpty())
                .flatMap(r -> r.methods().stream().map(m -> m.name() + " " + r.getPath().replaceAll(":\\w+", "{}")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The same of every operation the document has; {@code cluster}: those marked cluster-only too. */
    static Set<String> documented(JsonObject document, boolean cluster) {
        Set<String> ops = new TreeSet<>();
        document.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
            if (cluster || !((JsonObject) op.getValue()).getBoolean(CLUSTER_ONLY, false)) {
                ops.add(op.getKey().toUpperCase() + " " + path.getKey().replaceAll("\\{\\w+}", "{}"));
            }
        }));
        return ops;
    }

    private static HttpRequest<Buffer> request(HttpMethod method, String path) {
        return gw.client().request(method, path).bearerTokenAuthentication(TOKEN);
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String path, Buffer body) {
        HttpRequest<Buffer> request = request(method, path);
        return (body == null ? request.send() : request.sendBuffer(body)).await();
    }

    private static Buffer json(String text) {
        return Buffer.buffer(text);
    }

}
