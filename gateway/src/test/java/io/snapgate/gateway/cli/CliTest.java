package io.snapgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.CliRun;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.testing.OtherTools;
import io.snapgate.store.testing.Skopeo;
import io.snapgate.store.testing.Tamper;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code snapgate} command, run in process with captured output. */
class CliTest {
    @TempDir
    Path dir;

    private static CliRun run(Map<String, String> env, String... args) {
        return CliRun.of(env, args);
    }

    private CliRun run(String... args) {
        return run(Map.of(), args);
    }

    private String store() {
        return dir.resolve("store").toString();
    }

    @Test
    void helpEverywhereAndHelpWithoutASubcommand() {
        CliRun help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("serve", "build", "call", "ls", "verify", "gc", "push", "pull");
        assertThat(run().out()).isEqualTo(help.out());
        for (String command : new String[] {"serve", "build", "call", "ls", "verify", "gc", "push", "pull",
                "demo"}) {
            CliRun sub = run(command, "--help");
            assertThat(sub.status()).as(command).isZero();
            assertThat(sub.out()).contains("Usage: snapgate " + command);
        }
        assertThat(run("serve", "--help").out()).contains("--port", "SNAPGATE_PORT", "--tokens", "--config");
    }

    @Test
    void callWithoutAServerPrintsTheJsonResult() {
        CliRun greet = run("call", "--store", store(), "--examples", "true", "hello", "greet", "world");
        assertThat(greet.status()).as(greet.err()).isZero();
        assertThat(greet.out().strip()).isEqualTo("\"Hello, world!\"");
        assertThat(run("call", "--store", store(), "hello", "add", "40", "2").out().strip()).isEqualTo("42");
        assertThat(run("call", "--store", store(), "hello", "fib", "93").out().strip())
                .isEqualTo("12200160415121876738");
        assertThat(run("call", "--store", store(), "testguest", "echo_string", "123").out().strip())
                .isEqualTo("\"123\"");
    }

    @Test
    void aFailedCallPrintsTheJsonErrorAndFails() {
        CliRun bad = run("call", "--store", store(), "--examples", "true", "hello", "add", "forty", "2");
        assertThat(bad.status()).isEqualTo(Cli.FAILED);
        assertThat(new JsonObject(bad.err().strip()).getJsonObject("error").getString("code"))
                .isEqualTo("INVALID_ARGUMENT");
        CliRun unknown = run("call", "--store", store(), "nope", "f");
        assertThat(new JsonObject(unknown.err().strip()).getJsonObject("error").getString("code"))
                .isEqualTo("UNKNOWN_SNAPSHOT");
    }

    @Test
    void buildThenListThenCollectGarbage() throws IOException {
        Path elf = Files.write(dir.resolve("hello.elf"), ExampleGuests.elf("hello"));
        CliRun build = run("build", "--store", store(), "--tag", "mine", elf.toString());
        assertThat(build.status()).as(build.err()).isZero();
        assertThat(build.err()).startsWith("build hello.elf:").contains("init done (5 functions)", "saved as mine:");
        assertThat(new JsonObject(build.out()).getString("digest")).startsWith("sha256:");

        CliRun ls = run("ls", "--store", store());
        assertThat(ls.out()).contains("TAG", "mine", "greet add fib reverse count");
        assertThat(run("ls", "--store", store(), "--json").out()).contains("\"tags\" : [ \"mine\" ]");

        CliRun gc = run("gc", "--store", store());
        assertThat(gc.status()).isZero();
        assertThat(gc.out()).startsWith("deleted 0 blobs");
    }

