package io.snapgate.vmm.sys;

/** A failed memory system call: names the call, the argument that matters, and errno. */
public final class SystemCallException extends RuntimeException {
    private final int errno;

    public SystemCallException(String call, int errno) {
        super(call + " failed: " + describe(errno) + " (errno " + errno + ")", null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    private static String describe(int errno) {
        return switch (errno) {
            case Libc.ENOMEM -> "out of memory";
            case Libc.ENOSPC -> "no space left on device";
            case Libc.EINVAL -> "invalid argument";
            default -> "system error";
        };
    }
}
