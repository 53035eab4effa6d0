package io.snapgate.vmm.vcpu.kvm;

/**
 * The values of {@code <linux/kvm.h>} (x86-64) this backend uses: ioctl numbers, capabilities, exit reasons, and
 * the sizes and field offsets of the structures it reads and writes through raw memory. Hand-written, so
 * {@code KvmConstantsTest} compiles a C program against the header and compares every one of them.
 */
final class KvmConstants {
    private KvmConstants() {
    }

    static final int KVM_API_VERSION = 12;

    static final int KVM_GET_API_VERSION = 0xAE00;
    static final int KVM_CREATE_VM = 0xAE01;
    static final int KVM_CHECK_EXTENSION = 0xAE03;
    static final int KVM_GET_VCPU_MMAP_SIZE = 0xAE04;
    static final int KVM_GET_SUPPORTED_CPUID = 0xC008AE05;
    static final int KVM_CREATE_VCPU = 0xAE41;
    static final int KVM_SET_USER_MEMORY_REGION = 0x4020AE46;
    static final int KVM_RUN = 0xAE80;
    static final int KVM_GET_REGS = 0x8090AE81;
    static final int KVM_SET_REGS = 0x4090AE82;
    static final int KVM_GET_SREGS = 0x8138AE83;
    static final int KVM_SET_SREGS = 0x4138AE84;
    static final int KVM_GET_MSRS = 0xC008AE88;
    static final int KVM_SET_MSRS = 0x4008AE89;
    static final int KVM_SET_SIGNAL_MASK = 0x4004AE8B;
    static final int KVM_SET_CPUID2 = 0x4008AE90;
    static final int KVM_GET_VCPU_EVENTS = 0x8040AE9F;
    static final int KVM_SET_VCPU_EVENTS = 0x4040AEA0;
    static final int KVM_GET_DEBUGREGS = 0x8080AEA1;
    static final int KVM_SET_DEBUGREGS = 0x4080AEA2;
    static final int KVM_GET_XSAVE = 0x9000AEA4;
    static final int KVM_SET_XSAVE = 0x5000AEA5;
    static final int KVM_GET_XCRS = 0x8188AEA6;
    static final int KVM_SET_XCRS = 0x4188AEA7;
    static final int KVM_X86_SET_MSR_FILTER = 0x4188AEC6;

    static final int KVM_CAP_USER_MEMORY = 3;
    static final int KVM_CAP_EXT_CPUID = 7;
    static final int KVM_CAP_NR_MEMSLOTS = 10;
    static final int KVM_CAP_VCPU_EVENTS = 41;
    static final int KVM_CAP_DEBUGREGS = 50;
    static final int KVM_CAP_XSAVE = 55;
    static final int KVM_CAP_XCRS = 56;
    static final int KVM_CAP_READONLY_MEM = 81;
    static final int KVM_CAP_IMMEDIATE_EXIT = 136;
    static final int KVM_CAP_X86_MSR_FILTER = 189;

    static final int KVM_MEM_READONLY = 2;

    static final int KVM_EXIT_IO = 2;
    static final int KVM_EXIT_HLT = 5;
    static final int KVM_EXIT_MMIO = 6;
    static final int KVM_EXIT_SHUTDOWN = 8;
    static final int KVM_EXIT_FAIL_ENTRY = 9;
    static final int KVM_EXIT_INTR = 10;
    static final int KVM_EXIT_INTERNAL_ERROR = 17;
    static final int KVM_EXIT_IO_IN = 0;
    static final int KVM_INTERNAL_ERROR_EMULATION = 1;
    static final int KVM_VCPUEVENT_VALID_NMI_PENDING = 1;
    static final int KVM_MSR_FILTER_READ = 1;
    static final int KVM_MSR_FILTER_WRITE = 2;
    static final int KVM_MSR_FILTER_DEFAULT_DENY = 1;

