package io.snapgate.store.testing;

import io.snapgate.store.MemorySource;
import io.snapgate.store.OpenBlob;
import io.snapgate.store.config.EntryConfig;
import io.snapgate.store.config.FunctionConfig;
import io.snapgate.store.config.MemoryConfig;
import io.snapgate.store.config.RegionConfig;
import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.fs.Posix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small valid snapshot laid out as vmm-worker's MemoryLayout.plan would (docs/abi.md): null guard, control,
 * page tables, a three-segment image, heap, stack guard, stack, input, output; 0x125000 bytes in all.
 */
public final class Fixtures {
    public static final long MEMORY_SIZE = 0x125000;
    public static final long TEXT = 0x100000;
    public static final long STACK_END = 0x11d000;

    private Fixtures() {
    }

    public static List<RegionConfig> regions() {
        return List.of(
                new RegionConfig("control", 0x1000, 0x1000, RegionConfig.READ_WRITE),
                new RegionConfig("page-tables", 0x2000, 0x3000, RegionConfig.READ_ONLY),
                new RegionConfig("image r-x @0x100000", TEXT, 0x2000, RegionConfig.READ_EXECUTE),
                new RegionConfig("image r-- @0x102000", 0x102000, 0x1000, RegionConfig.READ_ONLY),
                new RegionConfig("image rw- @0x103000", 0x103000, 0x1000, RegionConfig.READ_WRITE),
                new RegionConfig("heap", 0x104000, 0x10000, RegionConfig.READ_WRITE),
                new RegionConfig("stack", 0x115000, 0x8000, RegionConfig.READ_WRITE),
                new RegionConfig("input", STACK_END, 0x4000, RegionConfig.READ_WRITE),
                new RegionConfig("output", 0x121000, 0x4000, RegionConfig.READ_WRITE));
    }

    public static EntryConfig entry() {
        return new EntryConfig(TEXT + 0x10, STACK_END, 0x1000, 0x2, 0x80010033L, 0x2000, 0x620, 0x500);
    }

    public static List<FunctionConfig> functions() {
        return List.of(
                new FunctionConfig("Echo", List.of("string"), "string"),
                new FunctionConfig("Add", List.of("i32", "i32"), "i32"),
                new FunctionConfig("NoOp", List.of(), "void"));
    }

    public static List<FunctionConfig> hostFunctions() {
        return List.of(new FunctionConfig("HostPrint", List.of("string"), "i32"));
    }

    public static SnapshotConfig config() {
        return config(regions(), entry(), functions());
    }

    public static SnapshotConfig config(List<RegionConfig> regions, EntryConfig entry, List<FunctionConfig> functions) {
        return new SnapshotConfig(1, 1, "x86_64", "emulated", 3, "2025-01-31T12:00:00Z",
                new MemoryConfig(MEMORY_SIZE, regions), entry, functions, hostFunctions(),
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    }

    public static SnapshotConfig withGeneration(SnapshotConfig c, long generation) {
        return new SnapshotConfig(c.formatVersion(), c.abiVersion(), c.arch(), c.createdBy(), generation, c.created(),
                c.memory(), c.entry(), c.functions(), c.hostFunctions(), c.codeDigest());
    }

    public static SnapshotConfig withRegions(List<RegionConfig> regions) {
        return config(regions, entry(), functions());
    }

    /** The fixture's regions with {@code name} replaced. */
    public static List<RegionConfig> replacing(String name, RegionConfig replacement) {
        List<RegionConfig> out = new ArrayList<>();
        for (RegionConfig r : regions()) {
            out.add(r.name().equals(name) ? replacement : r);
        }
        return out;
    }

    /** Deterministic pseudo-random memory of the fixture's size: equal seeds give equal images. */
    public static ByteBuffer image(long seed) {
        byte[] bytes = new byte[(int) MEMORY_SIZE];
        new Random(seed).nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** What the blob's descriptor reads, from the start (pread, so the descriptor's offset is untouched). */
    public static ByteBuffer contentOf(OpenBlob blob) {
        ByteBuffer content = ByteBuffer.allocateDirect((int) blob.size());
        Posix.readFully(blob.fd(), content, 0);
        return content.flip();
    }

    public static MemorySource memory(long seed) {
        return MemorySource.of(image(seed));
    }
}
