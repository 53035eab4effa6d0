package io.snapgate.vmm.memory;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.store.fs.Posix;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.sys.SystemCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel from "faulting around" in a sandbox's private mapping. On a read fault Linux maps the
 * neighbouring page-cache pages too, on this machine's 6.18 kernel a whole large folio (a read of one byte of
 * a snapshot file written by the store mapped 1 MiB), so after a few calls every page of the mapping is present and
 * the copy-back restore's pagemap scan pays for each one (29 us per restore for a 3.3 MiB guest, against 5
 * with only the touched pages present). A range registered with a userfaultfd in write-protect mode is never
 * faulted around; the registration uses asynchronous write protection (Linux 6.7+, any kind of memory) and
 * never protects a page, so the guest's writes never trap. Where userfaultfd is unavailable (an older kernel,
 * a container's seccomp filter) this does nothing but say so once; restores are then just slower.
 */
final class FaultAround {
    private static final Logger LOG = LoggerFactory.getLogger(FaultAround.class);

    private static final long SYS_USERFAULTFD = 323;
    private static final long O_CLOEXEC = 0x80000;
    private static final long O_NONBLOCK = 0x800;
    private static final long UFFD_USER_MODE_ONLY = 1;
    private static final long UFFD_API = 0xAA;
    private static final long UFFD_FEATURE_WP_ASYNC = 1L << 15;
    private static final long UFFDIO_API = 0xC018AA3FL;
    private static final long UFFDIO_REGISTER = 0xC020AA00L;
    private static final long UFFDIO_REGISTER_MODE_WP = 2;

    /** The process's one userfaultfd, or -1 where the kernel refuses it. */
    private static final class Fd {
        static final int UFFD = open();
    }

    /** Whether a registration failed already (said once, not per sandbox). */
    private static volatile boolean refused;

    private FaultAround() {
    }

    /** Turns fault-around off for {@code length} bytes at {@code address} (one mapping, page aligned). */
    static void disable(long address, long length) {
        if (Fd.UFFD < 0) {
            return;
        }
        Memory register = new Memory(32);
        register.clear();
        register.setLong(0, address);
        register.setLong(8, length);
        register.setLong(16, UFFDIO_REGISTER_MODE_WP);
        try {
            Libc.ioctl(Fd.UFFD, UFFDIO_REGISTER, Pointer.nativeValue(register), "ioctl(UFFDIO_REGISTER)");
        } catch (SystemCallException e) {
            if (!refused) {
                refused = true;
                LOG.info("a sandbox mapping keeps the kernel's fault-around, so its restores scan more pages ({})",
                        e.getMessage());
            }
        }
    }

    /** Whether ranges are really registered here (tests use it to expect sparse page tables). */
    static boolean active() {
        return Fd.UFFD >= 0;
    }

    private static int open() {
        int fd;
        try {
            fd = userfaultfd(0);
        } catch (SystemCallException e) {
            try {
                fd = userfaultfd(UFFD_USER_MODE_ONLY); // enough for us, and allowed to unprivileged users
            } catch (SystemCallException again) {
                return unavailable(again.getMessage());
            }
        }
        Memory api = new Memory(24);
        api.clear();
        api.setLong(0, UFFD_API);
        api.setLong(8, UFFD_FEATURE_WP_ASYNC);
        try {
            Libc.ioctl(fd, UFFDIO_API, Pointer.nativeValue(api), "ioctl(UFFDIO_API, WP_ASYNC)");
        } catch (SystemCallException e) {
            Posix.close(fd);
            return unavailable(e.getMessage() + ": this kernel has no asynchronous write protection");
        }
        return fd;
    }

    private static int userfaultfd(long mode) {
        return Math.toIntExact(Libc.syscall1(SYS_USERFAULTFD, O_CLOEXEC | O_NONBLOCK | mode, "userfaultfd"));
    }

    private static int unavailable(String why) {
        LOG.info("sandbox memory keeps the kernel's fault-around, so restores scan more pages ({})", why);
        return -1;
    }
}
