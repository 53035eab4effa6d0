package io.snapgate.vmm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine's CPU is emulated by QEMU's TCG, as inside run-with-kvm (scripts/kvm-tests.sh): there KVM
 * runs nested on QEMU's emulation of AMD SVM, whose bugs (not KVM's, not snapgate's) some tests must step around.
 * Its CPUs name themselves "QEMU TCG CPU" ({@code -cpu max}) or "QEMU Virtual CPU" (the qemu64 models).
 */
public final class QemuTcg {
    private static final boolean DETECTED = detect();

    private QemuTcg() {
    }

    public static boolean cpuIsEmulated() {
        return DETECTED;
    }

    private static boolean detect() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .anyMatch(line -> line.contains("QEMU TCG CPU") || line.contains("QEMU Virtual CPU"));
        } catch (IOException e) {
            return false;
        }
    }
}
