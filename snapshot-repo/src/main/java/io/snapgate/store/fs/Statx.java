package io.snapgate.store.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The layout of the kernel's {@code struct statx} (include/uapi/linux/stat.h), which {@link Posix} uses
 * instead of {@code struct stat} because it is the same on every architecture. {@code StatxLayoutTest}
 * compares these offsets with what gcc reports.
 */
final class Statx {
    static final int SIZE = 256;
    static final int MASK = 0;
    static final int MODE = 28;
    static final int INO = 32;
    static final int FILE_SIZE = 40;
    static final int CTIME = 96;
    static final int MTIME = 112;
    static final int DEV_MAJOR = 136;
    static final int DEV_MINOR = 140;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;

    static final int STATX_TYPE = 0x1;
    static final int STATX_MODE = 0x2;
    static final int STATX_MTIME = 0x40;
    static final int STATX_CTIME = 0x80;
    static final int STATX_INO = 0x100;
    static final int STATX_SIZE = 0x200;
    /** What snapgate asks for; a file system that cannot report all of it is refused. */
    static final int WANTED = STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE;

    private Statx() {
    }

    /** Decodes a filled buffer; null when the kernel did not report every field in {@link #WANTED}. */
    static FileStat decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        if ((b.getInt(MASK) & WANTED) != WANTED) {
            return null;
        }
        long major = Integer.toUnsignedLong(b.getInt(DEV_MAJOR));
        long minor = Integer.toUnsignedLong(b.getInt(DEV_MINOR));
        return new FileStat(makedev(major, minor), b.getLong(INO), Short.toUnsignedInt(b.getShort(MODE)),
                b.getLong(FILE_SIZE), b.getLong(MTIME), b.getInt(MTIME + 8), b.getLong(CTIME), b.getInt(CTIME + 8));
    }

    /** glibc's {@code makedev}, so that {@link FileStat#device()} equals {@code st_dev}. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