    @Test
    void buildsAScriptThenCallsItsExportsWithJson() throws IOException {
        Path script = Files.writeString(dir.resolve("order.js"), "exports.total = function (items, rate) {\n"
                + "  return {total: items.reduce(function (s, i) { return s + i.price * i.qty; }, 0) * rate};\n};\n");
        CliRun build = run("build", "--store", store(), "--tag", "order", "--heap", "8MiB", script.toString());
        assertThat(build.status()).as(build.err()).isZero();
        assertThat(build.err()).startsWith("build order.js:").contains("init done (1 functions)");
        CliRun call = run("call", "--store", store(), "order", "total", "[{\"price\": 2.5, \"qty\": 4}]", "2");
        assertThat(call.out().strip()).as(call.err()).isEqualTo("{\"total\":20}");
        CliRun bad = run("build", "--store", store(), "--tag", "x", "--stack", "1000", script.toString());
        assertThat(bad.status()).isEqualTo(Cli.FAILED);
        assertThat(bad.err()).contains("stack=1000: a size must be a multiple of 4KiB");
        Path broken = Files.writeString(dir.resolve("broken.js"), "exports.f = function ( {};");
        CliRun syntax = run("build", "--store", store(), "--tag", "x", broken.toString());
        assertThat(syntax.status()).isEqualTo(Cli.FAILED);
        assertThat(syntax.err()).contains("SyntaxError");
    }

    @Test
    void gcKeepsAndCountsTheBlobsALoadedSnapshotHolds() throws IOException {
        Path elf = Files.write(dir.resolve("hello.elf"), ExampleGuests.elf("hello"));
        assertThat(run("build", "--store", store(), "--tag", "held", elf.toString()).status()).isZero();
        SnapshotStore store = SnapshotStore.openExisting(Path.of(store()));
        try (Snapshot held = Snapshot.load(store, "held")) { // as a running gateway holds what it loaded
            store.delete("held");
            CliRun gc = run("gc", "--store", store());
            assertThat(gc.out().strip()).matches("deleted 2 blobs and 0 temp files, freed \\d+ bytes;"
                    + " kept 1 unreferenced blobs in use");
        }
        assertThat(run("gc", "--store", store()).out()).startsWith("deleted 1 blobs").endsWith("kept 0 unreferenced"
                + " blobs in use\n");
    }

    @Test
    void verifyHashesEverySnapshotAndLsGoesOnPastADamagedOne() throws IOException {
        assertThat(run("ls", "--store", store(), "--examples", "true").status()).isZero();
        CliRun clean = run("verify", "--store", store());
        assertThat(clean.status()).as(clean.err()).isZero();
        assertThat(clean.out()).contains("hello ", "testguest ", "rules ", "5 of 5 snapshots verified, 0 damaged");
        CliRun typo = run("verify", "--store", store(), "helo", "hello");
        assertThat(typo.status()).as("a tag that names nothing fails the run").isEqualTo(Cli.FAILED);
        assertThat(typo.out()).containsPattern("helo +UNKNOWN  unknown tag: tag \"helo\" is not in ")
                .contains("1 of 2 snapshots verified, 0 damaged, 1 unknown");

        SnapshotStore snapshots = SnapshotStore.openExisting(Path.of(store()));
        Path hello = snapshots.blobFile(snapshots.inspect("hello").memoryDigest());
        Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rw-r--r--"));
        try (RandomAccessFile file = new RandomAccessFile(hello.toFile(), "rw")) {
            file.seek(4096);
            int b = file.read();
            file.seek(4096);
            file.write(b ^ 1);
        }
        CliRun flipped = run("verify", "--store", store());
        assertThat(flipped.status()).isEqualTo(Cli.FAILED);
        assertThat(flipped.out()).containsPattern("hello +DAMAGED  digest mismatch: memory blob sha256:")
                .containsPattern("testguest +ok ").contains("4 of 5 snapshots verified, 1 damaged");
        assertThat(run("verify", "--store", store(), "testguest").status()).isZero();

        Path testguest = snapshots.blobFile(snapshots.inspect("testguest").memoryDigest());
        Files.setPosixFilePermissions(testguest, PosixFilePermissions.fromString("rw-r--r--"));
        try (RandomAccessFile file = new RandomAccessFile(testguest.toFile(), "rw")) {
            file.setLength(file.length() - 1);
        }
        CliRun ls = run("ls", "--store", store());
        assertThat(ls.status()).as("unchecked loads miss the flipped byte, not the truncation").isEqualTo(Cli.FAILED);
        assertThat(ls.out()).containsPattern("hello +sha256:").containsPattern("testguest +DAMAGED  size mismatch");
    }

    @Test
    void aStoreCopiedBySkopeoVerifiesAndServesCalls() {
        Skopeo.assumeInstalled();
        assertThat(run("ls", "--store", store(), "--examples", "true").status()).isZero();
        Path copy = dir.resolve("copy");
        Skopeo.copy(Path.of(store()), "hello", copy, "hello");

        assertCopyVerifiesAndCalls(copy);
    }

