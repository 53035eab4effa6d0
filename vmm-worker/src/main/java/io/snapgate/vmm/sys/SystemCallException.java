package io.snapgate.vmm.sys;

/** A failed system call: names the call, its argument that matters, and errno. */
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
            case Libc.ENOENT -> "no such file or directory";
            case Libc.EACCES -> "permission denied";
            case Libc.ELOOP -> "too many symbolic links (refusing to follow a symlink)";
            default -> "system error";
        };
    }
}
