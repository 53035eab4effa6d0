package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.FrameException;
import io.snapgate.vmm.elf.ElfException;
import io.snapgate.vmm.elf.ElfImage;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.VcpuBackends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Builds a {@link Sandbox} from a guest ELF: lays out memory, writes the image, runs the guest's init. */
public final class SandboxBuilder {
    private final byte[] elf;
    private final List<HostFunction> hostFunctions = new ArrayList<>();
    private SandboxConfig config = SandboxConfig.DEFAULT;
    private VcpuBackend backend;
    private GuestLog log = GuestLog.SLF4J;
    private byte[] initInput = new byte[0];

    SandboxBuilder(byte[] elf) {
        this.elf = elf.clone();
    }

    public SandboxBuilder hostFunction(HostFunction function) {
        hostFunctions.add(function);
        return this;
    }

    public SandboxBuilder hostFunctions(Collection<HostFunction> functions) {
        hostFunctions.addAll(functions);
        return this;
    }

    public SandboxBuilder hostFunctions(HostFunction... functions) {
        return hostFunctions(Arrays.asList(functions));
    }

    public SandboxBuilder config(SandboxConfig newConfig) {
        this.config = newConfig;
        return this;
    }

    /** The vCPU backend; by default the best one this machine has ({@link VcpuBackends#detect()}). */
    public SandboxBuilder backend(VcpuBackend newBackend) {
        this.backend = newBackend;
        return this;
    }

    /** Where the guest's log lines go; by default SLF4J. */
    public SandboxBuilder log(GuestLog newLog) {
        this.log = newLog;
        return this;
    }

    /**
     * Bytes the guest's init reads as its init input (docs/abi.md, "Entering the guest"): a script for a runtime
     * guest to evaluate, for example. They must fit the input buffer with the 4 bytes of their length.
     */
    public SandboxBuilder initInput(byte[] input) {
        this.initInput = input.clone();
        return this;
    }

    /**
     * The memory layout {@link #build} would give the guest, without building anything: its size is the most
     * memory the build's image can take (the init writes a shared in-memory file of that size).
     *
     * @throws SandboxException {@link Failure#INVALID_GUEST} for a bad ELF
     */
    public MemoryLayout layout() {
        return layout(image());
    }

    private ElfImage image() {
        try {
            return ElfImage.parse(elf, MemoryLayout.IMAGE_BASE, MemoryLayout.MAX_SIZE);
        } catch (ElfException | IllegalArgumentException e) {
            throw new SandboxException(Failure.INVALID_GUEST, e.getMessage());
        }
    }

    private MemoryLayout layout(ElfImage image) {
        try {
            return ImageWriter.layout(image, config.sizes());
        } catch (IllegalArgumentException e) {
            throw new SandboxException(Failure.INVALID_GUEST, e.getMessage());
        }
    }

    /**
     * Parses and checks the ELF, writes the image into a new in-memory file, runs the guest's init on it, and
     * returns a ready sandbox whose first snapshot is that file.
     *
     * @throws SandboxException {@link Failure#INVALID_GUEST} for a bad ELF or init frame; the init's own failure
     *     (abort, fault, ...) when the init crashes
     */
    public Sandbox build() {
        ElfImage image = image();
        MemoryLayout layout = layout(image);
        VcpuBackend chosen = backend == null ? VcpuBackends.detect() : backend;
        GuestMemory memory = ImageWriter.newMemory(chosen, layout);
        Sandbox sandbox;
        try {
            ImageWriter.write(image, memory);
            sandbox = Sandbox.open(chosen, memory,
                    ImageWriter.codeDigest(memory.file(), layout), HostFunctions.of(hostFunctions), config, log);
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
        try {
            sandbox.initialise(image.entry(), initInput);
            return sandbox;
        } catch (FrameException e) {
            sandbox.close();
            throw new SandboxException(Failure.INVALID_GUEST, "guest init: " + e.getMessage());
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }
}
