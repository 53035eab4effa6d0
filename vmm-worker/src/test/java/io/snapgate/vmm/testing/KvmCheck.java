package io.snapgate.vmm.testing;

import io.snapgate.vmm.vcpu.kvm.KvmBackend;

/**
 * Says whether the KVM backend works on this machine (exit 0) or why not (exit 1, the reason on stdout):
 * scripts/kvm-tests.sh asks it before deciding to run the KVM tests inside run-with-kvm.
 */
public final class KvmCheck {
    private KvmCheck() {
    }

    public static void main(String[] args) {
        if (KvmBackend.isAvailable()) {
            System.out.println("KVM works here");
            System.exit(0);
        }
        System.out.println("KVM is unavailable: " + KvmBackend.unavailableReason());
        System.exit(1);
    }
}
