package io.snapgate.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.store.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A blocking client for one repository of a registry, as the OCI Distribution spec describes it. Authentication
 * happens on demand: a 401's challenge is answered with basic credentials, or with a bearer token fetched from the
 * registry's token service (with those credentials, when there are any), and the answer is reused. Redirects of
 * reads are followed, the credentials sent to the registry's own host only. Documents (manifests, configs) are
 * read whole up to 1 MiB; blobs are streamed, and fail rather than hang when the registry stalls.
 */
final class RegistryClient {
    static final String OCTETS = "application/octet-stream";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT = Duration.ofSeconds(10);
    /** Until the response headers of a request that sends little. */
    private static final Duration SHORT = Duration.ofSeconds(60);
    /** Until the response headers of an upload (a chunk of a blob). */
    static final Duration UPLOAD = Duration.ofMinutes(10);
    /** The most a response body may pause. */
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final int REDIRECTS = 5;
    private static final int ERROR_BODY = 64 << 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(CONNECT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final RegistryRef repository;
    private final Optional<RegistryCredentials.Login> login;
    private volatile String authorization;

    RegistryClient(RegistryRef repository, RegistryCredentials credentials) {
        this.repository = repository;
        this.login = credentials.forRegistry(repository.registry());
        this.authorization = login.filter(l -> l.token() != null).map(l -> "Bearer " + l.token()).orElse(null);
    }

    RegistryRef repository() {
        return repository;
    }

    URI manifest(String reference) {
        return repository.base().resolve("manifests/" + reference);
    }

    URI blob(String digest) {
        return repository.base().resolve("blobs/" + digest);
    }

    /** A response: its status, headers and body stream (close it, or read it to the end). */
    record Response(int status, HttpHeaders headers, InputStream body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** GET of a document (a manifest, a config) of at most {@code max} bytes; anything but 200 is refused. */
    byte[] document(URI uri, String accept, int max) {
        return document(uri, accept, max, false).orElseThrow();
    }

    /** {@link #document}; with {@code missingOk}, empty when the registry has nothing there (404). */
    Optional<byte[]> document(URI uri, String accept, int max, boolean missingOk) {
        Response r = send("GET", uri, Map.of("Accept", accept), null, SHORT);
        if (missingOk && r.status() == 404) {
            close(r);
            return Optional.empty();
        }
        expect(r, "GET " + path(uri), 200);
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw refused("GET " + path(uri) + " sent more than " + max + " bytes, the most a document may hold");
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Whether the registry holds the blob (HEAD). */
    boolean exists(String digest) {
        Response r = send("HEAD", blob(digest), Map.of(), null, SHORT);
        close(r);
        if (r.status() == 404) {
            return false;
        }
        expect(r, "HEAD " + path(blob(digest)), 200);
        return true;
    }

    /**
     * The blob's bytes from {@code from} on (a Range request past 0). A registry that ignores the range and sends
     * it all is read past the bytes already had. Failures to connect or read are {@link IOException}s, to resume.
     */
    InputStream stream(String digest, long from) throws IOException {
        Map<String, String> range = from > 0 ? Map.of("Range", "bytes=" + from + "-") : Map.of();
        Response r = sendOrThrow("GET", blob(digest), range, null, SHORT);
        if (from > 0 && r.status() == 206) {
            return r.body();
        }
        expect(r, "GET " + path(blob(digest)), 200);
        if (from > 0) {
            r.body().skipNBytes(from); // an EOFException, to resume, when the blob ends before
        }
        return r.body();
    }

    /** Starts an upload (POST); returns where to send its bytes. */
    URI startUpload() {
        Response r = send("POST", repository.base().resolve("blobs/uploads/"), Map.of(), BodyPublishers::noBody,
                SHORT);
        close(r);
        expect(r, "POST blobs/uploads/", 202);
        return location(r);
    }

    /**
     * Sends bytes {@code offset..offset+length-1} of a blob to an upload (PATCH with Content-Range); returns where
     * the next chunk goes. Failures to connect or send are {@link IOException}s, to resume.
     */
    URI uploadChunk(URI upload, long offset, long length, Supplier<BodyPublisher> bytes) throws IOException {
        Map<String, String> headers = Map.of("Content-Type", OCTETS, "Content-Range",
                offset + "-" + (offset + length - 1));
        Response r = sendOrThrow("PATCH", upload, headers, bytes, UPLOAD);
        close(r);
        expect(r, "PATCH upload at " + offset, 202);
        return location(r);
    }

    /** How many bytes an upload holds (GET of its location, as the spec has a client resume). */
    long uploaded(URI upload) {
        Response r = send("GET", upload, Map.of(), null, SHORT);
        close(r);
        expect(r, "GET upload status", 204);
        String range = r.header("Range"); // "0-<last byte>"; an empty upload is "0-0" too, and taken for one
        if (range == null || !range.matches("0-[0-9]{1,18}")) {
            throw refused("answered an upload's status with Range " + range);
        }
        long last = Long.parseLong(range.substring(2));
        return last == 0 ? 0 : last + 1;
    }

    /** Finishes an upload (PUT with the digest, which the registry checks). */
    void finishUpload(URI upload, String digest) {
        finish(upload, digest, BodyPublishers::noBody);
    }

    /** Uploads a small blob in one request (POST, then PUT with its bytes and digest). */
    void uploadWhole(byte[] blob, String digest) {
        finish(startUpload(), digest, () -> BodyPublishers.ofByteArray(blob));
    }

    private void finish(URI upload, String digest, Supplier<BodyPublisher> body) {
        String query = upload.getRawQuery();
        URI put = URI.create(upload + (query == null ? "?" : "&") + "digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        Response r = send("PUT", put, Map.of("Content-Type", OCTETS), body, SHORT);
        close(r);
        expect(r, "PUT upload of " + digest, 201);
    }

    /** Puts a manifest under a tag or its digest; returns the digest the registry says it stored it as. */
    String putManifest(String reference, byte[] manifest, String mediaType) {
        Response r = send("PUT", manifest(reference), Map.of("Content-Type", mediaType),
                () -> BodyPublishers.ofByteArray(manifest), SHORT);
        close(r);
        expect(r, "PUT manifests/" + reference, 201);
        return r.header("Docker-Content-Digest");
    }

    /** {@link #sendOrThrow}, an unreachable registry answered as such. */
    private Response send(String method, URI uri, Map<String, String> headers, Supplier<BodyPublisher> body,
            Duration timeout) {
        try {
            return sendOrThrow(method, uri, headers, body, timeout);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Sends, answering one authentication challenge and following redirects of reads. */
    private Response sendOrThrow(String method, URI uri, Map<String, String> headers, Supplier<BodyPublisher> body,
            Duration timeout) throws IOException {
        URI target = uri;
        boolean challenged = false;
        for (int redirects = 0; ; ) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                    .method(method, body == null ? BodyPublishers.noBody() : body.get());
            headers.forEach(request::header);
            boolean ours = ours(target);
            String auth = authorization;
            if (ours && auth != null) {
                request.header("Authorization", auth);
            }
            HttpResponse<InputStream> response = exchange(request.build());
            Response r = new Response(response.statusCode(), response.headers(), response.body());
            if (r.status() == 401 && ours && !challenged) {
                challenged = true;
                close(r);
                authorization = answer(r.headers().allValues("WWW-Authenticate"));
                continue;
            }
            boolean read = method.equals("GET") || method.equals("HEAD");
            if (read && r.status() / 100 == 3 && r.header("Location") != null && redirects++ < REDIRECTS) {
                close(r);
                target = target.resolve(r.header("Location"));
                continue;
            }
            return r;
        }
    }

    private static HttpResponse<InputStream> exchange(HttpRequest request) throws IOException {
        try {
            return HTTP.send(request, info -> new TimedBody(STALL));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + request.method() + " " + request.uri());
        }
    }

    /** The Authorization to retry with, from the challenges of a 401. */
    private String answer(List<String> challenges) throws IOException {
        Challenge bearer = null;
        Challenge basic = null;
        for (String header : challenges) {
            Challenge c = Challenge.parse(header);
            bearer = c.scheme().equals("bearer") ? c : bearer;
            basic = c.scheme().equals("basic") ? c : basic;
        }
        if (bearer != null) {
            return "Bearer " + token(bearer);
        }
        if (basic != null) {
            return basic(login.filter(l -> l.username() != null).orElseThrow(this::noCredentials));
        }
        throw refused("asks for authentication snapgate does not speak: " + challenges);
    }

    /** A token from the registry's token service, for the challenge's service and scope. */
    private String token(Challenge challenge) throws IOException {
        String realm = challenge.param("realm");
        if (realm == null) {
            throw refused("sent a bearer challenge without a realm");
        }
        URI service = URI.create(realm);
        if (!"https".equals(service.getScheme()) && !RegistryRef.loopbackHost(service.getHost())) {
            throw refused("names a token service over plain HTTP (" + realm + "); snapgate sends no credentials there");
        }
        StringBuilder query = new StringBuilder();
        for (String param : new String[] {"service", "scope"}) {
            if (challenge.param(param) != null) {
                query.append(query.isEmpty() ? "" : "&").append(param).append('=')
                        .append(URLEncoder.encode(challenge.param(param), StandardCharsets.UTF_8));
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?")
                + query)).timeout(SHORT).GET();
        login.filter(l -> l.username() != null).ifPresent(l -> request.header("Authorization", basic(l)));
        HttpResponse<InputStream> response = exchange(request.build());
        Response r = new Response(response.statusCode(), response.headers(), response.body());
        expect(r, "GET token from " + service.getHost(), 200);
        try (InputStream in = r.body()) {
            JsonNode answer = JSON.readTree(in.readNBytes(StrictJson.MAX_DOCUMENT));
            String token = answer.path("token").asText(answer.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw refused("token service " + service.getHost() + " answered without a token");
            }
            return token;
        }
    }

    private static String basic(RegistryCredentials.Login login) {
        return "Basic " + Base64.getEncoder().encodeToString((login.username() + ":" + login.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private boolean ours(URI target) {
        return repository.base().getAuthority().equals(target.getAuthority())
                && repository.base().getScheme().equals(target.getScheme());
    }

    private URI location(Response r) {
        String location = r.header("Location");
        if (location == null) {
            throw refused("answered " + r.status() + " without a Location");
        }
        return repository.base().resolve(location);
    }

    /** Refuses a response with another status, saying what the registry answered. */
    private void expect(Response r, String what, int status) {
        if (r.status() == status) {
            return;
        }
        String detail = errors(r);
        close(r);
        if (r.status() == 401) {
            throw login.isPresent() ? refused("refused the credentials registryAuth gives for it (" + what + ")")
                    : noCredentials();
        }
        throw refused("answered " + r.status() + " to " + what + detail);
    }

    /** The spec's error body, {@code {"errors":[{"code":..,"message":..}]}}, in a few words. */
    private static String errors(Response r) {
        try (InputStream in = r.body()) {
            JsonNode body = JSON.readTree(in.readNBytes(ERROR_BODY));
            StringBuilder out = new StringBuilder();
            for (JsonNode e : body.path("errors")) {
                out.append(out.isEmpty() ? " (" : "; ").append(e.path("code").asText()).append(": ")
                        .append(e.path("message").asText());
            }
            return out.isEmpty() ? "" : out.append(')').toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private GatewayException noCredentials() {
        return refused("asks for credentials, and registryAuth holds none for it");
    }

    GatewayException refused(String what) {
        return new GatewayException(ErrorCode.REGISTRY_ERROR, "registry " + repository.registry() + " " + what);
    }

    GatewayException unreachable(IOException e) {
        return new GatewayException(ErrorCode.REGISTRY_ERROR, "registry " + repository.registry()
                + " cannot be reached: " + e);
    }

    private static String path(URI uri) {
        return uri.getPath();
    }

    static void close(Response r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // nothing more to read from it either way
        }
    }
}