    @Test
    void anIndexWithoutTheOptionalMediaTypesAsSkopeoWritesItVerifiesAndServesCalls() {
        assertThat(run("ls", "--store", store(), "--examples", "true").status()).isZero();
        new Tamper(Path.of(store())).editIndex(index -> {
            index.remove("mediaType");
            index.get("manifests").forEach(entry -> ((ObjectNode) entry).remove("artifactType"));
        });
        assertCopyVerifiesAndCalls(Path.of(store()));
    }

    /** {@code verify} and {@code call} work on the copy; another tool's image beside hello is skipped. */
    private void assertCopyVerifiesAndCalls(Path copy) {
        CliRun verify = run("verify", "--store", copy.toString());
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).containsPattern("hello +ok  sha256:");
        CliRun greet = run("call", "--store", copy.toString(), "hello", "greet", "x");
        assertThat(greet.status()).as(greet.err()).isZero();
        assertThat(greet.out().strip()).isEqualTo("\"Hello, x!\"");

        OtherTools others = new OtherTools(new Tamper(copy));
        others.add(others.image("alpine"), "alpine");
        String skipped = "alpine +SKIPPED  " + Pattern.quote("not a snapgate snapshot: an image manifest whose"
                + " config is " + OtherTools.IMAGE_CONFIG);
        CliRun ls = run("ls", "--store", copy.toString());
        assertThat(ls.status()).as(ls.out()).isZero();
        assertThat(ls.out()).containsPattern("hello +sha256:").containsPattern(skipped);
        CliRun again = run("verify", "--store", copy.toString());
        assertThat(again.status()).as(again.out()).isZero();
        assertThat(again.out()).containsPattern(skipped).contains("snapshots verified, 0 damaged, 1 skipped");
        CliRun named = run("verify", "--store", copy.toString(), "alpine");
        assertThat(named.status()).isZero();
        assertThat(named.out()).containsPattern("alpine +SKIPPED  not a snapgate snapshot: manifest sha256:");
        CliRun call = run("call", "--store", copy.toString(), "alpine", "greet", "x");
        assertThat(call.status()).isEqualTo(Cli.FAILED);
        JsonObject error = new JsonObject(call.err().strip()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("UNKNOWN_SNAPSHOT");
        assertThat(error.getString("message")).contains("not a snapgate snapshot", "alpine");
    }

    @Test
    void commandsThatReadAStoreDoNotCreateOneWhereNoneIs() {
        Path missing = dir.resolve("missing");
        Map<String, CliRun> runs = Map.of("ls", run("ls", "--store", missing.toString()),
                "call", run("call", "--store", missing.toString(), "hello", "greet", "x"));
        runs.forEach((command, run) -> {
            assertThat(run.status()).as(run.err()).isEqualTo(Cli.FAILED);
            assertThat(run.err()).startsWith("snapgate " + command + ": missing store directory: ")
                    .contains(missing.toString()).doesNotContain("internal error", "\tat ");
        });
        assertThat(missing).doesNotExist();
    }

    @Test
    void serveOnAnUnusableStoreSaysWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        CliRun serve = run("serve", "--store", file.toString(), "--port", "0");
        assertThat(serve.status()).isEqualTo(Cli.FAILED);
        assertThat(serve.err()).startsWith("snapgate serve: ").contains(file.toString())
                .doesNotContain("internal error", "\tat ");
    }

    @Test
    void configurationErrorsAreUsageErrorsNamingTheProblem() throws IOException {
        Path config = Files.writeString(dir.resolve("snapgate.json"), "{\"stroe\": \"/tmp\"}");
        CliRun typo = run("ls", "--config", config.toString());
        assertThat(typo.status()).isEqualTo(Cli.USAGE);
        assertThat(typo.err()).contains("unknown key \"stroe\"");
        CliRun env = run(Map.of("SNAPGATE_DEFAULT_DEADLINE_MS", "soon"), "ls", "--store", store());
        assertThat(env.status()).isEqualTo(Cli.USAGE);
        assertThat(env.err()).contains("defaultDeadlineMs = \"soon\" (from SNAPGATE_DEFAULT_DEADLINE_MS)");
    }
}
