package io.snapgate.vmm.vcpu.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.testing.CConstants;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value of {@link KvmConstants} against what gcc makes of {@code <linux/kvm.h>}: the ioctl numbers and
 * the sizes and offsets of every structure field the backend reads or writes. Runs everywhere gcc and the
 * kernel headers are (no /dev/kvm needed).
 */
class KvmConstantsTest {
    private static final Path HEADER = Path.of("/usr/include/linux/kvm.h");

    /** Java constants that are a size or offset: the C expression for each. Every other one is a macro name. */
    private static final Map<String, String> LAYOUT = layout();

    @TempDir
    Path dir;

    private static Map<String, String> layout() {
        Map<String, String> c = new LinkedHashMap<>();
        fields(c, "RUN_", "struct kvm_run", "immediate_exit", "exit_reason", "io.direction", "io.size", "io.port",
                "io.data_offset", "mmio.phys_addr", "mmio.is_write", "fail_entry.hardware_entry_failure_reason",
                "internal.suberror");
        c.put("REGION_SIZE", "sizeof(struct kvm_userspace_memory_region)");
        fields(c, "REGION_", "struct kvm_userspace_memory_region", "slot", "flags", "guest_phys_addr", "memory_size",
                "userspace_addr");
        c.put("REGS_SIZE", "sizeof(struct kvm_regs)");
        fields(c, "REGS_", "struct kvm_regs", "rax", "rdx", "rdi", "rsp", "rip", "rflags");
        c.put("SREGS_SIZE", "sizeof(struct kvm_sregs)");
        fields(c, "SREGS_", "struct kvm_sregs", "cs", "ds", "es", "fs", "gs", "ss", "tr", "gdt", "idt", "cr0", "cr2",
                "cr3", "cr4", "efer");
        fields(c, "SEGMENT_", "struct kvm_segment", "base", "limit", "selector", "type", "present", "dpl", "db", "s",
                "l", "g", "unusable");
        fields(c, "DTABLE_", "struct kvm_dtable", "base", "limit");
        fields(c, "MSRS_", "struct kvm_msrs", "nmsrs", "entries");
        c.put("MSR_ENTRY_SIZE", "sizeof(struct kvm_msr_entry)");
        fields(c, "MSR_ENTRY_", "struct kvm_msr_entry", "index", "data");
        c.put("MSR_FILTER_SIZE", "sizeof(struct kvm_msr_filter)");
        fields(c, "MSR_FILTER_", "struct kvm_msr_filter", "flags", "ranges");
        fields(c, "MSR_FILTER_RANGE_", "struct kvm_msr_filter_range", "flags", "nmsrs", "base", "bitmap");
        c.put("VCPU_EVENTS_SIZE", "sizeof(struct kvm_vcpu_events)");
        fields(c, "VCPU_EVENTS_", "struct kvm_vcpu_events", "flags");
        c.put("DEBUGREGS_SIZE", "sizeof(struct kvm_debugregs)");
        c.put("XCRS_SIZE", "sizeof(struct kvm_xcrs)");
        c.put("XSAVE_SIZE", "sizeof(struct kvm_xsave)");
        fields(c, "CPUID2_", "struct kvm_cpuid2", "nent", "entries");
        c.put("CPUID_ENTRY_SIZE", "sizeof(struct kvm_cpuid_entry2)");
        fields(c, "SIGNAL_MASK_", "struct kvm_signal_mask", "sigset");
        return c;
    }

    /** PREFIX + the field in upper case (dots as underscores) to its offsetof expression, for each field. */
    private static void fields(Map<String, String> c, String prefix, String struct, String... fields) {
        for (String field : fields) {
            c.put(prefix + field.replace('.', '_').toUpperCase(Locale.ROOT), "offsetof(" + struct + ", " + field
                    + ")");
        }
    }

    @Test
    void javaConstantsEqualTheHeader() throws Exception {
        assumeTrue(Files.exists(HEADER) && CConstants.gccRuns(), "needs gcc and <linux/kvm.h>: apt-get install gcc"
                + " linux-libc-dev");
        Map<String, Long> java = new LinkedHashMap<>();
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Field field : KvmConstants.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                field.setAccessible(true);
                java.put(field.getName(), Integer.toUnsignedLong(field.getInt(null)));
                expressions.put(field.getName(), LAYOUT.getOrDefault(field.getName(), field.getName()));
            }
        }

        assertThat(CConstants.evaluate(dir, List.of("linux/kvm.h"), expressions)).isEqualTo(java);
    }

    @Test
    void everyLayoutExpressionNamesAJavaConstant() {
        assertThat(LAYOUT.keySet()).allSatisfy(name -> assertThat(KvmConstants.class.getDeclaredField(name))
                .isNotNull());
    }
}
