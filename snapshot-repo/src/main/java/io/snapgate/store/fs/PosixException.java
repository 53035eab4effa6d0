package io.snapgate.store.fs;

/** A failed system call: names the call, the file (a path, or {@code fd N}) and errno. */
public final class PosixException extends RuntimeException {
    private final String call;
    private final String file;
    private final int errno;

    public PosixException(String call, String file, int errno, String description) {
        super(call + "(" + file + ") failed: " + Errno.name(errno) + " (" + description + ")", null, false, false);
        this.call = call;
        this.file = file;
        this.errno = errno;
    }

    /** The system call that failed, such as {@code "open"}. */
    public String call() {
        return call;
    }

    /** The path the call was about, or {@code "fd N"} when only a descriptor was known. */
    public String file() {
        return file;
    }

    public int errno() {
        return errno;
    }

    /** Whether the file system had no room left: out of blocks or inodes (ENOSPC), or over a quota (EDQUOT). */
    public boolean noSpace() {
        return errno == Errno.ENOSPC || errno == Errno.EDQUOT;
    }
}
