package io.snapgate.vmm.vcpu.kvm;

/** A KVM or libc call failed; the message names the call, the errno and what it means. */
public final class KvmException extends RuntimeException {
    private final int errno;

    KvmException(String call, int errno) {
        super(call + " failed: errno " + errno + " (" + describe(errno) + ")");
        this.errno = errno;
    }

    KvmException(String message) {
        super(message);
        this.errno = 0;
    }

    /** The errno of the failed call; 0 when the failure was not a call's. */
    public int errno() {
        return errno;
    }

    private static String describe(int errno) {
        return switch (errno) {
            case 1 -> "EPERM, operation not permitted";
            case 2 -> "ENOENT, no such file";
            case 4 -> "EINTR, interrupted";
            case 9 -> "EBADF, bad file descriptor";
            case 12 -> "ENOMEM, out of memory";
            case 13 -> "EACCES, permission denied: add the user to the kvm group or run as root";
            case 14 -> "EFAULT, bad address";
            case 16 -> "EBUSY, busy";
            case 17 -> "EEXIST, already exists";
            case 19 -> "ENODEV, no such device: is the kvm_intel or kvm_amd module loaded?";
            case 22 -> "EINVAL, invalid argument";
            case 24 -> "EMFILE, too many open files";
            case 25 -> "ENOTTY, not a KVM descriptor or an ioctl this kernel lacks";
            case 95 -> "EOPNOTSUPP, not supported";
            default -> "see errno(3)";
        };
    }
}
