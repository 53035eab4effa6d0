package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.vcpu.kvm.KvmConstants.CPUID2_ENTRIES;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.CPUID2_NENT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.CPUID_ENTRY_SIZE;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * /dev/kvm, opened once and checked: a character device 10:232 (checked first, and opened without O_CREAT, so a probe
 * never leaves a regular file at that path), API version 12, and every capability the backend relies on. Holds what
 * all vCPUs share: the size of the kvm_run mapping and the CPUID the host supports.
 */
final class KvmDevice implements AutoCloseable {
    static final String PATH = "/dev/kvm";
    /** Linux's encoding of device 10:232 in st_rdev: (major << 8) | minor. */
    private static final long KVM_RDEV = (10 << 8) | 232;
    /** More than any CPU reports today; KVM_GET_SUPPORTED_CPUID fails with E2BIG when too small. */
    private static final int MAX_CPUID_ENTRIES = 256;
    /** Memory slots a guest uses: its regions (at most a dozen) plus the one of {@link HostPages}. */
    static final int SLOTS_NEEDED = 32;

    private static final Map<Integer, String> REQUIRED = Map.of(
            KvmConstants.KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY",
            KvmConstants.KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM",
            KvmConstants.KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT",
            KvmConstants.KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID",
            KvmConstants.KVM_CAP_VCPU_EVENTS, "KVM_CAP_VCPU_EVENTS",
            KvmConstants.KVM_CAP_DEBUGREGS, "KVM_CAP_DEBUGREGS",
            KvmConstants.KVM_CAP_XSAVE, "KVM_CAP_XSAVE",
            KvmConstants.KVM_CAP_XCRS, "KVM_CAP_XCRS",
            KvmConstants.KVM_CAP_X86_MSR_FILTER, "KVM_CAP_X86_MSR_FILTER (Linux 5.10)");

    private final int fd;
    private final int runSize;
    private final Memory cpuid;

    private KvmDevice(int fd, int runSize, Memory cpuid) {
        this.fd = fd;
        this.runSize = runSize;
        this.cpuid = cpuid;
    }

    /** Opens and checks /dev/kvm; throws {@link KvmException} saying what is missing or wrong. */
    static KvmDevice open() {
        requireCharacterDevice(Path.of(PATH));
        int fd = KvmLib.openReadWrite(PATH);
        try {
            int version = KvmLib.ioctl(fd, KvmConstants.KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION");
            if (version != KvmConstants.KVM_API_VERSION) {
                throw new KvmException(PATH + " speaks KVM API version " + version + "; snapgate needs "
                        + KvmConstants.KVM_API_VERSION);
            }
            for (var capability : REQUIRED.entrySet()) {
                if (KvmLib.ioctl(fd, KvmConstants.KVM_CHECK_EXTENSION, capability.getKey(), "KVM_CHECK_EXTENSION")
                        <= 0) {
                    throw new KvmException("this kernel's KVM lacks " + capability.getValue());
                }
            }
            int slots = KvmLib.ioctl(fd, KvmConstants.KVM_CHECK_EXTENSION, KvmConstants.KVM_CAP_NR_MEMSLOTS,
                    "KVM_CHECK_EXTENSION(KVM_CAP_NR_MEMSLOTS)");
            if (slots < SLOTS_NEEDED) {
                throw new KvmException("this kernel's KVM offers " + slots + " memory slots; snapgate needs "
                        + SLOTS_NEEDED);
            }
            int runSize = KvmLib.ioctl(fd, KvmConstants.KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
            return new KvmDevice(fd, runSize, supportedCpuid(fd));
        } catch (RuntimeException e) {
            KvmLib.closeQuietly(fd);
            throw e;
        }
    }

    private static void requireCharacterDevice(Path path) {
        try {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new KvmException(PATH + " does not exist: this machine has no KVM (no virtualization"
                        + " extensions, or the kvm modules are not loaded)");
            }
            Object rdev = Files.getAttribute(path, "unix:rdev");
            if (!Files.isRegularFile(path) && rdev instanceof Long device && device == KVM_RDEV) {
                return;
            }
            throw new KvmException(PATH + " is not the KVM character device 10:232");
        } catch (IOException | UnsupportedOperationException e) {
            throw new KvmException("cannot inspect " + PATH + ": " + e);
        }
    }

    private static Memory supportedCpuid(int fd) {
        Memory cpuid = new Memory(CPUID2_ENTRIES + (long) MAX_CPUID_ENTRIES * CPUID_ENTRY_SIZE);
        cpuid.clear();
        cpuid.setInt(CPUID2_NENT, MAX_CPUID_ENTRIES);
        KvmLib.ioctl(fd, KvmConstants.KVM_GET_SUPPORTED_CPUID, Pointer.nativeValue(cpuid), "KVM_GET_SUPPORTED_CPUID");
        return cpuid;
    }

    /** A new VM's file descriptor. */
    int createVm() {
        return KvmLib.ioctl(fd, KvmConstants.KVM_CREATE_VM, 0, "KVM_CREATE_VM");
    }

    /** Bytes to mmap from a vCPU descriptor for its kvm_run. */
    int runSize() {
        return runSize;
    }

    /** The native address of the supported {@code struct kvm_cpuid2}, for KVM_SET_CPUID2. */
    long supportedCpuid() {
        return Pointer.nativeValue(cpuid);
    }

    /** Closes /dev/kvm; VMs made from it live on until closed themselves. */
    @Override
    public void close() {
        KvmLib.closeQuietly(fd);
        cpuid.close();
    }
}
