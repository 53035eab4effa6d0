package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.elf.ElfImage;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.VcpuBackend;

/**
 * What a sandbox makes of a guest image before it runs it, for code that runs guests at the vCPU level under the
 * real memory layout (the emulator fuzzer): layout, image, code digest and entry state come from the very code
 * {@link SandboxBuilder} and {@link Sandbox} use.
 */
public final class SandboxLayout {
    private SandboxLayout() {
    }

    /** The memory layout a sandbox of {@code image} with {@code sizes} has. */
    public static MemoryLayout layout(ElfImage image, LayoutSizes sizes) {
        return ImageWriter.layout(image, sizes);
    }

    /**
     * New guest memory on {@code backend}'s host (its emulator process, for the emulated backend) holding
     * {@code image} laid out with {@code sizes}: control page, page tables and segments, then mapped privately, as
     * a sandbox's calls run on it.
     */
    public static GuestMemory place(VcpuBackend backend, ElfImage image, LayoutSizes sizes) {
        GuestMemory memory = ImageWriter.newMemory(backend, ImageWriter.layout(image, sizes));
        try {
            ImageWriter.write(image, memory);
            memory.remap(memory.file(), false);
            return memory;
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    /** The digest a sandbox gives the vCPU for this memory's code. */
    public static String codeDigest(GuestMemory memory) {
        return ImageWriter.codeDigest(memory.file(), memory.layout());
    }

    /** The registers every call enters with. */
    public static CpuState entryState(MemoryLayout layout) {
        return Sandbox.entryState(layout);
    }
}
