package io.snapgate.store.fs;

/** The errno values callers of {@link Posix} tell apart (x86-64 and aarch64 Linux share them). */
public final class Errno {
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ELOOP = 40;
    public static final int ENXIO = 6;
    public static final int EDQUOT = 122;

    private Errno() {
    }

    /** The symbolic name ({@code "ENOENT"}), or {@code "errno N"} for one not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case ENOENT -> "ENOENT";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case EACCES -> "EACCES";
            case EEXIST -> "EEXIST";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case ELOOP -> "ELOOP";
            case EDQUOT -> "EDQUOT";
            default -> "errno " + errno;
        };
    }
}
