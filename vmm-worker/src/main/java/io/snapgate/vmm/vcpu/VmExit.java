package io.snapgate.vmm.vcpu;

/** Why a vCPU stopped running guest code. Every backend converts its own exits into these. */
public sealed interface VmExit {

    /** The guest left through the exit protocol: {@code out dx, eax; hlt} with DX = port, EAX = value. */
    record IoOut(int port, int value) implements VmExit {
    }

    /** {@link Vcpu#requestStop()} stopped the guest, or the vCPU was kicked for no reason: resume to go on. */
    record Interrupted() implements VmExit {
    }

    /**
     * An access to guest memory that is unmapped ({@code mapped == false}) or not allowed. {@code rip} is the
     * faulting instruction; after a write on KVM, which completes the instruction before it exits, the next one.
     */
    record MemoryFault(long address, Access access, boolean mapped, long rip) implements VmExit {
    }

    /** An undefined or privileged instruction the vCPU refused. */
    record InvalidInstruction(long rip) implements VmExit {
    }

    /** A CPU exception (divide error, page fault, general protection, ...), by vector number. */
    record CpuException(int vector, long rip, long faultAddress) implements VmExit {
    }

    /**
     * The vCPU cannot go on from the state the guest put it in: the CPU refused to enter it, or the hypervisor
     * cannot emulate the guest's instruction (KVM: FAIL_ENTRY, INTERNAL_ERROR after the guest ran). The guest's
     * doing, unlike {@link Failed}; the reason names what refused it.
     */
    record UnrunnableState(String reason) implements VmExit {
    }

    /** The backend itself failed; the reason names the step. */
    record Failed(String reason) implements VmExit {
    }

    /**
     * The process running the vCPU died or stopped answering while it ran the guest (an emulator crash the
     * guest's code caused); the vCPU and the guest memory that process held are gone.
     */
    record Lost(String reason, long rip) implements VmExit {
    }

    /** The kind of memory access that faulted. */
    enum Access {
        READ,
        WRITE,
        EXECUTE
    }
}
