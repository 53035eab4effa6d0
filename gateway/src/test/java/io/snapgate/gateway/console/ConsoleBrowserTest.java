package io.snapgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.HeadlessChromium;
import io.snapgate.gateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium against a real gateway: a call, a refused argument, a deploy, a session,
 * tokens, a phone's width; after each test the browser console holds no error but the API's own refusals.
 */
class ConsoleBrowserTest {
    private static final List<String> PAGES = List.of("#snapshots", "#call", "#sessions", "#deploy", "#node");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();
    @RegisterExtension
    static final HeadlessChromium chromium = new HeadlessChromium(PAGES);

    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openTheConsole() {
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        open(gw);
    }

    @AfterEach
    void theBrowserConsoleHasNoErrors() {
        List<LogEntry> errors = chromium.log().stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(e -> !apiRefusal(e.getMessage())).toList();
        assertThat(errors).as("browser console errors and warnings").isEmpty();
    }

    /** Chromium logs each 4xx a fetch gets; a refusal the test provokes is the API answering, not a fault. */
    private static boolean apiRefusal(String message) {
        return message.matches("https?://127\\.0\\.0\\.1:\\d+/v1/\\S* - Failed to load resource: the server responded"
                + " with a status of 4\\d\\d .*");
    }

    @Test
    void callsHelloGreetWithWorld() {
        WebElement table = browser.findElement(By.id("snapshots-table"));
        wait.until(ExpectedConditions.textToBePresentInElement(table, "greet(string) -> string"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/");
        go("#call");
        callForm("hello", "greet(string) -> string");
        argument(0).sendKeys("world");
        submit("call-form");
        assertThat(result("call-form")).isEqualTo("\"Hello, world!\"");
        assertThat(browser.findElement(By.cssSelector("#call-form .timing")).getText()).contains("guest", "gateway");
        browser.findElement(By.xpath("//button[text()='Copy as curl']")).click();
        assertThat(browser.findElement(By.cssSelector("#call-form textarea[readonly]")).getDomProperty("value"))
                .isEqualTo("curl -s -X POST 'http://127.0.0.1:" + gw.gateway().port() + "/v1/snapshots/hello/functions/"
                        + "greet' -H 'Content-Type: application/json' -d '{\"args\":[\"world\"]}'");
    }

    /** Guest output is hostile: markup in a result is shown as the text it is, never parsed. */
    @Test
    void markupInAResultStaysText() {
        String hostile = "<img src=x onerror=\"document.title='ran'\"><b>bold</b>";
        go("#call");
        callForm("hello", "greet(string) -> string");
        argument(0).sendKeys(hostile);
        submit("call-form");
        assertThat(result("call-form")).isEqualTo("\"Hello, " + hostile.replace("\"", "\\\"") + "!\"");
        assertThat(browser.findElements(By.cssSelector("#call-form img, #call-form b"))).isEmpty();
        assertThat(browser.getTitle()).isEqualTo("snapgate console");
    }

    @Test
    void aCallWorksWithTheKeyboardAlone() {
        tabTo("the Call link", e -> "#call".equals(e.getDomAttribute("href"))).sendKeys(Keys.ENTER);
        wait.until(d -> d.findElement(By.id("call")).isDisplayed() && id(d.switchTo().activeElement())
                .equals("call-title"));
        wait.until(d -> !d.findElements(By.cssSelector("#call-form select")).isEmpty());
        tabTo("the snapshot list", e -> id(e).equals("call-snapshot"));
        tabTo("the function list", e -> id(e).endsWith("-function"));
        tabTo("argument 0", e -> id(e).endsWith("-arg0")).sendKeys("keys");
        tabTo("the Call button", e -> "Call".equals(e.getText())).sendKeys(Keys.ENTER);
        assertThat(result("call-form")).isEqualTo("\"Hello, keys!\"");
    }

    @Test
    void aBadArgumentShowsItsMessageBesideItsField() {
        go("#call");
        callForm("hello", "add(i32, i32) -> i32");
        assertThat(refusedFirstArgument("3000000000", "1").getText())
                .startsWith("argument 0 of add(i32, i32) -> i32: expected i32");
        assertThat(browser.switchTo().activeElement()).isEqualTo(argument(0));
        assertThat(browser.findElement(By.cssSelector("#call-form .error")).getText()).startsWith("INVALID_ARGUMENT");
        assertThat(browser.findElement(By.id(argument(1).getAttribute("id") + "-error")).isDisplayed()).isFalse();
    }

    @Test
    void deploysAnElfCallsItAndDeletesIt(@TempDir Path dir) throws IOException {
        Path elf = Files.write(dir.resolve("hello.elf"), ExampleGuests.elf("hello"));
        Path notElf = Files.writeString(dir.resolve("notes.txt"), "not a guest");
        go("#deploy");
        browser.findElement(By.id("deploy-tag")).sendKeys("deployed");
        browser.findElement(By.id("deploy-file")).sendKeys(notElf.toString());
        submit("deploy-form");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deploy-error"), "INVALID_GUEST"));
        browser.findElement(By.id("deploy-file")).sendKeys(elf.toString());
        submit("deploy-form");
        WebElement exported = browser.findElement(By.id("deploy-result"));
        wait.until(ExpectedConditions.textToBePresentInElement(exported, "add(i32, i32) -> i32"));
        exported.findElement(By.linkText("Call it")).click();
        wait.until(d -> "deployed".equals(new Select(d.findElement(By.id("call-snapshot"))).getFirstSelectedOption()
                .getAttribute("value")));
        callForm("deployed", "add(i32, i32) -> i32");
        argument(0).sendKeys("40");
        argument(1).sendKeys("2");
        submit("call-form");
        assertThat(result("call-form")).isEqualTo("42");

        go("#snapshots");
        WebElement delete = wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//button[text()='Delete deployed']")));
        delete.click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.xpath("//button[text()='Delete deployed']")));
        assertThat(gw.get("/v1/snapshots/deployed").statusCode()).isEqualTo(404);
    }

