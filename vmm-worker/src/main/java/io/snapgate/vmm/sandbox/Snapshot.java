package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.config.FunctionConfig;
import java.lang.ref.Cleaner;
import java.time.Instant;
import java.util.List;

/**
 * A sandbox's state between calls, enough to resume without the ELF: its memory image (a file nobody
 * writes), the layout, where calls enter, the guest's functions, the host functions it was built with,
 * a generation counter, the backend that made it, and a digest of its code. The registers are not part of
 * it: between calls they are always the ABI's entry state.
 *
 * <p>Holds one reference to its memory file, released by {@link #close()} or, failing that, when the snapshot
 * becomes unreachable. Sandboxes made from it hold their own.
 */
public final class Snapshot implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final MemoryFile memory;
    private final MemoryLayout layout;
    private final long dispatchAddress;
    private final List<FunctionSignature> functions;
    private final List<FunctionSignature> hostFunctions;
    private final long generation;
    private final String backend;
    private final String codeDigest;
    private final Instant created;
    private final Cleaner.Cleanable release;

    Snapshot(MemoryFile memory, MemoryLayout layout, long dispatchAddress, List<FunctionSignature> functions,
            List<FunctionSignature> hostFunctions, long generation, String backend, String codeDigest,
            Instant created) {
        this.memory = memory.retain();
        this.layout = layout;
        this.dispatchAddress = dispatchAddress;
        this.functions = List.copyOf(functions);
        this.hostFunctions = List.copyOf(hostFunctions);
        this.generation = generation;
        this.backend = backend;
        this.codeDigest = codeDigest;
        this.created = created;
        this.release = CLEANER.register(this, memory::release);
    }

    public MemoryFile memory() {
        return memory;
    }

    public MemoryLayout layout() {
        return layout;
    }

    public long dispatchAddress() {
        return dispatchAddress;
    }

    public List<FunctionSignature> functions() {
        return functions;
    }

    /** The host functions (names and signatures) a sandbox made from this snapshot must offer. */
    public List<FunctionSignature> hostFunctions() {
        return hostFunctions;
    }

    public long generation() {
        return generation;
    }

    public String backend() {
        return backend;
    }

    /** SHA-256 of the code regions, hex: equal digests mean translated code can be kept across a restore. */
    public String codeDigest() {
        return codeDigest;
    }

    public long memorySize() {
        return layout.size();
    }

    /** Lets go of the memory image (sandboxes made from this snapshot keep theirs). Idempotent. */
    @Override
    public void close() {
        release.clean();
    }

    public Instant created() {
        return created;
    }

    /**
     * Writes this snapshot into {@code store} under {@code tag} (replacing what the tag named) and returns the
     * manifest digest. Durable when it returns.
     */
    public String save(SnapshotStore store, String tag) {
        return store.save(tag, SnapshotConfigs.toConfig(this), SnapshotConfigs.memorySource(memory));
    }

    /**
     * Loads a snapshot by tag or digest, with every structural check but without hashing the memory blob.
     *
     * @throws io.snapgate.store.SnapshotFormatException naming what is wrong with it
     */
    public static Snapshot load(SnapshotStore store, String ref) {
        return SnapshotConfigs.fromStore(store.load(ref, false));
    }

    /**
     * The signatures of a stored function table (such as a config read from a cluster's index).
     *
     * @throws io.snapgate.store.SnapshotFormatException naming an unknown type
     */
    public static List<FunctionSignature> signatures(List<FunctionConfig> functions) {
        return SnapshotConfigs.signatures(functions);
    }

    /** Like {@link #load}, and also checks the memory blob's sha256 on the descriptor it then maps. */
    public static Snapshot loadChecked(SnapshotStore store, String ref) {
        return SnapshotConfigs.fromStore(store.load(ref, true));
    }
}
