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
        String run = "struct kvm_run";
        c.put("RUN_IMMEDIATE_EXIT", offset(run, "immediate_exit"));
        c.put("RUN_EXIT_REASON", offset(run, "exit_reason"));
        c.put("RUN_IO_DIRECTION", offset(run, "io.direction"));
        c.put("RUN_IO_SIZE", offset(run, "io.size"));
        c.put("RUN_IO_PORT", offset(run, "io.port"));
        c.put("RUN_IO_DATA_OFFSET", offset(run, "io.data_offset"));
        c.put("RUN_MMIO_PHYS_ADDR", offset(run, "mmio.phys_addr"));
        c.put("RUN_MMIO_IS_WRITE", offset(run, "mmio.is_write"));
        c.put("RUN_FAIL_ENTRY_REASON", offset(run, "fail_entry.hardware_entry_failure_reason"));
        c.put("RUN_INTERNAL_SUBERROR", offset(run, "internal.suberror"));
        String region = "struct kvm_userspace_memory_region";
        c.put("REGION_SIZE", "sizeof(" + region + ")");
        c.put("REGION_SLOT", offset(region, "slot"));
        c.put("REGION_FLAGS", offset(region, "flags"));
        c.put("REGION_GUEST_PHYS_ADDR", offset(region, "guest_phys_addr"));
        c.put("REGION_MEMORY_SIZE", offset(region, "memory_size"));
        c.put("REGION_USERSPACE_ADDR", offset(region, "userspace_addr"));
        String regs = "struct kvm_regs";
        c.put("REGS_SIZE", "sizeof(" + regs + ")");
        for (String register : List.of("rax", "rdx", "rdi", "rsp", "rip", "rflags")) {
            c.put("REGS_" + register.toUpperCase(), offset(regs, register));
        }
        String sregs = "struct kvm_sregs";
        c.put("SREGS_SIZE", "sizeof(" + sregs + ")");
        for (String field : List.of("cs", "ds", "es", "fs", "gs", "ss", "tr", "gdt", "idt", "cr0", "cr2", "cr3",
                "cr4", "efer")) {
            c.put("SREGS_" + field.toUpperCase(), offset(sregs, field));
        }
        for (String field : List.of("base", "limit", "selector", "type", "present", "dpl", "db", "s", "l", "g",
                "unusable")) {
            c.put("SEGMENT_" + field.toUpperCase(), offset("struct kvm_segment", field));
        }
        c.put("DTABLE_BASE", offset("struct kvm_dtable", "base"));
        c.put("DTABLE_LIMIT", offset("struct kvm_dtable", "limit"));
        c.put("FPU_SIZE", "sizeof(struct kvm_fpu)");
        c.put("FPU_FCW", offset("struct kvm_fpu", "fcw"));
        c.put("FPU_MXCSR", offset("struct kvm_fpu", "mxcsr"));
        c.put("CPUID2_NENT", offset("struct kvm_cpuid2", "nent"));
        c.put("CPUID2_ENTRIES", offset("struct kvm_cpuid2", "entries"));
        c.put("CPUID_ENTRY_SIZE", "sizeof(struct kvm_cpuid_entry2)");
        c.put("SIGNAL_MASK_SIGSET", offset("struct kvm_signal_mask", "sigset"));
        return c;
    }

    private static String offset(String struct, String field) {
        return "offsetof(" + struct + ", " + field + ")";
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
