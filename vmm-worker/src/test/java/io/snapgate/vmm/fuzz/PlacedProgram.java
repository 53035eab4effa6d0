package io.snapgate.vmm.fuzz;

import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.sandbox.SandboxLayout;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.VmExit;

/**
 * A program in new guest memory, with a vCPU mapped on it and set to the ABI's entry state: what a sandbox holds
 * before a call, made the way a sandbox makes it. On the emulated backend both live in the calling thread's
 * emulator process.
 */
final class PlacedProgram implements AutoCloseable {
    private final GuestMemory memory;
    private final Vcpu vcpu;

    private PlacedProgram(GuestMemory memory, Vcpu vcpu) {
        this.memory = memory;
        this.vcpu = vcpu;
    }

    static PlacedProgram place(VcpuBackend backend, Program program, LayoutSizes sizes) {
        GuestMemory memory = SandboxLayout.place(backend, FuzzImage.of(program.code()), sizes);
        Vcpu vcpu = null;
        try {
            String digest = SandboxLayout.codeDigest(memory);
            vcpu = backend.createVcpu(digest);
            MemoryFile code = memory.file().retain();
            vcpu.map(memory.slots(), new GuestCode(digest, code::release));
            vcpu.setEntryState(SandboxLayout.entryState(memory.layout()));
            return new PlacedProgram(memory, vcpu);
        } catch (RuntimeException e) {
            if (vcpu != null) {
                vcpu.close();
            }
            memory.close();
            throw e;
        }
    }

    Vcpu vcpu() {
        return vcpu;
    }

    /** Runs the program from its start until the next exit. */
    VmExit enter() {
        return vcpu.enter(FuzzImage.CODE);
    }

    /** Gives the vCPU back (its engine to the pool) and unmaps the memory. */
    @Override
    public void close() {
        try {
            vcpu.close();
        } finally {
            memory.close();
        }
    }
}
