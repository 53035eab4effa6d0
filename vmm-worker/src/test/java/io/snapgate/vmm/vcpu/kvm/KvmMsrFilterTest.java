package io.snapgate.vmm.vcpu.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.vmm.testing.CConstants;
import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MachineCode;
import io.snapgate.vmm.vcpu.TinyGuest;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VmExit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MSR filter every KVM machine gets: a guest's WRMSR and RDMSR of every MSR KVM knows (KVM_GET_MSR_INDEX_LIST)
 * and of those it handles without listing them (PAT, the MTRRs, the paravirtual clock pages...) raise #GP, so no
 * MSR a guest could write survives into the next call.
 */
class KvmMsrFilterTest {
    /** A system ioctl only this test needs: {@code _IOWR(KVMIO, 0x02, struct kvm_msr_list)}. */
    private static final int KVM_GET_MSR_INDEX_LIST = 0xC004AE02;
    private static final int E2BIG = 7;
    private static final int GENERAL_PROTECTION = 13;
    /** Writable MSRs KVM emulates without listing them: PAT, MTRRdefType, a variable MTRR, DEBUGCTL, kvmclock... */
    private static final List<Integer> UNLISTED = List.of(0x277, 0x2FF, 0x200, 0x1D9, 0x4B56_4D00, 0x4B56_4D01,
            0x4B56_4D02, 0x4B56_4D03, 0x4B56_4D04, 0xC001_0117, 0x12345678);

    @TempDir
    Path dir;

    @Test
    void theIndexListIoctlNumberMatchesTheHeader() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/include/linux/kvm.h")) && CConstants.gccRuns(), "needs gcc and"
                + " <linux/kvm.h>");
        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.put("KVM_GET_MSR_INDEX_LIST", "KVM_GET_MSR_INDEX_LIST");
        assertThat(CConstants.evaluate(dir, List.of("linux/kvm.h"), expressions))
                .containsEntry("KVM_GET_MSR_INDEX_LIST", Integer.toUnsignedLong(KVM_GET_MSR_INDEX_LIST));
    }

    /** FS_BASE and GS_BASE: the segments' bases, loaded afresh on every entry; the SDK sets FS base with WRMSR. */
    private static final List<Integer> SEGMENT_BASES = List.of(0xC000_0100, 0xC000_0101);

    @Test
    void everyMsrButTheSegmentBasesIsRefusedToTheGuest() {
        assumeTrue(KvmBackend.isAvailable(), () -> "KVM is unavailable: " + KvmBackend.unavailableReason());
        TreeSet<Integer> msrs = new TreeSet<>(listedMsrs());
        assertThat(msrs).as("KVM lists the MSRs it saves").contains(0xC000_0081, 0xC000_0102);
        msrs.addAll(UNLISTED);
        msrs.removeAll(SEGMENT_BASES);

        List<String> allowed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (TinyGuest guest = new TinyGuest(); Vcpu vcpu = KvmBackend.instance().createVcpu(null)) {
            guest.code(TinyGuest.CODE, new MachineCode().wrmsrAtEdi().exit(0x100, 1).toBytes());
            guest.code(TinyGuest.CODE + 0x100, new MachineCode().rdmsrAtEdi().exit(0x100, 2).toBytes());
            vcpu.map(guest.slots(), new GuestCode("msr-filter", () -> { }));
            for (int msr : msrs) {
                vcpu.setEntryState(CpuState.longMode(TinyGuest.STACK_TOP, Integer.toUnsignedLong(msr), TinyGuest.PML4));
                for (long entry : new long[] {TinyGuest.CODE, TinyGuest.CODE + 0x100}) {
                    VmExit exit = vcpu.enter(entry);
                    if (!(exit instanceof VmExit.CpuException e && e.vector() == GENERAL_PROTECTION)) {
                        allowed.add(String.format("%s of MSR 0x%x: %s", entry == TinyGuest.CODE ? "wrmsr" : "rdmsr",
                                msr, exit));
                    }
                }
            }
            for (int msr : SEGMENT_BASES) {
                vcpu.setEntryState(CpuState.longMode(TinyGuest.STACK_TOP, Integer.toUnsignedLong(msr), TinyGuest.PML4));
                for (long entry : new long[] {TinyGuest.CODE, TinyGuest.CODE + 0x100}) {
                    VmExit exit = vcpu.enter(entry);
                    if (!(exit instanceof VmExit.IoOut)) {
                        refused.add(String.format("MSR 0x%x: %s", msr, exit));
                    }
                }
            }
        }
        assertThat(allowed).as("%d MSRs tried", msrs.size()).isEmpty();
        assertThat(refused).as("the segment bases").isEmpty();
    }

    /** KVM_GET_MSR_INDEX_LIST on /dev/kvm: asked with room for none, KVM says how many (E2BIG), then lists them. */
    private static List<Integer> listedMsrs() {
        int fd = KvmLib.openReadWrite(KvmDevice.PATH);
        try (Memory count = new Memory(Integer.BYTES)) {
            count.setInt(0, 0);
            try {
                KvmLib.ioctl(fd, KVM_GET_MSR_INDEX_LIST, Pointer.nativeValue(count), "KVM_GET_MSR_INDEX_LIST");
            } catch (KvmException e) {
                assertThat(e.errno()).isEqualTo(E2BIG);
            }
            int n = count.getInt(0);
            try (Memory list = new Memory(Integer.BYTES * (1L + n))) {
                list.setInt(0, n);
                KvmLib.ioctl(fd, KVM_GET_MSR_INDEX_LIST, Pointer.nativeValue(list), "KVM_GET_MSR_INDEX_LIST");
                List<Integer> msrs = new ArrayList<>();
                for (int i = 0; i < list.getInt(0); i++) {
                    msrs.add(list.getInt(Integer.BYTES * (1L + i)));
                }
                return msrs;
            }
        } finally {
            KvmLib.closeQuietly(fd);
        }
    }
}
