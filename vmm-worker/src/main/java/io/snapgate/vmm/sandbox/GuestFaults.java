package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.vcpu.VmExit;
import java.util.Locale;

/** Turns a vCPU exit that ends a run (a fault, an exception, a backend failure) into a clear exception. */
final class GuestFaults {
    private static final int DIVIDE_ERROR = 0;
    private static final int INVALID_OPCODE = 6;
    private static final int GENERAL_PROTECTION = 13;
    private static final int PAGE_FAULT = 14;

    private GuestFaults() {
    }

    static SandboxException describe(VmExit exit, MemoryLayout layout, String during) {
        if (exit instanceof VmExit.MemoryFault f) {
            String access = f.access().name().toLowerCase(Locale.ROOT);
            return new MemoryAccessException(f.address(), String.format("%s: %s %s at 0x%x (%s), rip 0x%x",
                    during, kind(f.address(), layout), access, f.address(),
                    where(f.address(), layout, f.mapped()), f.rip()));
        }
        if (exit instanceof VmExit.CpuException e) {
            if (e.vector() == PAGE_FAULT) {
                return new MemoryAccessException(e.faultAddress(), String.format(
                        "%s: %s at 0x%x (page fault: outside guest memory), rip 0x%x", during,
                        kind(e.faultAddress(), layout), e.faultAddress(), e.rip()));
            }
            if (e.vector() == INVALID_OPCODE) {
                return invalidInstruction(e.rip(), during);
            }
            return new SandboxException(Failure.CPU_EXCEPTION, String.format("%s: CPU exception %s at rip 0x%x",
                    during, vectorName(e.vector()), e.rip()));
        }
        if (exit instanceof VmExit.InvalidInstruction i) {
            return invalidInstruction(i.rip(), during);
        }
        if (exit instanceof VmExit.Lost lost) {
            return new SandboxException(Failure.SANDBOX_LOST, String.format("%s: the emulator failed on the guest's"
                    + " code%s: %s; the sandbox is lost", during,
                    lost.rip() == 0 ? "" : String.format(" (run entered at rip 0x%x)", lost.rip()), lost.reason()));
        }
        if (exit instanceof VmExit.UnrunnableState u) {
            return new SandboxException(Failure.UNRUNNABLE_STATE, during + ": the guest left the vCPU in a state it"
                    + " cannot run: " + u.reason());
        }
        if (exit instanceof VmExit.Failed f) {
            return new SandboxException(Failure.BACKEND_FAILURE, during + ": vCPU failed: " + f.reason());
        }
        throw new IllegalArgumentException("not a fault: " + exit);
    }

    private static SandboxException invalidInstruction(long rip, String during) {
        return new SandboxException(Failure.INVALID_INSTRUCTION, String.format("%s: invalid instruction at rip 0x%x",
                during, rip));
    }

    private static String kind(long address, MemoryLayout layout) {
        if (address < MemoryLayout.PAGE_SIZE) {
            return "null pointer access:";
        }
        Region stack = layout.region(MemoryLayout.STACK);
        if (address < stack.guestAddress() && address >= stack.guestAddress() - MemoryLayout.PAGE_SIZE) {
            return "stack overflow:";
        }
        return "memory access violation:";
    }

    private static String where(long address, MemoryLayout layout, boolean mapped) {
        for (Region r : layout.regions()) {
            if (r.contains(address, 1)) {
                return (mapped ? "not allowed in " : "in ") + "region " + r.name() + ", "
                        + r.protection().name().toLowerCase(Locale.ROOT).replace('_', '-');
            }
        }
        return address < layout.size() ? "unmapped guard page" : "outside guest memory";
    }

    private static String vectorName(int vector) {
        return switch (vector) {
            case DIVIDE_ERROR -> "#DE (divide error)";
            case 1 -> "#DB (debug)";
            case 3 -> "#BP (breakpoint)";
            case 4 -> "#OF (overflow)";
            case 5 -> "#BR (bound range)";
            case 7 -> "#NM (device not available)";
            case 8 -> "#DF (double fault)";
            case 10 -> "#TS (invalid TSS)";
            case 11 -> "#NP (segment not present)";
            case 12 -> "#SS (stack fault)";
            case GENERAL_PROTECTION -> "#GP (general protection)";
            case 16 -> "#MF (x87 floating point)";
            case 17 -> "#AC (alignment check)";
            case 19 -> "#XM (SIMD floating point)";
            default -> "vector " + vector;
        };
    }
}
