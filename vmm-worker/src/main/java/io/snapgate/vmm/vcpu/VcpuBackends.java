package io.snapgate.vmm.vcpu;

import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;

/** Picks a vCPU backend: the best this machine has, probed once, or one asked for by name. */
public final class VcpuBackends {
    private VcpuBackends() {
    }

    private static final class Detected {
        static final VcpuBackend BACKEND = UnicornBackend.instance();
    }

    /** The best backend available here (for now the emulated one; KVM joins it in a later change). */
    public static VcpuBackend detect() {
        return Detected.BACKEND;
    }

    /** The backend called {@code name} ({@code emulated} or {@code auto}). */
    public static VcpuBackend named(String name) {
        return switch (name) {
            case "auto", "emulated" -> detect();
            default -> throw new IllegalArgumentException("unknown vCPU backend '" + name + "' (expected auto or emulated)");
        };
    }
}
