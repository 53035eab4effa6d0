package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.contentOf;
import static io.snapgate.store.testing.Fixtures.image;
import static io.snapgate.store.testing.Fixtures.memory;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.testing.SaveMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ConcurrencyTest {
    private static final int SAVES = 8;

    @TempDir
    Path dir;

    @Test
    void twoThreadsSavingDifferentTagsWhileAReaderLoads() throws Exception {
        SnapshotStore.open(dir).save("seed", config(), memory(99));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger loads = new AtomicInteger();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (String prefix : List.of("a", "b")) {
                long seed = prefix.equals("a") ? 100 : 200;
                writers.add(pool.submit(() -> {
                    SnapshotStore own = SnapshotStore.open(dir);  // its own instance: the lock is per directory
                    start.await();
                    for (int i = 0; i < SAVES; i++) {
                        own.save(prefix + "-" + i, config(), memory(seed + i));
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                SnapshotStore store = SnapshotStore.open(dir);
                start.await();
                while (writing.get()) {
                    for (String tag : store.tags()) {
                        try (LoadedSnapshot loaded = store.load(tag, false)) {
                            assertThat(loaded.config()).isEqualTo(config());
                            loads.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> w : writers) {
                w.get(50, TimeUnit.SECONDS);
            }
            writing.set(false);
            reader.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads.get()).isPositive();
        assertAllLoad(SnapshotStore.open(dir), 100, 200);
    }

    @Test
    void twoProcessesSavingIntoOneStore() throws Exception {
        Process a = saver("a", 100);
        Process b = saver("b", 200);
        for (Process p : List.of(a, b)) {
            assertThat(p.waitFor(50, TimeUnit.SECONDS)).as("saver finished").isTrue();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("saved " + SAVES);
        }
        assertAllLoad(SnapshotStore.openExisting(dir), 100, 200);
    }

    private Process saver(String prefix, long seed) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SaveMain.class.getName(), dir.toString(), prefix, String.valueOf(SAVES), String.valueOf(seed))
                .redirectErrorStream(true).start();
    }

    private static void assertAllLoad(SnapshotStore store, long seedA, long seedB) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SAVES; i++) {
            expected.add("a-" + i);
            expected.add("b-" + i);
        }
        assertThat(store.tags()).containsAll(expected);
        for (int i = 0; i < SAVES; i++) {
            try (LoadedSnapshot a = store.load("a-" + i, true); LoadedSnapshot b = store.load("b-" + i, true)) {
                assertThat(contentOf(a.memory())).isEqualTo(image(seedA + i));
                assertThat(contentOf(b.memory())).isEqualTo(image(seedB + i));
            }
        }
    }
}