    // struct kvm_run
    static final int RUN_IMMEDIATE_EXIT = 1;
    static final int RUN_EXIT_REASON = 8;
    static final int RUN_IO_DIRECTION = 32;
    static final int RUN_IO_SIZE = 33;
    static final int RUN_IO_PORT = 34;
    static final int RUN_IO_DATA_OFFSET = 40;
    static final int RUN_MMIO_PHYS_ADDR = 32;
    static final int RUN_MMIO_IS_WRITE = 52;
    static final int RUN_FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON = 32;
    static final int RUN_INTERNAL_SUBERROR = 32;

    // struct kvm_userspace_memory_region
    static final int REGION_SIZE = 32;
    static final int REGION_SLOT = 0;
    static final int REGION_FLAGS = 4;
    static final int REGION_GUEST_PHYS_ADDR = 8;
    static final int REGION_MEMORY_SIZE = 16;
    static final int REGION_USERSPACE_ADDR = 24;

    // struct kvm_regs
    static final int REGS_SIZE = 144;
    static final int REGS_RAX = 0;
    static final int REGS_RDX = 24;
    static final int REGS_RDI = 40;
    static final int REGS_RSP = 48;
    static final int REGS_RIP = 128;
    static final int REGS_RFLAGS = 136;

    // struct kvm_sregs, struct kvm_segment, struct kvm_dtable
    static final int SREGS_SIZE = 312;
    static final int SREGS_CS = 0;
    static final int SREGS_DS = 24;
    static final int SREGS_ES = 48;
    static final int SREGS_FS = 72;
    static final int SREGS_GS = 96;
    static final int SREGS_SS = 120;
    static final int SREGS_TR = 144;
    static final int SREGS_GDT = 192;
    static final int SREGS_IDT = 208;
    static final int SREGS_CR0 = 224;
    static final int SREGS_CR2 = 232;
    static final int SREGS_CR3 = 240;
    static final int SREGS_CR4 = 248;
    static final int SREGS_EFER = 264;
    static final int SEGMENT_BASE = 0;
    static final int SEGMENT_LIMIT = 8;
    static final int SEGMENT_SELECTOR = 12;
    static final int SEGMENT_TYPE = 14;
    static final int SEGMENT_PRESENT = 15;
    static final int SEGMENT_DPL = 16;
    static final int SEGMENT_DB = 17;
    static final int SEGMENT_S = 18;
    static final int SEGMENT_L = 19;
    static final int SEGMENT_G = 20;
    static final int SEGMENT_UNUSABLE = 22;
    static final int DTABLE_BASE = 0;
    static final int DTABLE_LIMIT = 8;

    // struct kvm_msrs, struct kvm_msr_entry
    static final int MSRS_NMSRS = 0;
    static final int MSRS_ENTRIES = 8;
    static final int MSR_ENTRY_SIZE = 16;
    static final int MSR_ENTRY_INDEX = 0;
    static final int MSR_ENTRY_DATA = 8;

    // struct kvm_msr_filter, struct kvm_msr_filter_range
    static final int MSR_FILTER_SIZE = 392;
    static final int MSR_FILTER_FLAGS = 0;
    static final int MSR_FILTER_RANGES = 8;
    static final int MSR_FILTER_RANGE_FLAGS = 0;
    static final int MSR_FILTER_RANGE_NMSRS = 4;
    static final int MSR_FILTER_RANGE_BASE = 8;
    static final int MSR_FILTER_RANGE_BITMAP = 16;

    // struct kvm_vcpu_events, struct kvm_debugregs, struct kvm_xcrs, struct kvm_xsave
    static final int VCPU_EVENTS_SIZE = 64;
    static final int VCPU_EVENTS_FLAGS = 20;
    static final int DEBUGREGS_SIZE = 128;
    static final int XCRS_SIZE = 392;
    static final int XSAVE_SIZE = 4096;

    // struct kvm_cpuid2, struct kvm_cpuid_entry2
    static final int CPUID2_NENT = 0;
    static final int CPUID2_ENTRIES = 8;
    static final int CPUID_ENTRY_SIZE = 40;

    // struct kvm_signal_mask
    static final int SIGNAL_MASK_SIGSET = 4;
}
