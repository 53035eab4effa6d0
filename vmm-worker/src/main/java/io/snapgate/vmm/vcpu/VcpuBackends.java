package io.snapgate.vmm.vcpu;

import io.snapgate.vmm.vcpu.kvm.KvmBackend;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks a vCPU backend: the best this machine has (KVM when /dev/kvm works, else the emulated one), probed once,
 * or one asked for by name. The first choice a process makes is logged once, with the reason.
 */
public final class VcpuBackends {
    private static final Logger LOG = LoggerFactory.getLogger(VcpuBackends.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private VcpuBackends() {
    }

    private static final class Detected {
        static final VcpuBackend BACKEND = KvmBackend.isAvailable() ? KvmBackend.instance() : emulated();
    }

    /** The best backend available here: KVM when /dev/kvm opens and passes its checks, else the emulated one. */
    public static VcpuBackend detect() {
        VcpuBackend backend = Detected.BACKEND;
        logOnce(backend, backend instanceof KvmBackend ? "auto: /dev/kvm works"
                : "auto: KVM is unavailable (" + KvmBackend.unavailableReason() + ")");
        return backend;
    }

    /**
     * The backend called {@code name}: {@code auto} ({@link #detect()}), {@code emulated} or {@code kvm}. Fails
     * with the reason when {@code kvm} is asked for and unavailable.
     */
    public static VcpuBackend named(String name) {
        return switch (name) {
            case "auto" -> detect();
            case UnicornBackend.NAME -> {
                VcpuBackend emulated = emulated();
                logOnce(emulated, "asked for by name");
                yield emulated;
            }
            case KvmBackend.NAME -> {
                if (!KvmBackend.isAvailable()) {
                    throw new IllegalStateException("the kvm vCPU backend was asked for but is unavailable: "
                            + KvmBackend.unavailableReason());
                }
                logOnce(KvmBackend.instance(), "asked for by name");
                yield KvmBackend.instance();
            }
            default -> throw new IllegalArgumentException("unknown vCPU backend '" + name
                    + "' (expected auto, emulated or kvm)");
        };
    }

    /** Unicorn, in an emulator process per vCPU thread (whatever guest code does to Unicorn stays there). */
    private static VcpuBackend emulated() {
        if (!UnicornBackend.isAvailable()) {
            throw new IllegalStateException("the emulated vCPU backend is unavailable: Unicorn 2 does not load or run"
                    + " here (install the libunicorn2 package)");
        }
        return ProcessBackend.instance();
    }

    private static void logOnce(VcpuBackend backend, String why) {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.info("vCPU backend: {} ({})", backend.name(), why);
        }
    }
}
