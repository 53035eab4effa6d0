package io.snapgate.vmm.abi;

/** The I/O ports a guest leaves through (see docs/abi.md, "Exits"). */
public final class Ports {
    /** Init or call finished; the init or result frame is in the output buffer. */
    public static final int DONE = 0x100;
    /** Call a host function; EAX is where in the input buffer the reply goes. */
    public static final int HOST_CALL = 0x101;
    /** The guest gives up; EAX is the code, the abort frame is in the output buffer. */
    public static final int ABORT = 0x102;
    /** A log line; EAX is the level, the log frame is in the output buffer. */
    public static final int LOG = 0x103;

    private Ports() {
    }
}
