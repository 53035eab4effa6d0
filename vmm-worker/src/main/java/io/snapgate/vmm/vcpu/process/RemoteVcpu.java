package io.snapgate.vmm.vcpu.process;

import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.QueuedRun;
import io.snapgate.vmm.vcpu.RunQueue;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuLostException;
import io.snapgate.vmm.vcpu.VmExit;
import java.util.List;

/**
 * A Unicorn vCPU in an emulator process. Its slots are the process's own addresses ({@link RemoteGuestMemory}
 * hands them out); the code's lease is taken there too, so the gateway's is given back at once. A run that the
 * process does not survive ends with {@link VmExit.Lost}. Runs queue up with the memory writes between them
 * ({@link RunQueue}): the process applies the writes and runs them in turn, answering them together.
 */
final class RemoteVcpu implements Vcpu, RunQueue {
    private final EmulatorProcess process;
    private final int id;
    /** Where the last run began, for the message when the process dies in it. */
    private long rip;
    private boolean closed;

    RemoteVcpu(EmulatorProcess process, String codeDigest) {
        this.process = process;
        this.id = process.newId();
        process.call(Wire.VCPU_OPEN, out -> {
            out.putInt(id);
            Wire.putString(out, codeDigest);
        }, in -> null);
    }

    @Override
    public void map(List<MemorySlot> slots, GuestCode code) {
        try {
            process.call(Wire.VCPU_MAP, out -> {
                out.putInt(id);
                Wire.putString(out, code.digest());
                Wire.putSlots(out, slots);
            }, in -> null);
        } finally {
            code.release().run();
        }
    }

    @Override
    public void setEntryState(CpuState state) {
        process.call(Wire.VCPU_ENTRY_STATE, out -> {
            out.putInt(id);
            Wire.putState(out, state);
        }, in -> null);
    }

    @Override
    public VmExit enter(long entry) {
        rip = entry;
        return run(Wire.VCPU_ENTER, entry);
    }

    @Override
    public VmExit resume() {
        return run(Wire.VCPU_RESUME, 0);
    }

    private VmExit run(int op, long entry) {
        try {
            VmExit exit = process.call(op, out -> out.putInt(id).putLong(entry), in -> {
                VmExit answer = Wire.getExit(in);
                process.carry(in);
                return answer;
            });
            if (exit instanceof VmExit.IoOut) {
                rip = 0; // resumes after the exit: where exactly, only the process knew
            }
            return exit;
        } catch (VcpuLostException e) {
            return new VmExit.Lost(e.getMessage(), rip);
        }
    }

    @Override
    public boolean sharesQueueWith(RunQueue other) {
        return other instanceof RemoteVcpu remote && remote.process == process;
    }

    @Override
    public boolean fits(int writeBytes) {
        return process.fits(writeBytes);
    }

    @Override
    public void queue(long rip, int donePort) {
        process.queueRun(id, rip, donePort);
    }

    @Override
    public List<QueuedRun> runQueued(long until) {
        rip = 0; // a run lost with its process is one of several
        return process.runQueued(until);
    }

    @Override
    public void requestStop() {
        process.requestStop(id);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                process.call(Wire.VCPU_CLOSE, out -> out.putInt(id), in -> null);
            } catch (VcpuLostException e) {
                // went with its process
            }
        }
    }
}