    /** A script deployed as source: a syntax error shows with its line; json arguments are checked before sending. */
    @Test
    void deploysAScriptAndCallsItWithJson() {
        go("#deploy");
        browser.findElement(By.id("deploy-tag")).sendKeys("scripted");
        WebElement script = browser.findElement(By.id("deploy-script"));
        script.sendKeys("exports.add = function (a, b) {\n  return {sum: a.x +};\n};");
        submit("deploy-form");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deploy-error"), "INVALID_GUEST"));
        assertThat(browser.findElement(By.id("deploy-error")).getText()).contains("SyntaxError", "line 2");
        script.clear();
        script.sendKeys("exports.add = function (a, b) { return {sum: a.x + b.x}; };");
        submit("deploy-form");
        WebElement exported = browser.findElement(By.id("deploy-result"));
        wait.until(ExpectedConditions.textToBePresentInElement(exported, "add(json, json) -> json"));
        exported.findElement(By.linkText("Call it")).click();
        callForm("scripted", "add(json, json) -> json");

        double calls = gw.callsCounted();
        WebElement message = refusedFirstArgument("{\"x\": 40", "{\"x\": 2}");
        assertThat(message.getText()).startsWith("not JSON: ");
        assertThat(gw.callsCounted()).as("invalid JSON is not sent").isEqualTo(calls);

        argument(0).sendKeys("}");
        submit("call-form");
        assertThat(result("call-form")).isEqualTo("{\n  \"sum\": 42\n}");
        assertThat(message.isDisplayed()).isFalse();
        assertThat(gw.delete("/v1/snapshots/scripted").statusCode()).isEqualTo(204);
    }

    @Test
    void aSessionCountsTwiceRestoresAndCounts() {
        go("#sessions");
        wait.until(d -> new Select(d.findElement(By.id("session-snapshot"))).getOptions().size() > 0);
        new Select(browser.findElement(By.id("session-snapshot"))).selectByValue("hello");
        submit("session-open");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-active")));
        new Select(browser.findElement(By.cssSelector("#session-call-form select")))
                .selectByVisibleText("count(i32) -> i32");
        argument(0).sendKeys("2");
        assertThat(callInSession()).isEqualTo("2");
        assertThat(callInSession()).isEqualTo("4");
        browser.findElement(By.id("session-restore")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-status"), "Restored"));
        assertThat(callInSession()).isEqualTo("2");
        assertThat(browser.findElement(By.cssSelector("#sessions-table tbody")).getText()).contains("hello", " s");
        browser.findElement(By.id("session-save-tag")).sendKeys("counted");
        submit("session-save");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-status"), "Saved as counted"));
        assertThat(gw.call("hello", "count", 1).bodyAsJsonObject().getInteger("result")).isEqualTo(1);
        assertThat(gw.call("counted", "count", 1).bodyAsJsonObject().getInteger("result")).isEqualTo(3);
        browser.findElement(By.id("session-close")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("session-active")));
        wait.until(d -> json("/health").contains("\"sessions\":0"));
    }

