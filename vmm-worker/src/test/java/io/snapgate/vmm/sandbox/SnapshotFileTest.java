package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.store.GcReport;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.testing.TestGuests;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots saved to a real store on disk and loaded back copy-on-write. */
class SnapshotFileTest extends OnEveryBackend {
    private final TestGuests.Host host = new TestGuests.Host();
    @TempDir
    Path dir;
    private SnapshotStore store;

    @BeforeEach
    void openStore() {
        store = SnapshotStore.open(dir.resolve("store"));
    }

    private Sandbox fromSnapshot(Snapshot snapshot) {
        return Sandbox.fromSnapshot(snapshot, host.functions(), backend, SandboxConfig.DEFAULT,
                GuestLog.SLF4J);
    }

    /** A snapshot of the test guest with its static at 5, saved as {@code tag}; returns the manifest digest. */
    private String saveFive(String tag) {
        try (Sandbox origin = host.sandbox(backend)) {
            origin.call("add_to_static", 5);
            try (Snapshot five = origin.snapshot()) {
                return five.save(store, tag);
            }
        }
    }

    private Path memoryBlob(Snapshot snapshot) {
        return store.directory().resolve("blobs/sha256/" + snapshot.memory().digest().substring("sha256:".length()));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void roundTripByTagAndByDigestCheckedAndNot() {
        String digest = saveFive("five");
        assertThat(digest).startsWith("sha256:");
        for (Snapshot loaded : List.of(Snapshot.load(store, "five"), Snapshot.loadChecked(store, "five"),
                Snapshot.load(store, digest), Snapshot.loadChecked(store, digest))) {
            try (loaded; Sandbox sandbox = fromSnapshot(loaded)) {
                assertThat(loaded.generation()).isEqualTo(1);
                assertThat(loaded.backend()).isEqualTo(backendName);
                assertThat(sandbox.functions()).contains(io.snapgate.vmm.abi.FunctionSignature.of("add",
                        ValueType.I32, ValueType.I32, ValueType.I32));
                assertThat(sandbox.call("get_static")).isEqualTo(5);
                assertThat(sandbox.call("add", 2, 3)).isEqualTo(5);
                assertThat(sandbox.call("echo_string", "disk")).isEqualTo("disk");
                assertThat(sandbox.call("add_to_static", 1)).isEqualTo(6);
                sandbox.restore();
                assertThat(sandbox.call("get_static")).isEqualTo(5);
            }
        }
    }

    @Test
    void restoreRightAfterFromSnapshotAndAcrossTwoIndependentLoads() {
        saveFive("five");
        try (Snapshot first = Snapshot.load(store, "five"); Snapshot second = Snapshot.load(store, "five");
                Sandbox sandbox = fromSnapshot(first)) {
            sandbox.restore();
            assertThat(sandbox.call("add_to_static", 2)).isEqualTo(7);
            sandbox.restore(second);
            assertThat(sandbox.call("get_static")).isEqualTo(5);
            sandbox.restore(first);
            assertThat(sandbox.call("get_static")).isEqualTo(5);
        }
    }

    @Test
    void sandboxesOfOneLoadedSnapshotAreIsolatedAndTheBlobNeverChanges() throws Exception {
        saveFive("five");
        try (Snapshot loaded = Snapshot.loadChecked(store, "five")) {
            Path blob = memoryBlob(loaded);
            String before = sha256(blob);
            assertThat(Files.getPosixFilePermissions(blob)).isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
            try (Sandbox a = fromSnapshot(loaded); Sandbox b = fromSnapshot(loaded)) {
                assertThat(a.call("add_to_static", 10)).isEqualTo(15);
                assertThat(b.call("add_to_static", 100)).isEqualTo(105);
                assertThat(a.call("dirty_pages", 256L)).isEqualTo(256L);
                assertThat(a.call("get_static")).isEqualTo(15);
                assertThat(b.call("get_static")).isEqualTo(105);
                assertThat((Long) a.call("next_random")).isNotEqualTo(b.call("next_random"));
                long beforeRestore = (Long) a.call("next_random");
                a.restore();
                assertThat((Long) a.call("next_random")).isNotEqualTo(beforeRestore);
            }
            assertThat(sha256(blob)).isEqualTo(before);
            assertThat("sha256:" + before).isEqualTo(loaded.memory().digest());
        }
    }

    @Test
    void fromSnapshotListsEveryGapAndAcceptsMoreHostFunctionsBeforeTheFirstCall() {
        saveFive("five");
        try (Snapshot loaded = Snapshot.load(store, "five")) {
            assertThatThrownBy(() -> Sandbox.fromSnapshot(loaded, List.of(HostFunction.of("host_add", ValueType.I64,
                    a -> 0L, ValueType.I64, ValueType.I64)), backend, SandboxConfig.DEFAULT, GuestLog.SLF4J))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.INCOMPATIBLE_SNAPSHOT))
                    .hasMessageContaining("host function host_add is host_add(i64, i64) -> i64, the snapshot needs "
                            + "host_add(i32, i32) -> i32")
                    .hasMessageContaining("missing host function host_spin() -> i32");
            try (Sandbox sandbox = fromSnapshot(loaded)) {
                sandbox.register(List.of(HostFunction.of("host_add", ValueType.I32, a -> 1000, ValueType.I32,
                        ValueType.I32)));
                assertThat(sandbox.call("add", 1, 2)).isEqualTo(1000);
                assertThatThrownBy(() -> sandbox.register(List.of())).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("before the first call");
            }
        }
    }

    @Test
    void savingTheSameSnapshotTwiceGivesTheSameDigest() {
        try (Sandbox origin = host.sandbox(backend); Snapshot s = origin.snapshot()) {
            String one = s.save(store, "a");
            String two = s.save(store, "b");
            assertThat(two).isEqualTo(one);
            assertThat(store.tags()).containsExactly("a", "b");
        }
    }

    @Test
    void garbageCollectionKeepsWhatALiveSandboxMaps() {
        saveFive("five");
        String memory;
        try (Snapshot loaded = Snapshot.load(store, "five"); Sandbox sandbox = fromSnapshot(loaded)) {
            store.delete("five");
            GcReport kept = store.gc();
            assertThat(kept.deletedDigests()).as("the manifest and the config").hasSize(2)
                    .doesNotContain(loaded.memory().digest());
            assertThat(Files.exists(memoryBlob(loaded))).isTrue();
            assertThat(sandbox.call("get_static")).isEqualTo(5);
            memory = loaded.memory().digest();
        }
        GcReport freed = store.gc();
        assertThat(freed.deletedDigests()).containsExactly(memory);
    }

    @Test
    void aCorruptedMemoryBlobFailsTheCheckedLoadByName() throws IOException {
        saveFive("five");
        Path blob;
        try (Snapshot loaded = Snapshot.load(store, "five")) {
            blob = memoryBlob(loaded);
        }
        blob.toFile().setWritable(true);
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(0x1000);
            f.write(0x42);
        }
        assertThatThrownBy(() -> Snapshot.loadChecked(store, "five")).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("digest mismatch");
    }

    @Test
    void anEntryStateOtherThanTheAbiPinsIsRefused() {
        // Without CR4.OSFXSR every SSE instruction faults: a valid long mode, but not the one ABI 1 promises.
        try (Sandbox origin = host.sandbox(backend); Snapshot s = origin.snapshot()) {
            var config = SnapshotConfigs.toConfig(s);
            var e = config.entry();
            var tampered = new io.snapgate.store.config.SnapshotConfig(config.formatVersion(), config.abiVersion(),
                    config.arch(), config.createdBy(), config.generation(), config.created(), config.memory(),
                    new io.snapgate.store.config.EntryConfig(e.dispatchAddress(), e.stackTop(), e.controlPage(),
                            e.rflags(), e.cr0(), e.cr3(), e.cr4() & ~0x200L, e.efer()),
                    config.functions(), config.hostFunctions(), config.codeDigest());
            store.save("no-sse", tampered, SnapshotConfigs.memorySource(s.memory()));
        }
        assertThatThrownBy(() -> Snapshot.load(store, "no-sse"))
                .isInstanceOfSatisfying(SnapshotFormatException.class,
                        ex -> assertThat(ex.problem()).isEqualTo(io.snapgate.store.Problem.CONFIG_ENTRY))
                .hasMessageContaining("differs from the one ABI version 1 pins");
    }

    /** A config whose code digest claims other code than the blob holds (the claim is well-formed). */
    private void saveClaimingOtherCode(String tag) {
        try (Sandbox origin = host.sandbox(backend); Snapshot s = origin.snapshot()) {
            var c = SnapshotConfigs.toConfig(s);
            var claim = new io.snapgate.store.config.SnapshotConfig(c.formatVersion(), c.abiVersion(), c.arch(),
                    c.createdBy(), c.generation(), c.created(), c.memory(), c.entry(), c.functions(),
                    c.hostFunctions(), "0".repeat(64));
            store.save(tag, claim, SnapshotConfigs.memorySource(s.memory()));
        }
    }

    @Test
    void aCodeDigestThatIsNotTheCodesIsRefusedByEveryLoad() {
        saveClaimingOtherCode("claim");
        for (var load : List.<Runnable>of(() -> Snapshot.load(store, "claim"),
                () -> Snapshot.loadChecked(store, "claim"))) {
            assertThatThrownBy(load::run).isInstanceOfSatisfying(SnapshotFormatException.class,
                            ex -> assertThat(ex.problem()).isEqualTo(io.snapgate.store.Problem.CONFIG_FIELD))
                    .hasMessageContaining("is not the digest of the snapshot's code");
        }
    }

    @Test
    void anUnknownTagListsTheTagsThatExist() {
        saveFive("five");
        assertThatThrownBy(() -> Snapshot.load(store, "missing")).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("unknown tag").hasMessageContaining("five");
    }
}
