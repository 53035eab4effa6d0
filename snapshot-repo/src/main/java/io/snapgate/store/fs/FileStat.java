package io.snapgate.store.fs;

/**
 * What {@link Posix#fstat} reports about a file: the fields of {@code struct stat} that snapgate uses.
 *
 * @param device the device holding the file, encoded like glibc's {@code makedev(major, minor)}
 * @param inode the inode number, which with {@code device} names the file
 * @param mode the file type and permission bits ({@code st_mode})
 * @param size the size in bytes
 * @param mtimeSeconds the last content modification, seconds since the epoch
 * @param mtimeNanos the nanoseconds part of the modification time
 * @param ctimeSeconds the last status change (content, size, mode or links), seconds since the epoch; unlike the
 *     modification time, no system call sets it to a chosen value
 * @param ctimeNanos the nanoseconds part of the status change time
 */
public record FileStat(long device, long inode, int mode, long size, long mtimeSeconds, int mtimeNanos,
        long ctimeSeconds, int ctimeNanos) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFSOCK = 0140000;

    public boolean regularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean directory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /** The permission bits, such as {@code 0444}. */
    public int permissions() {
        return mode & 07777;
    }

    /** The file type in words, for error messages: "regular file", "directory", "fifo", ... */
    public String typeName() {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "regular file";
            case S_IFDIR -> "directory";
            case S_IFIFO -> "fifo";
            case S_IFLNK -> "symbolic link";
            case S_IFCHR -> "character device";
            case S_IFBLK -> "block device";
            case S_IFSOCK -> "socket";
            default -> String.format("file of type 0%o", mode & S_IFMT);
        };
    }

    /** True when both describe the same file with the same size and modification time. */
    public boolean sameContentAs(FileStat other) {
        return device == other.device && inode == other.inode && size == other.size
                && mtimeSeconds == other.mtimeSeconds && mtimeNanos == other.mtimeNanos;
    }
}
