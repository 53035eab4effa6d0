package io.snapgate.gateway.console;

import static io.snapgate.gateway.testing.Responses.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's files over plain HTTP (the browser tests drive the console itself): where they are, their
 * security and cache headers, and, read as served, no inline script and no HTML built from strings.
 */
class ConsoleRoutesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.TOKENS, "a-token"));

    @Test
    void theRootAndConsoleRedirectToTheConsole() {
        for (String path : List.of("/", "/console")) {
            HttpResponse<Buffer> response = gw.client().get(path).followRedirects(false).send().await();
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.getHeader("Location")).as(path).isEqualTo("/console/");
        }
    }

    @Test
    void theFilesAreOpenWithTokensAndCarryTheirSecurityAndCacheHeaders() {
        HttpResponse<Buffer> page = gw.get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'",
                "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
        String etag = page.getHeader("ETag");
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        HttpResponse<Buffer> again = gw.client().get("/console/").putHeader("If-None-Match", etag).send().await();
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isNull();

        HttpResponse<Buffer> script = gw.get("/console/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(script.getHeader("ETag")).isNotEqualTo(etag);
        error(gw.get("/v1/snapshots"), 401, "UNAUTHORIZED"); // the data stays behind the token
    }

    @Test
    void otherMethodsAndUnknownFilesAreRefused() {
        error(gw.send(HttpMethod.POST, "/console/", "x"), 405, "METHOD_NOT_ALLOWED");
        error(gw.send(HttpMethod.DELETE, "/", null), 405, "METHOD_NOT_ALLOWED");
        error(gw.get("/console/nothing.js"), 404, "NOT_FOUND");
        error(gw.get("/console/../pom.xml"), 404, "NOT_FOUND");
    }

    /** Guest output and tag names are hostile: the console only ever makes text nodes of them. */
    @Test
    void noFileRunsInlineScriptOrBuildsHtmlFromStrings() {
        String page = gw.get("/console/").bodyAsString();
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(page).find()).as("inline <script>").isFalse();
        assertThat(Pattern.compile("\\s(on\\w+|style)=").matcher(page).find()).as("inline handler or style")
                .isFalse();
        Pattern htmlSinks = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\("
                + "|new Function|createContextualFragment|srcdoc");
        Pattern imports = Pattern.compile("from '\\./([\\w-]+\\.js)'");
        List<String> modules = new ArrayList<>(List.of("app.js"));
        for (int i = 0; i < modules.size(); i++) {
            String source = gw.get("/console/" + modules.get(i)).bodyAsString();
            assertThat(htmlSinks.matcher(source).find()).as(modules.get(i) + " writes HTML from a string").isFalse();
            imports.matcher(source).results().map(m -> m.group(1)).filter(m -> !modules.contains(m))
                    .forEach(modules::add);
        }
        assertThat(modules).as("the modules app.js reaches").hasSizeGreaterThan(10);
    }
}
