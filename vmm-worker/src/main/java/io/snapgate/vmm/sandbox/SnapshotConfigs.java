package io.snapgate.vmm.sandbox;

import io.snapgate.store.LoadedSnapshot;
import io.snapgate.store.MemorySource;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.config.EntryConfig;
import io.snapgate.store.config.FunctionConfig;
import io.snapgate.store.config.MemoryConfig;
import io.snapgate.store.config.RegionConfig;
import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.vmm.abi.ControlPage;
import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.Protection;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Converts between in-memory {@link Snapshot}s and the store's {@link SnapshotConfig}, and checks what the
 * store cannot know: that the recorded entry state is the one this ABI version pins.
 */
final class SnapshotConfigs {
    /** Memory is streamed to the store in chunks of this many bytes. */
    private static final int CHUNK = 8 << 20;

    private SnapshotConfigs() {
    }

    static SnapshotConfig toConfig(Snapshot s) {
        MemoryLayout layout = s.layout();
        CpuState entry = Sandbox.entryState(layout);
        return new SnapshotConfig(1, ControlPage.ABI_VERSION, "x86_64", s.backend(), s.generation(),
                s.created().toString(),
                new MemoryConfig(layout.size(), layout.regions().stream().map(SnapshotConfigs::region).toList()),
                new EntryConfig(s.dispatchAddress(), entry.rsp(), entry.rdi(), entry.rflags(), entry.cr0(),
                        entry.cr3(), entry.cr4(), entry.efer()),
                functions(s.functions()), functions(s.hostFunctions()), s.codeDigest());
    }

    private static RegionConfig region(Region r) {
        String protection = switch (r.protection()) {
            case READ_ONLY -> RegionConfig.READ_ONLY;
            case READ_WRITE -> RegionConfig.READ_WRITE;
            case READ_EXECUTE -> RegionConfig.READ_EXECUTE;
        };
        return new RegionConfig(r.name(), r.guestAddress(), r.size(), protection);
    }

    private static List<FunctionConfig> functions(List<FunctionSignature> signatures) {
        return signatures.stream().map(f -> new FunctionConfig(f.name(),
                f.parameters().stream().map(ValueType::toString).toList(), f.returns().toString())).toList();
    }

    /** Streams the image from its read-only view, a chunk at a time. */
    static MemorySource memorySource(MemoryFile memory) {
        return new MemorySource() {
            @Override
            public long size() {
                return memory.size();
            }

            @Override
            public void writeTo(WritableByteChannel out) throws IOException {
                for (long offset = 0; offset < memory.size(); offset += CHUNK) {
                    var chunk = memory.view(offset, (int) Math.min(CHUNK, memory.size() - offset));
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
            }
        };
    }

    /**
     * A snapshot over a loaded blob. Maps the blob, then makes the store re-check that the file did not change
     * before the mapping; the snapshot then owns the descriptor.
     */
    static Snapshot fromStore(LoadedSnapshot loaded) {
        try (loaded) {
            SnapshotConfig config = loaded.config();
            MemoryLayout layout = layout(config.memory());
            checkEntry(config.entry(), layout);
            Instant created = created(config.created());
            List<FunctionSignature> functions = signatures(config.functions());
            List<FunctionSignature> hostFunctions = signatures(config.hostFunctions());
            // The memory file owns the descriptor from here on, and closes it even if mapping fails.
            MemoryFile memory = MemoryFile.fromBlob(loaded.manifestDigest(), loaded.memory().detach(),
                    loaded.memory().size(), loaded.memoryDigest());
            try {
                loaded.memory().recheck();
                // A vCPU may reuse translations of code with this digest: it must be the code's, not a claim.
                String code = VerifiedCode.PROCESS.digest(loaded.memoryDigest(), loaded.memory().stat(),
                        layout.code(), () -> ImageWriter.codeDigest(memory, layout));
                if (!code.equals(config.codeDigest())) {
                    throw new SnapshotFormatException(Problem.CONFIG_FIELD, "codeDigest " + config.codeDigest()
                            + " is not the digest of the snapshot's code (" + code + ")");
                }
                return new Snapshot(memory, layout, config.entry().dispatchAddress(), functions, hostFunctions,
                        config.generation(), config.createdBy(), config.codeDigest(), created);
            } finally {
                memory.release(); // the snapshot holds its own reference
            }
        }
    }

    private static MemoryLayout layout(MemoryConfig memory) {
        List<Region> regions = memory.regions().stream().map(r -> new Region(r.name(), r.address(), r.size(),
                protection(r))).toList();
        try {
            return new MemoryLayout(regions, memory.size());
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException(Problem.CONFIG_REGIONS, e.getMessage());
        }
    }

    private static Protection protection(RegionConfig region) {
        return switch (region.protection()) {
            case RegionConfig.READ_ONLY -> Protection.READ_ONLY;
            case RegionConfig.READ_WRITE -> Protection.READ_WRITE;
            case RegionConfig.READ_EXECUTE -> Protection.READ_EXECUTE;
            default -> throw new SnapshotFormatException(Problem.CONFIG_REGIONS, "region " + region.name()
                    + " has protection " + SnapshotFormatException.quote(region.protection()));
        };
    }

    private static void checkEntry(EntryConfig entry, MemoryLayout layout) {
        CpuState pinned = Sandbox.entryState(layout);
        CpuState recorded = new CpuState(entry.stackTop(), entry.controlPage(), entry.rflags(), entry.cr0(),
                entry.cr3(), entry.cr4(), entry.efer());
        if (!recorded.equals(pinned)) {
            throw new SnapshotFormatException(Problem.CONFIG_ENTRY, "entry state " + recorded
                    + " differs from the one ABI version " + ControlPage.ABI_VERSION + " pins: " + pinned);
        }
        boolean inCode = layout.code().stream().anyMatch(r -> r.contains(entry.dispatchAddress(), 1));
        if (!inCode) {
            throw new SnapshotFormatException(Problem.CONFIG_ENTRY, String.format(
                    "dispatch address 0x%x is not in a code region", entry.dispatchAddress()));
        }
    }

    private static Instant created(String created) {
        try {
            return Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new SnapshotFormatException(Problem.CONFIG_FIELD, "created " + SnapshotFormatException.quote(created)
                    + " is not an ISO-8601 instant");
        }
    }

    static List<FunctionSignature> signatures(List<FunctionConfig> functions) {
        return functions.stream().map(f -> new FunctionSignature(f.name(),
                f.parameters().stream().map(SnapshotConfigs::type).toList(), type(f.returns()))).toList();
    }

    private static ValueType type(String name) {
        ValueType type = ValueType.fromName(name);
        if (type == null) {
            throw new SnapshotFormatException(Problem.CONFIG_FUNCTIONS, "unknown type "
                    + SnapshotFormatException.quote(name));
        }
        return type;
    }
}
