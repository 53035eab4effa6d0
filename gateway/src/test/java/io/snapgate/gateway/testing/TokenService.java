package io.snapgate.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A registry token service (the Distribution spec's bearer-token authentication) for tests, on 127.0.0.1: it takes
 * basic credentials for one user and answers with a JWT, signed RS256 by a key whose self-signed certificate
 * (made by the JDK's keytool) the registry is configured to trust, granting the actions the scope asks for.
 */
public final class TokenService implements AutoCloseable {
    public static final String SERVICE = "snapgate-test-registry";
    public static final String ISSUER = "snapgate-test-token-service";
    private static final String PASS = "snapgate-test";

    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Path certificateFile;
    private final String credentials;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private TokenService(HttpServer server, PrivateKey key, X509Certificate certificate, Path certificateFile,
            String credentials) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
        this.credentials = credentials;
    }

    /** A service issuing tokens to {@code user} with {@code password}; its key and certificate go in {@code dir}. */
    public static TokenService start(Path dir, String user, String password) {
        try {
            Path keystore = dir.resolve("token.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "token", "-dname",
                    "CN=snapgate-test-token", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                    keystore.toString(), "-storepass", PASS, "-keypass", PASS).redirectErrorStream(true).start();
            String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                store.load(in, PASS.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) store.getCertificate("token");
            Path pem = Files.writeString(dir.resolve("token.pem"), "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            TokenService service = new TokenService(server, (PrivateKey) store.getKey("token", PASS.toCharArray()),
                    certificate, pem, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
            server.createContext("/token", service::issue);
            server.start();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where the registry sends clients for tokens. */
    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The certificate file the registry trusts. */
    public Path certificate() {
        return certificateFile;
    }

    /** Each token request: whether it came with the right credentials, and the scope it asked for. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void issue(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        boolean known = credentials.equals(exchange.getRequestHeaders().getFirst("Authorization"));
        requests.add((known ? "user " : "anonymous ") + query.get("scope"));
        if (!known) {
            reply(exchange, 401, new JsonObject().put("errors", new JsonArray().add(new JsonObject()
                    .put("code", "UNAUTHORIZED").put("message", "unknown user or password"))));
            return;
        }
        String[] scope = query.getOrDefault("scope", "repository:none:pull").split(":");
        JsonObject access = new JsonObject().put("type", scope[0]).put("name", scope[1])
                .put("actions", new JsonArray(List.of((Object[]) scope[2].split(","))));
        long now = System.currentTimeMillis() / 1000;
        JsonObject claims = new JsonObject().put("iss", ISSUER).put("sub", "test").put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 60).put("iat", now - 60)
                .put("jti", UUID.randomUUID().toString()).put("access", new JsonArray().add(access));
        reply(exchange, 200, new JsonObject().put("token", sign(claims)).put("expires_in", 300));
    }

    private String sign(JsonObject claims) {
        try {
            JsonObject header = new JsonObject().put("typ", "JWT").put("alg", "RS256")
                    .put("x5c", new JsonArray().add(Base64.getEncoder().encodeToString(certificate.getEncoded())));
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signed = url.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
                    + url.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + url.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void reply(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
