package io.snapgate.vmm.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.snapgate.store.fs.OpenFile;
import io.snapgate.vmm.sys.Libc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw cost floor on this machine, measured in the same run as the sandbox figures: a JNA direct-mapped
 * libc call; a 4 KiB copy (Java, and libc memcpy through JNA: the copy COPY_BACK does per page); dropping one
 * page of a private file mapping and writing to it again (madvise + a copy-on-write fault: what DROP costs per
 * page); and the smallest possible Unicorn run ({@code out; hlt} from a restored register context, the exit
 * registers read back): the floor under any guest call on the emulated backend. AverageTime: most of these are
 * below SampleTime's timer resolution.
 *
 * <p>{@link #coldStartFloor} is the least kernel and emulator work of a cold start that reads the store's files,
 * maps the memory blob and runs a first call ({@code SnapshotFileBenchmark.coldStartViaSnapshot}), with nothing
 * parsed, hashed or checked and no guest code beyond {@code out; hlt}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class BaselineBenchmark {

    /** libc through JNA direct mapping, as io.snapgate.vmm.sys.Libc binds it. */
    static final class NativeLibc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        private NativeLibc() {
        }

        static native int getpid();

        static native long memcpy(long destination, long source, long count);

        static native int madvise(long addr, long length, int advice) throws LastErrorException;

        static native int memfd_create(String name, int flags) throws LastErrorException;

        static native int ftruncate(int fd, long length) throws LastErrorException;

        static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
                throws LastErrorException;

        static native int munmap(long addr, long length) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    /** The part of Unicorn 2's C API the floor needs, direct-mapped like the backend's UnicornLib. */
    static final class Unicorn {
        static {
            NativeLibrary library;
            try {
                library = NativeLibrary.getInstance("unicorn");
            } catch (UnsatisfiedLinkError e) {
                library = NativeLibrary.getInstance("libunicorn.so.2");
            }
            Native.register(Unicorn.class, library);
        }

        static final int UC_ARCH_X86 = 4;
        static final int UC_MODE_64 = 8;
        static final int UC_PROT_READ = 1;
        static final int UC_PROT_EXEC = 4;
        static final int REG_RAX = 35;
        static final int REG_RDX = 40;
        static final int REG_RIP = 41;

        private Unicorn() {
        }

        static native int uc_open(int arch, int mode, long[] engine);

        static native int uc_close(long uc);

        static native int uc_mem_map(long uc, long address, long size, int perms);

        static native int uc_mem_write(long uc, long address, byte[] bytes, long size);

        static native int uc_reg_read_batch(long uc, long regs, long values, int count);

        static native int uc_emu_start(long uc, long begin, long until, long timeout, long count);

        static native int uc_context_alloc(long uc, long[] context);

        static native int uc_context_save(long uc, long context);

        static native int uc_context_restore(long uc, long context);

        static native int uc_context_free(long context);
    }

    private static final long CODE = 0x1000;
    private static final long NEVER_REACHED = 0x8000_0000_0000_0000L;

    private ByteBuffer source;
    private ByteBuffer destination;
    private long sourceAddress;
    private long destinationAddress;
    private int fd;
    private long sharedPage;
    private long privatePage;
    private ByteBuffer privateView;
    private long uc;
    private long context;
    private ByteBuffer registers;
    private long registersAddress;

    @Setup
    public void setUp() {
        source = ByteBuffer.allocateDirect(4096);
        destination = ByteBuffer.allocateDirect(4096);
        for (int i = 0; i < 4096; i++) {
            source.put(i, (byte) i);
        }
        sourceAddress = Pointer.nativeValue(Native.getDirectBufferPointer(source));
        destinationAddress = Pointer.nativeValue(Native.getDirectBufferPointer(destination));

        fd = NativeLibc.memfd_create("snapgate-bench", 1);
        NativeLibc.ftruncate(fd, 4096);
        sharedPage = NativeLibc.mmap(0, 4096, 3, 1, fd, 0); // PROT_READ|PROT_WRITE, MAP_SHARED
        new Pointer(sharedPage).setMemory(0, 4096, (byte) 0x5a); // the file's page exists, as an image's does
        privatePage = NativeLibc.mmap(0, 4096, 3, 2, fd, 0); // MAP_PRIVATE: writes take a copy-on-write fault
        privateView = new Pointer(privatePage).getByteBuffer(0, 4096);

        long[] out = new long[1];
        check(Unicorn.uc_open(Unicorn.UC_ARCH_X86, Unicorn.UC_MODE_64, out), "uc_open");
        uc = out[0];
        check(Unicorn.uc_mem_map(uc, CODE, 4096, Unicorn.UC_PROT_READ | Unicorn.UC_PROT_EXEC), "uc_mem_map");
        byte[] code = {(byte) 0xEF, (byte) 0xF4}; // out dx, eax; hlt
        check(Unicorn.uc_mem_write(uc, CODE, code, code.length), "uc_mem_write");
        check(Unicorn.uc_context_alloc(uc, out), "uc_context_alloc");
        context = out[0];
        check(Unicorn.uc_context_save(uc, context), "uc_context_save");
        // int ids[3] at 0, void* pointers[3] at 16, long values[3] at 40: the backend's exit read.
        registers = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        registersAddress = Pointer.nativeValue(Native.getDirectBufferPointer(registers));
        int[] ids = {Unicorn.REG_RIP, Unicorn.REG_RDX, Unicorn.REG_RAX};
        for (int i = 0; i < 3; i++) {
            registers.putInt(4 * i, ids[i]);
            registers.putLong(16 + 8 * i, registersAddress + 40 + 8L * i);
        }
        unicornOutHlt(); // the first run translates the code
    }

    private static void check(int err, String what) {
        if (err != 0) {
            throw new IllegalStateException(what + " failed: uc_err " + err);
        }
    }

    /**
     * Three small files with the sizes of the benchmark snapshot's index.json, manifest and config (oci-layout left
     * out: a store could check it once) and a 64 MiB memory blob whose every page is in the page cache.
     */
    @State(Scope.Benchmark)
    public static class StoreFiles {
        static final long BLOB_SIZE = 64L << 20;
        static final int[] SMALL_SIZES = {366, 564, 4_941};

        Path dir;
        List<Path> small = new ArrayList<>();
        Path blob;

        @Setup
        public void write() throws IOException {
            dir = Files.createTempDirectory("snapgate-floor");
            for (int size : SMALL_SIZES) {
                Path file = dir.resolve("small-" + size);
                Files.write(file, new byte[size]);
                small.add(file);
            }
            blob = dir.resolve("blob");
            byte[] page = new byte[4096];
            Arrays.fill(page, (byte) 0x5a);
            try (var out = Files.newOutputStream(blob)) {
                for (long written = 0; written < BLOB_SIZE; written += page.length) {
                    out.write(page);
                }
            }
        }

        @TearDown
        public void delete() throws IOException {
            for (Path file : small) {
                Files.delete(file);
            }
            Files.delete(blob);
            Files.delete(dir);
        }
    }

    /** The mapping a floor op made, unmapped after each op outside the measured time, as a cold start's close. */
    @State(Scope.Thread)
    public static class FloorMapping {
        long address;

        @TearDown(Level.Invocation)
        public void unmap() {
            if (address != 0) {
                Libc.unmap(address, StoreFiles.BLOB_SIZE);
                address = 0;
            }
        }
    }

    /** Pages the benchmark snapshot's first call reads and writes (measured: /proc/self/smaps after one call). */
    private static final int FIRST_CALL_READS = 6;
    private static final int FIRST_CALL_WRITES = 5;

    /**
     * Read the three small files as the store does (open, fstat, read, close), open and fstat the blob, map it
     * privately, read 6 pages and write 5 (the page faults of a first call), and the smallest Unicorn run.
     * Sampled in microseconds, to set its p50 beside the cold starts'.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long coldStartFloor(StoreFiles files, FloorMapping mapping) {
        long sum = 0;
        for (Path path : files.small) {
            try (OpenFile file = OpenFile.readOnly(path)) {
                sum += file.readAll(file.stat().size(), Integer.MAX_VALUE).length;
            }
        }
        try (OpenFile blob = OpenFile.readOnly(files.blob)) {
            mapping.address = Libc.map(0, blob.stat().size(), Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE,
                    blob.fd(), 0);
        }
        Pointer memory = new Pointer(mapping.address);
        for (int page = 0; page < FIRST_CALL_READS + FIRST_CALL_WRITES; page++) {
            long offset = page * ((2L << 20) + 5 * 4096L); // in different page-cache folios: no fault-around help
            if (page < FIRST_CALL_READS) {
                sum += memory.getByte(offset);
            } else {
                memory.setByte(offset, (byte) 1);
            }
        }
        return sum + unicornOutHlt();
    }

    @TearDown
    public void tearDown() {
        Unicorn.uc_context_free(context);
        Unicorn.uc_close(uc);
        NativeLibc.munmap(privatePage, 4096);
        NativeLibc.munmap(sharedPage, 4096);
        NativeLibc.close(fd);
    }

    /** A JNA direct-mapped call into libc that does almost nothing (getpid: a vDSO-free syscall in glibc 2.36). */
    @Benchmark
    public int jnaGetpid() {
        return NativeLibc.getpid();
    }

    /** 4 KiB between two direct ByteBuffers in Java (an intrinsic copy). */
    @Benchmark
    public ByteBuffer memcpy4KiBJava() {
        source.clear();
        destination.clear();
        return destination.put(source);
    }

    /** 4 KiB between the same buffers through JNA direct-mapped libc memcpy: what COPY_BACK does per page. */
    @Benchmark
    public long memcpy4KiBJna() {
        return NativeLibc.memcpy(destinationAddress, sourceAddress, 4096);
    }

    /**
     * madvise(MADV_DONTNEED) of one page of a private file mapping, then a one-byte write to it: a syscall and a
     * copy-on-write fault, the kernel's part of what DROP costs per dirty page.
     */
    @Benchmark
    public ByteBuffer dropAndRewritePage() {
        NativeLibc.madvise(privatePage, 4096, 4); // MADV_DONTNEED
        return privateView.put(0, (byte) 1);
    }

    /** The smallest Unicorn run: restore the register context, run {@code out; hlt}, read RIP, RDX, RAX. */
    @Benchmark
    public long unicornOutHlt() {
        check(Unicorn.uc_context_restore(uc, context), "uc_context_restore");
        check(Unicorn.uc_emu_start(uc, CODE, NEVER_REACHED, 0, 0), "uc_emu_start");
        check(Unicorn.uc_reg_read_batch(uc, registersAddress, registersAddress + 16, 3), "uc_reg_read_batch");
        return registers.getLong(40);
    }
}