    @Test
    void withTokensItIsRefusedWithoutTheTokenAndWorksWithIt() {
        try (TestGateway guarded = TestGateway.start(Map.of(ConfigKey.TOKENS, "console-token"))) {
            try {
                open(guarded);
                WebElement reason = browser.findElement(By.id("token-reason"));
                wait.until(ExpectedConditions.textToBePresentInElement(reason, "UNAUTHORIZED"));
                assertThat(browser.findElement(By.id("snapshots-error")).getText()).startsWith("UNAUTHORIZED");
                assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("token-input");

                browser.findElement(By.id("token-input")).sendKeys("not-the-token");
                submit("token-form");
                wait.until(ExpectedConditions.textToBePresentInElement(reason, "FORBIDDEN"));

                browser.findElement(By.id("token-input")).sendKeys("console-token");
                submit("token-form");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("snapshots-table"),
                        "greet(string) -> string"));
                go("#call");
                callForm("hello", "greet(string) -> string");
                argument(0).sendKeys("token");
                submit("call-form");
                assertThat(result("call-form")).isEqualTo("\"Hello, token!\"");
                browser.executeScript("sessionStorage.clear()");
            } finally {
                browser.get("about:blank"); // before the gateway closes under the console's polling
            }
        }
    }

    @Test
    void theNodePanelShowsHealthAndChartsCallsFromTheMetrics() {
        go("#node");
        WebElement facts = browser.findElement(By.id("node-health"));
        wait.until(ExpectedConditions.textToBePresentInElement(facts, "Store free space"));
        assertThat(facts.getText()).contains("Backend", "Workers", "Calls in flight", "Queue depth");
        assertThat(browser.findElement(By.id("node-members")).getText()).isEqualTo("Not in a cluster.");
        WebElement rate = browser.findElement(By.id("chart-rate"));
        WebElement latency = browser.findElement(By.id("chart-latency"));
        wait.until(d -> {
            gw.call("hello", "add", 1, 2); // calls until a sample of the metrics has seen some
            return !rate.getAttribute("aria-label").matches(".*(now 0\\.00|no samples).*")
                    && latency.getAttribute("aria-label").contains("p99");
        });
        assertThat(latency.getAttribute("aria-label")).matches("Latency now: p50 [\\d.]+ ms, p95 [\\d.]+ ms,"
                + " p99 [\\d.]+ ms");
    }

    @Test
    void everyPanelFitsAPhonesWidthAndLabelsEveryControl() {
        Dimension desktop = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String page : PAGES) {
                go(page);
                @SuppressWarnings("unchecked")
                List<String> tooWide = (List<String>) browser.executeScript("return [...document.querySelectorAll("
                        + "'body *')].filter(e => e.getBoundingClientRect().right"
                        + " > document.documentElement.clientWidth + 1).map(e => e.tagName + '#' + e.id + '.'"
                        + " + e.className)");
                assertThat(tooWide).as(page + ": elements past the right edge").isEmpty();
                @SuppressWarnings("unchecked")
                List<String> unlabelled = (List<String>) browser.executeScript("return [...document.querySelectorAll("
                        + "'input, select, textarea')].filter(c => c.offsetParent !== null && !c.labels.length"
                        + " && !c.getAttribute('aria-label')).map(c => c.outerHTML)");
                assertThat(unlabelled).as(page + ": controls without a label").isEmpty();
            }
        } finally {
            browser.manage().window().setSize(desktop);
        }
    }

    private void open(TestGateway gateway) {
        browser.get("http://127.0.0.1:" + gateway.gateway().port() + "/");
        wait.until(d -> d.findElement(By.id("snapshots")).isDisplayed());
    }

    /** Follows the navigation link, as a user would. */
    private void go(String fragment) {
        browser.findElement(By.cssSelector("nav a[href='" + fragment + "']")).click();
        wait.until(d -> d.findElement(By.id(fragment.substring(1))).isDisplayed());
    }

    /** Presses Tab until the focused element is what is wanted (in at most 20 presses), and returns it. */
    private WebElement tabTo(String what, Predicate<WebElement> wanted) {
        for (int i = 0; i < 20; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            if (wanted.test(focused)) {
                return focused;
            }
        }
        throw new AssertionError("20 presses of Tab did not reach " + what);
    }

    private static String id(WebElement element) {
        return Objects.toString(element.getDomAttribute("id"), "");
    }

    /** Picks a snapshot and function in the Call panel. */
    private void callForm(String snapshot, String signature) {
        wait.until(d -> new Select(d.findElement(By.id("call-snapshot"))).getOptions().stream()
                .anyMatch(o -> snapshot.equals(o.getAttribute("value"))));
        new Select(browser.findElement(By.id("call-snapshot"))).selectByValue(snapshot);
        new Select(browser.findElement(By.cssSelector("#call-form select"))).selectByVisibleText(signature);
    }

    /** The control of argument index in the form shown. */
    private WebElement argument(int index) {
        return browser.findElements(By.cssSelector("form.call-form")).stream().filter(WebElement::isDisplayed)
                .findFirst().orElseThrow().findElement(By.cssSelector("[id$='-arg" + index + "']"));
    }

    /** Calls with two arguments; returns the message shown beside the first, which is marked invalid. */
    private WebElement refusedFirstArgument(String first, String second) {
        argument(0).sendKeys(first);
        argument(1).sendKeys(second);
        submit("call-form");
        WebElement message = browser.findElement(By.id(argument(0).getAttribute("id") + "-error"));
        wait.until(ExpectedConditions.visibilityOf(message));
        assertThat(argument(0).getAttribute("aria-invalid")).isEqualTo("true");
        return message;
    }

    private void submit(String container) {
        WebElement root = browser.findElement(By.id(container));
        root.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** Waits for the next result in container's call form and returns it as the console shows it (JSON). */
    private String result(String container) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#" + container
                + " [data-result]"))).getText();
    }

    private String callInSession() {
        WebElement form = browser.findElement(By.id("session-call-form"));
        WebElement before = form.findElements(By.cssSelector("[data-result]")).stream().findFirst().orElse(null);
        submit("session-call-form");
        if (before != null) {
            wait.until(ExpectedConditions.stalenessOf(before));
        }
        return result("session-call-form");
    }

    private String json(String path) {
        return gw.get(path).bodyAsString();
    }
}
