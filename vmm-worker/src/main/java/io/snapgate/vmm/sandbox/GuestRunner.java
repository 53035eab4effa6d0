package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.AbortFrame;
import io.snapgate.vmm.abi.FrameException;
import io.snapgate.vmm.abi.GuestErrorCode;
import io.snapgate.vmm.abi.GuestFrames;
import io.snapgate.vmm.abi.HostCall;
import io.snapgate.vmm.abi.HostFrames;
import io.snapgate.vmm.abi.JavaValues;
import io.snapgate.vmm.abi.LogFrame;
import io.snapgate.vmm.abi.Ports;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VmExit;

/**
 * Runs the guest from an entry point until it is done, serving its host calls and log lines on the way within
 * the {@link GuestLimits} of one call, and turns every other exit into a {@link SandboxException} that says what
 * the guest did and where.
 */
final class GuestRunner {
    private final GuestMemory memory;
    private final RunState state;
    private final CallLog log;
    private final long hostCallLimit;
    private final HostFrames frames = new HostFrames();
    private final Region input;
    private final Region output;
    private HostFunctions hostFunctions;
    /** Host calls the running call made so far. */
    private long hostCalls;

    GuestRunner(GuestMemory memory, RunState state, HostFunctions hostFunctions, GuestLog log, GuestLimits limits) {
        this.memory = memory;
        this.state = state;
        this.log = new CallLog(log, limits);
        this.hostCallLimit = limits.hostCalls();
        this.hostFunctions = hostFunctions.printingTo(this.log);
        this.input = memory.layout().region(MemoryLayout.INPUT);
        this.output = memory.layout().region(MemoryLayout.OUTPUT);
    }

    HostFrames frames() {
        return frames;
    }

    HostFunctions hostFunctions() {
        return hostFunctions;
    }

    void hostFunctions(HostFunctions functions) {
        this.hostFunctions = functions.printingTo(log);
    }

    /** Writes a frame into the input buffer at offset 0; false when it does not fit. */
    boolean writeInput(byte[] payload) {
        if (payload.length > input.size() - 4) {
            return false;
        }
        memory.writeFrame(input.guestAddress(), payload);
        return true;
    }

    /**
     * Runs call number {@code call} on {@code vcpu} from {@code rip} until the guest exits with DONE, and returns
     * the frame it left in the output buffer. {@code during} names the work in error messages.
     */
    byte[] run(Vcpu vcpu, long rip, long call, String during) {
        return follow(vcpu, null, rip, call, during);
    }

    /** Goes on, as {@link #run} does, with a call whose run from its entry already ended with {@code first}. */
    byte[] follow(Vcpu vcpu, VmExit first, long call, String during) {
        return follow(vcpu, first, 0, call, during);
    }

    /** The frame a run that exited DONE left in the output buffer (a queued run's, once it is presented). */
    byte[] result() {
        return readFrame(output, "result");
    }

    private byte[] follow(Vcpu vcpu, VmExit first, long rip, long call, String during) {
        hostCalls = 0;
        log.begin();
        try {
            VmExit exit = first != null ? first : vcpu.enter(rip);
            while (true) {
                if (exit instanceof VmExit.Lost) {
                    throw GuestFaults.describe(exit, memory.layout(), during); // even after a stop: nothing is left
                }
                // A stop wins over whatever exit came with it: a vCPU stopped just as it resumed may report
                // its previous exit again, which must not be served twice.
                Failure stop = state.stopRequested(call);
                if (stop != null) {
                    throw new SandboxException(stop, during + (stop == Failure.TIMED_OUT
                            ? " ran past its time limit and was stopped" : " was cancelled"));
                }
                if (exit instanceof VmExit.IoOut io) {
                    if (io.port() == Ports.DONE) {
                        return readFrame(output, "result");
                    }
                    serve(io, during);
                } else if (!(exit instanceof VmExit.Interrupted)) {
                    throw GuestFaults.describe(exit, memory.layout(), during);
                }
                exit = vcpu.resume();
            }
        } catch (FrameException e) {
            throw new SandboxException(Failure.MALFORMED_FRAME, during + ": " + e.getMessage());
        } finally {
            log.end(during);
        }
    }

