package io.snapgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapgate.store.config.ConfigValidator;
import io.snapgate.store.testing.Fixtures;
import io.snapgate.store.testing.Tamper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random byte mutations of index.json, the manifest and the config (rewritten in place): a load must then
 * either succeed with the original config and memory, or fail with a {@link SnapshotFormatException}.
 * Never another exception, never a different snapshot.
 */
class MutationPropertyTest {
    private static final byte[] INTERESTING =
            "\"{}[],:0-1e.9 \\\0\u007fx".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private static Path dir;
    private static SnapshotStore store;
    private static LoadedSnapshot original;

    enum Target { INDEX, MANIFEST, CONFIG }

    record Mutation(int position, byte value) {
    }

    @BeforeContainer
    static void save() throws IOException {
        dir = Files.createTempDirectory("snapgate-mutation");
        store = SnapshotStore.open(dir);
        store.save("other", Fixtures.withGeneration(Fixtures.config(), 8), Fixtures.memory(2));
        store.save("app", Fixtures.config(), Fixtures.memory(1));
        original = store.load("app", true);
        original.close();
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 1000)
    void mutatedDocumentsLoadIdenticallyOrFailCleanly(@ForAll Target target,
            @ForAll("mutations") List<Mutation> mutations, @ForAll boolean verify) throws IOException {
        Path file = file(target);
        byte[] pristine = Files.readAllBytes(file);
        byte[] mutated = pristine.clone();
        for (Mutation m : mutations) {
            mutated[m.position() % mutated.length] = m.value();
        }
        Tamper.overwrite(file, mutated);
        try {
            boolean loadedIdentically = false;
            try (LoadedSnapshot loaded = store.load("app", verify)) {
                assertThat(loaded.config()).isEqualTo(original.config());
                assertThat(loaded.manifestDigest()).isEqualTo(original.manifestDigest());
                assertThat(loaded.memoryDigest()).isEqualTo(original.memoryDigest());
                loadedIdentically = true;
                Statistics.label("load").collect("loaded");
            } catch (SnapshotFormatException expected) {
                Statistics.label("load").collect(expected.problem());
                assertThat(expected.getMessage()).startsWith(expected.problem().description());
            }
            try {
                store.tags(); // must not throw anything but a SnapshotFormatException
                String resolved = store.resolve("app");
                if (loadedIdentically) {
                    assertThat(resolved).isEqualTo(original.manifestDigest());
                }
            } catch (SnapshotFormatException expected) {
                assertThat(expected.getMessage()).startsWith(expected.problem().description());
            }
        } finally {
            Tamper.overwrite(file, pristine);
        }
    }

    /**
     * The same mutations, but written as new, correctly hashed blobs that the chain above points at, so the
     * parser and the validators see them: a load fails cleanly, or yields a config that is valid and says
     * exactly what the mutated bytes say.
     */
    @Property(tries = 1000)
    void rehashedMutationsParseOrFailCleanly(@ForAll("documents") Target target,
            @ForAll("mutations") List<Mutation> mutations) throws IOException {
        Tamper tamper = new Tamper(store.directory());
        byte[] index = Files.readAllBytes(tamper.index());
        byte[] mutated = Files.readAllBytes(file(target));
        for (Mutation m : mutations) {
            mutated[m.position() % mutated.length] = m.value();
        }
        try {
            if (target == Target.CONFIG) {
                tamper.replaceConfig("app", mutated);
            } else {
                tamper.replaceManifest("app", mutated);
            }
            try (LoadedSnapshot loaded = store.load("app", false)) {
                ConfigValidator.validate(loaded.config());
                ObjectMapper json = new ObjectMapper();
                JsonNode expected = target == Target.CONFIG ? json.readTree(mutated)
                        : json.valueToTree(original.config());
                // as text: the tree of a parsed document holds ints where the record's tree holds longs
                assertThat(json.writeValueAsString(loaded.config())).isEqualTo(json.writeValueAsString(expected));
                Statistics.label("load").collect("loaded");
            } catch (SnapshotFormatException expected) {
                Statistics.label("load").collect(expected.problem());
                assertThat(expected.getMessage()).startsWith(expected.problem().description());
            }
        } finally {
            Tamper.overwrite(tamper.index(), index);
        }
    }

    @Provide
    Arbitrary<Target> documents() {
        return Arbitraries.of(Target.MANIFEST, Target.CONFIG);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Byte> value = Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of(box(INTERESTING)));
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 1 << 16), value)
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    private static Path file(Target target) {
        Tamper tamper = new Tamper(store.directory());
        return switch (target) {
            case INDEX -> tamper.index();
            case MANIFEST -> tamper.blob(original.manifestDigest());
            case CONFIG -> tamper.blob(readConfigDigest(tamper));
        };
    }

    private static String readConfigDigest(Tamper tamper) {
        try {
            return Tamper.read(tamper.blob(original.manifestDigest())).get("config").get("digest").asText();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("the manifest must be intact between tries", e);
        }
    }

    private static Byte[] box(byte[] bytes) {
        Byte[] boxed = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            boxed[i] = bytes[i];
        }
        return boxed;
    }
}