    private void serve(VmExit.IoOut io, String during) {
        switch (io.port()) {
            case Ports.HOST_CALL -> {
                if (++hostCalls > hostCallLimit) {
                    throw new SandboxException(Failure.LIMIT_EXCEEDED, during + " made more than " + hostCallLimit
                            + " host calls, the limit per call, and was stopped");
                }
                reply(Integer.toUnsignedLong(io.value()), hostCall(readFrame(output, "host call")));
            }
            case Ports.LOG -> {
                // A dropped line is not even parsed: past the limit a line costs the host the read of its length.
                if (log.admit(frameLength(output, "log"))) {
                    LogFrame line = GuestFrames.log(readFrame(output, "log"));
                    log.write(line.level(), line.message());
                }
            }
            case Ports.ABORT -> throw abort(io.value(), during);
            default -> throw new SandboxException(Failure.UNKNOWN_PORT, String.format(
                    "%s: guest wrote to unknown I/O port 0x%x (value 0x%x)", during, io.port(), io.value()));
        }
    }

    private byte[] hostCall(byte[] request) {
        HostCall call = GuestFrames.hostCall(request, hostFunctions::signature);
        if (call instanceof HostCall.Invalid bad) {
            return frames.failed(bad.code().code(), bad.message());
        }
        HostCall.Valid ok = (HostCall.Valid) call;
        HostFunction function = hostFunctions.get(ok.signature().name());
        Object result;
        try {
            result = function.implementation().invoke(ok.arguments());
        } catch (Exception e) {
            return frames.failed(GuestErrorCode.HOST_FUNCTION_ERROR.code(), "host function "
                    + ok.signature().name() + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        try {
            return frames.returned(ok.signature().returns(), JavaValues.coerce(ok.signature().returns(), result));
        } catch (IllegalArgumentException e) {
            return frames.failed(GuestErrorCode.HOST_FUNCTION_ERROR.code(), "host function " + ok.signature()
                    + " returned a wrong value: " + e.getMessage());
        }
    }

    /** Writes a host reply where the guest asked, or an error frame when the reply does not fit there. */
    private void reply(long offset, byte[] payload) {
        long room = input.size() - 4 - offset;
        if (offset % 8 != 0 || room < 0) {
            throw new FrameException(String.format("host call asks for its reply at input offset %d, which is not an"
                    + " 8-aligned offset inside the %d-byte input buffer", offset, input.size()));
        }
        if (payload.length > room) {
            payload = frames.failed(GuestErrorCode.RESULT_TOO_LARGE.code(), "host function result of "
                    + payload.length + " bytes does not fit the " + room + " bytes left in the input buffer");
            if (payload.length > room) {
                throw new FrameException("host call leaves only " + room + " bytes for its reply");
            }
        }
        memory.writeFrame(input.guestAddress() + offset, payload);
    }

    private SandboxException abort(int code, String during) {
        try {
            AbortFrame frame = GuestFrames.abort(readFrame(output, "abort"));
            return new GuestAbortException(during, frame.code(), frame.message());
        } catch (FrameException e) {
            return new GuestAbortException(during, code, "(abort message unreadable: " + e.getMessage() + ")");
        }
    }

    /** The payload of the length-prefixed frame at the start of {@code buffer}, bounds-checked. */
    private byte[] readFrame(Region buffer, String what) {
        return memory.read(buffer.guestAddress() + 4, frameLength(buffer, what));
    }

    /** The payload length of the frame at the start of {@code buffer}, checked against the buffer. */
    private int frameLength(Region buffer, String what) {
        long length = Integer.toUnsignedLong(memory.readInt(buffer.guestAddress()));
        // A Java array holds at most ~2 GiB: a buffer configured larger still cannot carry a bigger frame.
        if (length > Math.min(buffer.size() - 4, Integer.MAX_VALUE - 8)) {
            throw new FrameException(what + " frame length " + length + " exceeds the " + buffer.name()
                    + " buffer (" + (buffer.size() - 4) + " bytes available)");
        }
        return (int) length;
    }
}
